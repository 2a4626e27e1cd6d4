import type { ChatMessage, FunctionTool } from '../endpoint/chatTypes';
import type { Translate } from '../l10n/translate';
import type { ErrorView } from '../panel/protocol';
import { fitHistory } from './fitHistory';
import type { KnownWindow } from './modelLimits';
import { answerReserve, messageTokens, REQUEST_OVERHEAD, toolTokens } from './requestTokens';
import { windowLabel } from './tokenLabels';

export interface ContextPlan {
  messages: ChatMessage[];
  leftOut: number;
  promptTokens: number;
  reserve: number;
  window?: KnownWindow;
  /** False when the question and its context alone do not fit the window. */
  fits: boolean;
}

/**
 * What one request sends, given the window: the whole history when the window is unknown or it
 * fits, else the history with its oldest turns left out (fitHistory).
 */
export function planRequest(
  history: readonly ChatMessage[],
  window: KnownWindow | undefined,
  options: { maxTokens?: number; tools?: readonly FunctionTool[] } = {},
): ContextPlan {
  const reserve = answerReserve(window, options.maxTokens);
  if (!window) {
    const promptTokens =
      REQUEST_OVERHEAD + toolTokens(options.tools) + history.reduce((sum, m) => sum + messageTokens(m), 0);
    return { messages: [...history], leftOut: 0, promptTokens, reserve, fits: true };
  }
  const fit = fitHistory(history, window.tokens - reserve, options.tools);
  return {
    messages: fit.messages,
    leftOut: fit.leftOut,
    promptTokens: fit.promptTokens,
    reserve,
    window,
    fits: fit.fits,
  };
}

/** "3 earlier messages left out to fit the 8k context" */
export function leftOutNotice(leftOut: number, window: KnownWindow, t: Translate): string {
  return leftOut === 1
    ? t('1 earlier message left out to fit the {0} context', windowLabel(window.tokens))
    : t('{0} earlier messages left out to fit the {1} context', leftOut, windowLabel(window.tokens));
}

/**
 * The relay refused the request as too long and a retry with less did not help, or the question
 * alone is longer than the window: the user sees the numbers and New Chat.
 */
export class ContextOverflowError extends Error {
  constructor(
    readonly host: string,
    /** Our estimate of what was sent. */
    readonly promptTokens: number,
    readonly window: number | undefined,
    readonly reserve: number,
    /** The server's own words, when it refused. */
    readonly serverMessage?: string,
    readonly status?: number,
  ) {
    super(`The request (about ${promptTokens} tokens) does not fit the context window (${window ?? '?'}).`);
    this.name = 'ContextOverflowError';
  }
}

/** The error as the panel shows it: the numbers, the server's words, and New Chat. */
export function describeContextOverflow(err: ContextOverflowError, t: Translate): ErrorView {
  const detail = [
    err.window
      ? t(
          'About {0} tokens to send and {1} kept for the answer; the context window is {2} tokens.',
          err.promptTokens,
          err.reserve,
          err.window,
        )
      : t('About {0} tokens to send.', err.promptTokens),
    err.serverMessage,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    kind: 'context',
    title: err.status
      ? t("The question does not fit the model's context window (HTTP {0} from {1})", err.status, err.host)
      : t("The question does not fit the model's context window"),
    detail,
    hint: t('Start a New Chat, or ask with less attached (a smaller selection or fewer files).'),
    retryable: true,
  };
}

import { capabilityKey } from '../endpoint/capabilities';
import type { EndpointConfig } from '../endpoint/chatClient';
import type { ChatMessage } from '../endpoint/chatTypes';
import { EndpointError } from '../endpoint/endpointError';
import type { ChatOptions } from '../endpoint/requestBuilder';
import type { Translate } from '../l10n/translate';
import { contextOverflowOf, type ContextOverflow } from './contextErrors';
import { ContextOverflowError, leftOutNotice, planRequest, type ContextPlan } from './contextPlan';
import { rememberLearntWindow } from './contextWindows';
import type { KnownWindow } from './modelLimits';
import { windowLabel } from './tokenLabels';

export interface ContextAttempt {
  messages: ChatMessage[];
  plan: ContextPlan;
}

export interface ContextInput {
  endpoint: { config: EndpointConfig; model: string; window?: KnownWindow };
  history: readonly ChatMessage[];
  options: ChatOptions;
  host: string;
  t: Translate;
  signal?: AbortSignal;
}

/** Without a figure in the refusal, the retry aims this far below what was sent. */
const UNSTATED_SHRINK = 0.75;
/** When the refusal names the window we planned with, our estimate ran low: aim this far below it. */
const SAME_WINDOW_SHRINK = 0.85;

/**
 * Sends the history fitted to the window (oldest turns left out, said in a notice). When the relay
 * refuses it as too long before anything was shown, the window it names is remembered for this
 * profile and model, the history is fitted again and sent once more by itself, with a notice. A
 * second refusal, or a question that cannot fit at all, is a ContextOverflowError with the numbers.
 */
export async function fitOrRecover(
  input: ContextInput,
  notice: (text: string) => void,
  produced: () => boolean,
  send: (attempt: ContextAttempt) => Promise<void>,
): Promise<void> {
  const { endpoint, history, options, t } = input;
  const planOptions = { maxTokens: options.maxTokens, tools: options.tools };
  let plan = planRequest(history, endpoint.window, planOptions);
  if (!plan.fits) throw overflowError(input, plan);
  if (plan.leftOut) notice(leftOutNotice(plan.leftOut, plan.window!, t));
  try {
    await send({ messages: plan.messages, plan });
    return;
  } catch (err) {
    const overflow = contextOverflowOf(err);
    if (!overflow || input.signal?.aborted || produced()) throw err;
    const learnt = overflow.window ?? Math.floor((plan.promptTokens + plan.reserve) * UNSTATED_SHRINK);
    const store = endpoint.config.capabilityStore;
    const key = capabilityKey(endpoint.config.profileId ?? input.host, endpoint.model);
    if (store && learnt !== endpoint.window?.tokens) await rememberLearntWindow(store, key, learnt);
    const aim = retryWindow(learnt, plan, endpoint.window, overflow);
    plan = planRequest(history, aim, planOptions);
    if (!plan.fits) throw overflowError(input, plan, err);
    notice(
      plan.leftOut
        ? t(
            'The relay refused the request as longer than its {0} context: asked again with {1} earlier message(s) left out.',
            windowLabel(learnt),
            plan.leftOut,
          )
        : t(
            'The relay refused the request as longer than its {0} context: asked again with less.',
            windowLabel(learnt),
          ),
    );
    try {
      await send({ messages: plan.messages, plan });
    } catch (again) {
      if (!contextOverflowOf(again) || input.signal?.aborted || produced()) throw again;
      // The window the relay named, not the lower one this retry aimed at.
      throw overflowError(input, plan, again, learnt);
    }
  }
}

/** The window the retry plans with: the one learnt, lower when it was what the first try already used. */
function retryWindow(
  learnt: number,
  sent: ContextPlan,
  known: KnownWindow | undefined,
  overflow: ContextOverflow,
): KnownWindow {
  const base = { ...(known?.maxOutputTokens ? { maxOutputTokens: known.maxOutputTokens } : {}) };
  const ranLow = overflow.window !== undefined && known !== undefined && overflow.window >= known.tokens;
  const sentTotal = sent.promptTokens + sent.reserve;
  const tokens = ranLow ? Math.min(learnt, Math.floor(sentTotal * SAME_WINDOW_SHRINK)) : learnt;
  return { ...base, tokens, source: 'learnt' };
}

function overflowError(
  input: ContextInput,
  plan: ContextPlan,
  refusal?: unknown,
  window = plan.window?.tokens,
): ContextOverflowError {
  const server = refusal instanceof EndpointError ? refusal : undefined;
  return new ContextOverflowError(
    input.host,
    plan.promptTokens,
    window,
    plan.reserve,
    server?.serverMessage,
    server?.status,
  );
}

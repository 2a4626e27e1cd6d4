import type { ChatMessage } from '../endpoint/chatTypes';
import { fitSelectionLines, type FittedLines } from './selectionFit';
import type { KnownWindow } from './modelLimits';
import { planRequest } from './contextPlan';
import { estimateTokens } from '../tokens/estimateTokens';
import { UNKNOWN_WINDOW_ASK_ABOVE } from './requestTokens';
import { formatCost, formatMoney, sameCurrency, type Currency } from '../billing/money';
import type { TokenPrice } from '../billing/pricing';
import type { Translate } from '../l10n/translate';
import { compactTokens } from './tokenLabels';

/** US dollars per million tokens, from the relay's price list (issue 12); undefined when unknown. */
export type PriceOf = (model: string) => TokenPrice | undefined;

/** Why a question waits for the user's word before it goes, with the numbers to show. */
export type SendCheck =
  | { kind: 'ok' }
  /** The question with what is attached to it is larger than the window on its own. */
  | {
      kind: 'tooLarge';
      window: number;
      tokens: number;
      reserve: number;
      /** The selection's lines that fit beside the rest, when a selection is what is too large. */
      fit?: FittedLines;
    }
  /** No window is known and this one question is very large. */
  | { kind: 'unknownWindow'; tokens: number }
  /** The known price puts this question above relayChat.confirmAboveCost. */
  | { kind: 'cost'; usd: number; tokens: number; limit: number; currency?: Currency };

export interface SendCheckInput {
  model: string;
  /** The conversation so far, then the new question (its content as it would be sent). */
  history: readonly ChatMessage[];
  question: ChatMessage;
  window?: KnownWindow;
  maxTokens?: number;
  /** The editor selection inside the question, which can be cut at line boundaries. */
  selection?: { text: string; startLine: number };
  priceOf?: PriceOf;
  /** 0 or less: never ask about cost. */
  confirmAboveCost: number;
}

/** The answer length a cost estimate assumes when the request sets no `max_tokens`. */
const TYPICAL_ANSWER_TOKENS = 1_000;

/** Whether to ask before sending, and what to say. The estimate is the one the session plans with. */
export function checkBeforeSend(input: SendCheckInput): SendCheck {
  const messages = [...input.history, input.question];
  const plan = planRequest(messages, input.window, { maxTokens: input.maxTokens });
  const window = input.window;
  if (window && !plan.fits) {
    const questionTokens = planRequest([input.question], undefined).promptTokens;
    const systemTokens = planRequest(
      input.history.filter((m) => m.role === 'system' || m.role === 'developer'),
      undefined,
    ).promptTokens;
    const tokens = questionTokens + systemTokens;
    let fit: FittedLines | undefined;
    if (input.selection) {
      const selectionTokens = estimateTokens(input.selection.text);
      // What the rest of the question costs, the selection aside, and a margin for the fence.
      const budget = window.tokens - plan.reserve - (tokens - selectionTokens) - 16;
      fit =
        budget > 0 ? fitSelectionLines(input.selection.text, input.selection.startLine, budget) : undefined;
    }
    return {
      kind: 'tooLarge',
      window: window.tokens,
      tokens,
      reserve: plan.reserve,
      ...(fit ? { fit } : {}),
    };
  }
  if (!window) {
    const tokens = planRequest([input.question], undefined).promptTokens;
    if (tokens > UNKNOWN_WINDOW_ASK_ABOVE) return { kind: 'unknownWindow', tokens };
  }
  const price = input.priceOf?.(input.model);
  if (price && input.confirmAboveCost > 0) {
    // The answer as the user capped it, else a typical one: the reserve is room, not a forecast,
    // and pricing a one-line question at 16k answer tokens would ask about every question.
    const answer = input.maxTokens ?? Math.min(plan.reserve, TYPICAL_ANSWER_TOKENS);
    const usd = (plan.promptTokens * price.input + answer * price.output) / 1_000_000;
    if (usd > input.confirmAboveCost) {
      return {
        kind: 'cost',
        usd,
        tokens: plan.promptTokens + answer,
        limit: input.confirmAboveCost,
        ...(price.currency ? { currency: price.currency } : {}),
      };
    }
  }
  return { kind: 'ok' };
}

/**
 * The cost question's words: the amount in the relay's own currency, as its answers are costed, with
 * US dollars beside it, since relayChat.confirmAboveCost is in US dollars.
 */
export function costQuestion(
  check: Extract<SendCheck, { kind: 'cost' }>,
  model: string,
  t: Translate,
): { message: string; detail: string } {
  const amount = sameCurrency(check.currency)
    ? formatMoney(check.usd)
    : `${formatCost(check.usd, check.currency)} (${formatMoney(check.usd)})`;
  return {
    message: t('This question may cost about {0}.', amount),
    detail: t(
      'About {0} tokens at the price of {1}; relayChat.confirmAboveCost is {2} (in US dollars).',
      compactTokens(check.tokens),
      model,
      formatMoney(check.limit),
    ),
  };
}

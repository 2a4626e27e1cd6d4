import type { Usage } from '../endpoint/chatTypes';
import type { ViewMessage } from '../panel/protocol';
import { commonCurrency, type AnswerBilling, type Currency } from './money';

export interface UsageFigures {
  prompt: number;
  completion: number;
  total: number;
  reasoning: number;
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/** One answer's token counts, zero where the relay sent none; the total as sent, else the sum. */
export function usageFigures(usage: Usage | undefined): UsageFigures {
  const prompt = count(usage?.prompt_tokens);
  const completion = count(usage?.completion_tokens);
  return {
    prompt,
    completion,
    total: count(usage?.total_tokens) || prompt + completion,
    reasoning: count(usage?.completion_tokens_details?.reasoning_tokens),
  };
}

export interface UsageTotals {
  prompt: number;
  completion: number;
  total: number;
  /** Dollars, over the answers whose cost is known; undefined when none is. */
  cost?: number;
  /** The currency to show `cost` in: the relays' own where they agree, else US dollars. */
  currency: Currency;
  /** Some of it was estimated (a relay that sent no usage). */
  estimated: boolean;
}

/**
 * The conversation's tokens and cost so far, shown and hidden messages alike, and the answers of a
 * compare turn that were not picked (the relay billed them too).
 */
export function usageTotals(
  messages: Iterable<
    Pick<ViewMessage, 'usage' | 'cost' | 'usageEstimated' | 'costCurrency' | 'alternativeUsage'>
  >,
): UsageTotals {
  const answers: AnswerBilling[] = [];
  for (const message of messages) answers.push(message, ...(message.alternativeUsage ?? []));
  const totals: UsageTotals = {
    prompt: 0,
    completion: 0,
    total: 0,
    estimated: false,
    currency: commonCurrency([]),
  };
  const costed: (Currency | undefined)[] = [];
  for (const { usage, cost, usageEstimated, costCurrency } of answers) {
    if (cost !== undefined) {
      totals.cost = (totals.cost ?? 0) + cost;
      costed.push(costCurrency);
    }
    if (!usage) continue;
    const n = usageFigures(usage);
    totals.prompt += n.prompt;
    totals.completion += n.completion;
    totals.total += n.total;
    if (usageEstimated) totals.estimated = true;
  }
  totals.currency = commonCurrency(costed);
  return totals;
}

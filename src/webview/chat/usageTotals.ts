import type { ViewMessage } from '../../common/panel/protocol';
import { usageFigures } from './messageParts';

export interface UsageTotals {
  prompt: number;
  completion: number;
  total: number;
  /** Dollars, over the answers whose cost is known; undefined when none is. */
  cost?: number;
  /** Some of it was estimated (a relay that sent no usage). */
  estimated: boolean;
}

/** The conversation's tokens and cost so far, shown and hidden messages alike. */
export function usageTotals(
  messages: Iterable<Pick<ViewMessage, 'usage' | 'cost' | 'usageEstimated'>>,
): UsageTotals {
  const totals: UsageTotals = { prompt: 0, completion: 0, total: 0, estimated: false };
  for (const { usage, cost, usageEstimated } of messages) {
    if (cost !== undefined) totals.cost = (totals.cost ?? 0) + cost;
    if (!usage) continue;
    const n = usageFigures(usage);
    totals.prompt += n.prompt;
    totals.completion += n.completion;
    totals.total += n.total;
    if (usageEstimated) totals.estimated = true;
  }
  return totals;
}

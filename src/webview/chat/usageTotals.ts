import type { Usage } from '../../common/endpoint/chatTypes';
import { usageFigures } from './messageParts';

export interface UsageTotals {
  prompt: number;
  completion: number;
  total: number;
}

/** The conversation's tokens so far, shown and hidden messages alike. */
export function usageTotals(usages: Iterable<Usage | undefined>): UsageTotals {
  const totals: UsageTotals = { prompt: 0, completion: 0, total: 0 };
  for (const usage of usages) {
    if (!usage) continue;
    const n = usageFigures(usage);
    totals.prompt += n.prompt;
    totals.completion += n.completion;
    totals.total += n.total;
  }
  return totals;
}

import { formatCost, type AnswerBilling } from './money';
import { usageFigures } from './usageTotals';

/** The usage and cost fields of a message, and only those (a compare turn keeps them per alternative). */
export function answerBilling(view: AnswerBilling): AnswerBilling {
  const out: AnswerBilling = {};
  if (view.model !== undefined) out.model = view.model;
  if (view.usage) out.usage = structuredClone(view.usage);
  if (view.usageEstimated) out.usageEstimated = true;
  if (view.cost !== undefined) out.cost = view.cost;
  if (view.costCurrency) out.costCurrency = { ...view.costCurrency };
  return out;
}

/**
 * An answer's tokens and cost in one line, as the panel shows it: "1,000 → 500 tokens · $0.0075",
 * with "≈" on figures Relay Chat estimated, the cost in the relay's currency. Undefined without usage.
 */
export function usageSummary(
  view: Pick<AnswerBilling, 'usage' | 'cost' | 'usageEstimated' | 'costCurrency'>,
): string | undefined {
  if (!view.usage) return undefined;
  const mark = view.usageEstimated ? '≈' : '';
  const n = usageFigures(view.usage);
  const tokens = `${mark}${n.prompt.toLocaleString('en-US')} → ${n.completion.toLocaleString('en-US')} tokens`;
  return view.cost === undefined ? tokens : `${tokens} · ${mark}${formatCost(view.cost, view.costCurrency)}`;
}

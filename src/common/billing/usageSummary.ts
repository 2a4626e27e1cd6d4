import type { ViewMessage } from '../panel/protocol';
import { formatMoney } from './money';

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/**
 * An answer's tokens and cost in one line for an export, "1,000 → 500 tokens · $0.0075", with "≈"
 * on figures Relay Chat estimated. Undefined for a message without usage.
 */
export function usageSummary(
  view: Pick<ViewMessage, 'usage' | 'cost' | 'usageEstimated'>,
): string | undefined {
  if (!view.usage) return undefined;
  const mark = view.usageEstimated ? '≈' : '';
  const prompt = count(view.usage.prompt_tokens).toLocaleString('en-US');
  const completion = count(view.usage.completion_tokens).toLocaleString('en-US');
  const tokens = `${mark}${prompt} → ${completion} tokens`;
  return view.cost === undefined ? tokens : `${tokens} · ${mark}${formatMoney(view.cost)}`;
}

import type { ToolCall, Usage } from '../../common/endpoint/chatTypes';
import { IMAGE_DATA_URL } from '../../common/images/imageTypes';
import { el, format } from '../dom';
import type { Strings } from '../strings';

export interface UsageFigures {
  prompt: number;
  completion: number;
  total: number;
  reasoning: number;
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

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

export function usageLine(usage: Usage, strings: Strings): HTMLElement {
  const n = usageFigures(usage);
  let text = format(
    strings.usageTurn,
    n.prompt.toLocaleString(),
    n.completion.toLocaleString(),
    n.total.toLocaleString(),
  );
  if (n.reasoning) text += ` (${format(strings.usageReasoning, n.reasoning.toLocaleString())})`;
  return el('div', { class: 'usage', 'data-testid': 'usage' }, text);
}

/** Arguments as the model wrote them, indented when they are the JSON they should be. */
export function prettyArguments(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

export function toolCallBlocks(
  calls: readonly ToolCall[],
  receiving: boolean,
  strings: Strings,
): HTMLElement[] {
  return calls.map((call) => {
    const name = typeof call?.function?.name === 'string' ? call.function.name : '';
    const args = typeof call?.function?.arguments === 'string' ? call.function.arguments : '';
    const block = el('details', { class: 'tool-call', 'data-role': 'tool' });
    const summary = el('summary');
    summary.append(
      el('span', { class: 'tool-label' }, strings.toolCall),
      el('code', { class: 'tool-name' }, name),
      el('span', { class: 'tool-status' }, receiving ? strings.toolReceiving : strings.toolRequested),
    );
    const pre = el('pre', { class: 'tool-arguments', 'aria-label': strings.toolArguments });
    pre.append(el('code', {}, prettyArguments(args)));
    block.append(summary, pre);
    return block;
  });
}

export function thumbnails(images: readonly string[], strings: Strings): HTMLElement | undefined {
  const valid = images.filter((src) => typeof src === 'string' && IMAGE_DATA_URL.test(src));
  if (!valid.length) return undefined;
  const row = el('div', { class: 'images' });
  for (const src of valid) row.append(el('img', { class: 'thumb', src, alt: strings.attachedImage }));
  return row;
}

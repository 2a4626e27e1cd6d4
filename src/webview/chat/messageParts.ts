import type { ToolCall, Usage } from '../../common/endpoint/chatTypes';
import type { ToolResultView } from '../../common/panel/protocol';
import { IMAGE_DATA_URL } from '../../common/images/imageTypes';
import { el, format } from '../dom';
import type { Strings } from '../strings';
import { formatCost, type Currency } from '../../common/billing/money';
import { usageFigures } from '../../common/billing/usageTotals';

/** "≈" before a figure Relay Chat estimated. */
export const approx = (text: string, estimated: boolean | undefined) => (estimated ? `≈${text}` : text);

/** Tokens, then the cost where it is known, in the relay's currency: "1,000 → 500 tokens · $0.0075". */
export function usageText(
  template: string,
  tokens: string[],
  cost: number | undefined,
  estimated: boolean | undefined,
  currency?: Currency,
): string {
  const text = approx(format(template, ...tokens), estimated);
  return cost === undefined ? text : `${text} · ${approx(formatCost(cost, currency), estimated)}`;
}

export function usageLine(
  usage: Usage,
  strings: Strings,
  billed: { cost?: number; estimated?: boolean; currency?: Currency } = {},
): HTMLElement {
  const n = usageFigures(usage);
  const figures = [n.prompt.toLocaleString(), n.completion.toLocaleString(), n.total.toLocaleString()];
  let text = usageText(strings.usageTurn, figures, billed.cost, billed.estimated, billed.currency);
  if (n.reasoning) text += ` (${format(strings.usageReasoning, n.reasoning.toLocaleString())})`;
  let title = format(strings.usageTurnTitle, ...figures);
  if (billed.estimated) title += `\n${strings.usageEstimated}`;
  return el('div', { class: 'usage', 'data-testid': 'usage', title }, text);
}

/** Arguments as the model wrote them, indented when they are the JSON they should be. */
export function prettyArguments(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

function resultLabel(result: ToolResultView, strings: Strings): string {
  switch (result.status) {
    case 'running':
      return strings.toolRunning;
    case 'done':
      return strings.toolDone;
    case 'applied':
      return strings.toolApplied;
    case 'refused':
      return strings.toolRefused;
    case 'kept':
      return strings.toolKept;
    case 'undone':
      return strings.toolUndone;
  }
}

/**
 * One block per call: its name, what it touched (a button that opens the file's changes), and
 * applied or refused with the reason the model was given.
 */
export function toolCallBlocks(
  calls: readonly ToolCall[],
  receiving: boolean,
  strings: Strings,
  results: readonly (ToolResultView | undefined)[] = [],
): HTMLElement[] {
  return calls.map((call, index) => {
    const name = typeof call?.function?.name === 'string' ? call.function.name : '';
    const args = typeof call?.function?.arguments === 'string' ? call.function.arguments : '';
    const result = results[index];
    const block = el('details', { class: 'tool-call', 'data-role': 'tool', 'data-tool': name });
    if (result) block.setAttribute('data-status', result.status);
    const summary = el('summary');
    summary.append(
      el('span', { class: 'tool-label' }, strings.toolCall),
      el('code', { class: 'tool-name' }, name),
    );
    if (result?.target) {
      const target = el(
        'button',
        {
          type: 'button',
          class: 'tool-target',
          'data-testid': 'tool-target',
          'data-action': 'open-edit',
          'data-index': String(index),
          title: format(strings.openEdit, result.target),
        },
        result.target,
      );
      summary.append(target);
    }
    summary.append(
      el(
        'span',
        { class: 'tool-status', 'data-testid': 'tool-status' },
        result ? resultLabel(result, strings) : receiving ? strings.toolReceiving : strings.toolRequested,
      ),
    );
    block.append(summary);
    if (result?.result && result.status !== 'running') {
      block.append(el('div', { class: 'tool-result', 'data-testid': 'tool-result' }, result.result));
    }
    const pre = el('pre', { class: 'tool-arguments', 'aria-label': strings.toolArguments });
    pre.append(el('code', {}, prettyArguments(args)));
    block.append(pre);
    return block;
  });
}

/** Keep and Undo for the changes of one answer that still wait for review. */
export function reviewButtons(strings: Strings): HTMLElement {
  const row = el('div', { class: 'edit-review' });
  const keep = el(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'accept-edits',
      'data-action': 'keep-edits',
      title: strings.keepEditsTitle,
    },
    strings.keepEdits,
  );
  const undo = el(
    'button',
    {
      type: 'button',
      'data-testid': 'reject-edits',
      'data-action': 'undo-edits',
      title: strings.undoEditsTitle,
    },
    strings.undoEdits,
  );
  row.append(keep, undo);
  return row;
}

export function thumbnails(images: readonly string[], strings: Strings): HTMLElement | undefined {
  const valid = images.filter((src) => typeof src === 'string' && IMAGE_DATA_URL.test(src));
  if (!valid.length) return undefined;
  const row = el('div', { class: 'images' });
  for (const src of valid) row.append(el('img', { class: 'thumb', src, alt: strings.attachedImage }));
  return row;
}

import { el, format, iconButton } from '../dom';
import type { Strings } from '../strings';
import { markdownStream, place, unplace, type MessageDom } from './messageDom';
import { usageLine } from './messageParts';

/** With n > 1, a "1 / 3" switcher between the answer and the other choices. */
export function renderSwitcher(dom: MessageDom, strings: Strings): void {
  const count = choiceCount(dom);
  if (count < 2) return;
  if (dom.choice >= count) showChoice(dom, 0, strings);
  const bar = el('div', { class: 'alternatives', role: 'group' });
  const prev = iconButton('alt-prev', 'chevron-left', strings.previousAlternative);
  const position = el('span', { class: 'alt-position', 'data-testid': 'alt-position' });
  const next = iconButton('alt-next', 'chevron-right', strings.nextAlternative);
  prev.setAttribute('data-action', 'alt-prev');
  next.setAttribute('data-action', 'alt-next');
  // A compare turn's choices say which model wrote them.
  const label = dom.model.choiceLabels?.length
    ? el('span', { class: 'alt-label', 'data-testid': 'alt-label' })
    : undefined;
  bar.append(prev, position, next, ...(label ? [label] : []));
  place(dom, 'switcher', bar);
  updateSwitcher(dom, strings);
}

/** Moves to the next (step 1) or previous (step -1) choice, wrapping around. */
export function stepChoice(dom: MessageDom, step: 1 | -1, strings: Strings): void {
  const count = choiceCount(dom);
  showChoice(dom, (dom.choice + count + step) % count, strings);
}

/** The raw markdown of the choice on screen. */
export function shownText(dom: MessageDom): string {
  return dom.choice > 0 ? (dom.model.alternatives?.[dom.choice - 1] ?? '') : dom.model.text;
}

function choiceCount(dom: MessageDom): number {
  return 1 + (dom.model.alternatives?.length ?? 0);
}

function updateSwitcher(dom: MessageDom, strings: Strings): void {
  const bar = dom.slots.switcher;
  if (!bar) return;
  const count = choiceCount(dom);
  const label = format(strings.alternative, dom.choice + 1, count);
  bar.setAttribute('aria-label', label);
  const position = bar.querySelector('.alt-position')!;
  position.textContent = `${dom.choice + 1} / ${count}`;
  position.setAttribute('title', label);
  const model = bar.querySelector('.alt-label');
  if (model) model.textContent = dom.model.choiceLabels?.[dom.choice] ?? '';
}

/** Shows choice `index`; the others are rendered one-shot through the same pipeline. */
function showChoice(dom: MessageDom, index: number, strings: Strings): void {
  dom.choice = index;
  const text = index > 0 ? dom.model.alternatives?.[index - 1] : undefined;
  dom.body.hidden = text !== undefined;
  if (text === undefined) {
    unplace(dom, 'alternative');
  } else {
    const body = el('div', { class: 'body markdown', 'data-choice': String(index) });
    const stream = markdownStream(body, strings);
    stream.append(text);
    stream.render(true);
    place(dom, 'alternative', body);
  }
  updateSwitcher(dom, strings);
  renderUsage(dom, strings);
}

/** The usage line of the choice on screen: a picked compare answer's alternatives have their own. */
export function renderUsage(dom: MessageDom, strings: Strings): void {
  const shown = dom.choice > 0 ? dom.model.alternativeUsage?.[dom.choice - 1] : undefined;
  const { usage, cost, usageEstimated, costCurrency } = shown ?? dom.model;
  if (usage)
    place(
      dom,
      'usage',
      usageLine(usage, strings, { cost, estimated: usageEstimated, currency: costCurrency }),
    );
  else if (shown) unplace(dom, 'usage');
}

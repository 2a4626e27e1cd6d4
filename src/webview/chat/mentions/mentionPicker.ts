import type { MentionItem } from '../../../common/panel/protocol';
import { codicon, el } from '../../dom';
import type { Strings } from '../../strings';
import { KIND_ICONS } from '../chips/contextChipContent';

const LIST_ID = 'relay-mention-list';

/**
 * The `@` picker's list, drawn like VS Code's quick pick above the composer: a listbox of rows, one
 * of them active. It only shows rows and says which is active; the text box keeps the focus and
 * drives it (mentionInput.ts), as `aria-activedescendant` expects.
 */
export class MentionPicker {
  readonly element: HTMLElement;
  readonly listId = LIST_ID;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly more: HTMLElement;
  private items: readonly MentionItem[] = [];
  private rows: HTMLElement[] = [];
  private activeIndex = 0;

  constructor(strings: Strings, pick: (item: MentionItem) => void) {
    this.element = el('div', { class: 'mention-picker', 'data-testid': 'mention-picker' });
    this.list = el('div', { id: LIST_ID, role: 'listbox', 'aria-label': strings.mentionPicker });
    this.empty = el('div', { class: 'mention-empty' }, strings.mentionNoMatches);
    this.more = el('div', { class: 'mention-more' }, strings.mentionMore);
    this.element.append(this.list, this.empty, this.more);
    this.element.hidden = true;
    // A press on a row must not take the focus from the text box: the picker stays its popup.
    this.element.addEventListener('mousedown', (event) => event.preventDefault());
    this.list.addEventListener('click', (event) => {
      const row = (event.target as Element).closest('[role="option"]');
      const item = row ? this.items[this.rows.indexOf(row as HTMLElement)] : undefined;
      if (item) pick(item);
    });
  }

  get isShown(): boolean {
    return !this.element.hidden;
  }

  /** The active row's item; none when the list is empty or hidden. */
  get active(): MentionItem | undefined {
    return this.isShown ? this.items[this.activeIndex] : undefined;
  }

  /** The active row's element id, for the text box's `aria-activedescendant`. */
  get activeId(): string | undefined {
    return this.active ? this.rows[this.activeIndex].id : undefined;
  }

  show(items: readonly MentionItem[], more: boolean): void {
    this.items = items;
    this.rows = items.map((item, i) => row(item, i));
    this.list.replaceChildren(...this.rows);
    this.empty.hidden = items.length > 0;
    this.more.hidden = !more || items.length === 0;
    this.element.hidden = false;
    this.setActive(0);
  }

  hide(): void {
    this.element.hidden = true;
    this.items = [];
    this.rows = [];
    this.list.replaceChildren();
  }

  /** Moves the active row by `delta`, wrapping around at either end. */
  move(delta: number): void {
    if (!this.rows.length) return;
    this.setActive((this.activeIndex + delta + this.rows.length) % this.rows.length);
  }

  private setActive(index: number): void {
    this.activeIndex = index;
    this.rows.forEach((r, i) => r.setAttribute('aria-selected', String(i === index)));
    this.rows[index]?.scrollIntoView({ block: 'nearest' });
  }
}

function row(item: MentionItem, index: number): HTMLElement {
  const { mention } = item;
  const attrs: Record<string, string> = {
    id: `${LIST_ID}-${index}`,
    class: 'mention-item',
    role: 'option',
    'aria-selected': 'false',
    'data-testid': 'mention-item',
    'data-kind': mention.kind,
  };
  if ('path' in mention) attrs['data-path'] = mention.path;
  const element = el('div', attrs);
  const label = el('span', { class: 'mention-label' });
  label.append(...matchedText(String(item.label), item.matches));
  element.append(codicon(KIND_ICONS[mention.kind]), label);
  if (item.detail) element.append(el('span', { class: 'mention-detail' }, String(item.detail)));
  return element;
}

/** `label` as text nodes, the characters at `matches` in bold: never parsed as HTML. */
export function matchedText(label: string, matches: readonly number[] | undefined): Node[] {
  const bold = new Set(Array.isArray(matches) ? matches : []);
  const nodes: Node[] = [];
  let start = 0;
  while (start < label.length) {
    const matched = bold.has(start);
    let end = start + 1;
    while (end < label.length && bold.has(end) === matched) end++;
    const text = label.slice(start, end);
    nodes.push(matched ? el('b', { class: 'mention-match' }, text) : document.createTextNode(text));
    start = end;
  }
  return nodes;
}

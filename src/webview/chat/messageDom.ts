import type { ViewMessage } from '../../common/panel/protocol';
import { el } from '../dom';
import { decorateCodeBlocks } from '../render/codeBlock';
import { sanitizeToFragment } from '../render/sanitize';
import { MarkdownStream } from '../render/streamingRenderer';
import type { Strings } from '../strings';

/** Text that streams in and is appended as one text node per frame. */
export interface Pending {
  body: HTMLElement;
  pending: string;
}

export interface Reasoning extends Pending {
  details: HTMLDetailsElement;
}

/** The parts of a message, in the order they appear; each is created when first needed. */
const SLOTS = [
  'author',
  'chips',
  'images',
  'notices',
  'reasoning',
  'body',
  'tokens',
  'alternative',
  'edit',
  'refusal',
  'tools',
  'switcher',
  'usage',
  'compare',
  'status',
  'actions',
] as const;
export type Slot = (typeof SLOTS)[number];

/** One message on screen: its model and the elements that show it. */
export interface MessageDom {
  root: HTMLElement;
  body: HTMLElement;
  model: ViewMessage;
  slots: Partial<Record<Slot, HTMLElement>>;
  /** Assistant markdown; user and error messages stay plain text. */
  stream?: MarkdownStream;
  /** The answer's markdown was rendered as finished: text arriving now must not start a block of its own. */
  settled?: boolean;
  reasoning?: Reasoning;
  refusal?: Pending;
  /** The answer has started, so the reasoning has been folded away once. */
  answerStarted: boolean;
  /** Which choice is shown: 0 is the answer, i > 0 is `alternatives[i - 1]`. */
  choice: number;
}

export function messageDom(model: ViewMessage): MessageDom {
  return {
    root: el('article', { class: `message ${model.role}`, 'data-role': model.role, 'data-id': model.id }),
    body: el('div', { class: 'body' }),
    model,
    slots: {},
    answerStarted: false,
    choice: 0,
  };
}

/** Markdown rendered block by block into `container`, sanitised before it touches the DOM. */
export function markdownStream(container: HTMLElement, strings: Strings): MarkdownStream {
  return new MarkdownStream(container, (html) => {
    const fragment = sanitizeToFragment(html);
    decorateCodeBlocks(fragment, strings);
    return fragment;
  });
}

/** Puts a part of a message in its place among the parts that exist so far. */
export function place(dom: MessageDom, slot: Slot, element: HTMLElement): void {
  dom.slots[slot]?.remove();
  dom.slots[slot] = element;
  for (let i = SLOTS.indexOf(slot) + 1; i < SLOTS.length; i++) {
    const next = dom.slots[SLOTS[i]];
    if (next) {
      dom.root.insertBefore(element, next);
      return;
    }
  }
  dom.root.append(element);
}

export function unplace(dom: MessageDom, slot: Slot): void {
  dom.slots[slot]?.remove();
  delete dom.slots[slot];
}

/** The message a control inside the list belongs to. */
export function messageIdOf(target: Element): string {
  return target.closest('[data-id]')?.getAttribute('data-id') ?? '';
}

export function ensureReasoning(dom: MessageDom, open: boolean, strings: Strings): Reasoning {
  if (!dom.reasoning) {
    const details = el('details', { class: 'reasoning', 'data-role': 'reasoning' });
    details.open = open;
    details.append(el('summary', {}, strings.thinking));
    const body = el('div', { class: 'reasoning-body' });
    details.append(body);
    place(dom, 'reasoning', details);
    dom.reasoning = { details, body, pending: '' };
  }
  return dom.reasoning;
}

export function ensureRefusal(dom: MessageDom, strings: Strings): Pending {
  if (!dom.refusal) {
    const block = el('div', { class: 'refusal', role: 'note' });
    const body = el('div', { class: 'refusal-text' });
    block.append(el('div', { class: 'refusal-label' }, strings.refusal), body);
    place(dom, 'refusal', block);
    dom.refusal = { body, pending: '' };
  }
  return dom.refusal;
}

export function addNotice(dom: MessageDom, text: string): void {
  let notices = dom.slots.notices;
  if (!notices) {
    notices = el('div', { class: 'notices' });
    place(dom, 'notices', notices);
  }
  notices.append(el('div', { class: 'notice' }, text));
}

/** The message's notices, all of them, in order (a notice may have been set again, never twice). */
export function renderNotices(dom: MessageDom): void {
  unplace(dom, 'notices');
  for (const text of dom.model.notices ?? []) addNotice(dom, text);
}

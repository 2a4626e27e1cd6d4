import type { ToolCall } from '../../common/endpoint/chatTypes';
import type { MessageStatus, ViewMessage } from '../../common/panel/protocol';
import { el, iconButton } from '../dom';
import type { MarkdownStream } from '../render/streamingRenderer';
import type { Strings } from '../strings';
import { renderSwitcher, renderUsage } from './alternatives';
import { decorateCompareAnswer } from '../compare/compareAnswer';
import { reviewButtons, thumbnails, toolCallBlocks } from './messageParts';
import { renderStructured } from '../structured/structuredAnswer';
import { fillContextChip } from './chips/contextChipContent';
import {
  addNotice,
  ensureReasoning,
  ensureRefusal,
  markdownStream,
  messageDom,
  place,
  unplace,
  type MessageDom,
} from './messageDom';

/** The DOM of one message as its model says; not yet in the document, rendered up to now. */
export function buildMessage(model: ViewMessage, strings: Strings): MessageDom {
  // The conversation's own message: updates fold into it once, and the DOM shows it.
  const copy = model;
  const dom = messageDom(copy);
  const label = copy.role === 'user' ? strings.you : copy.role === 'assistant' ? strings.assistant : '';
  if (label) place(dom, 'author', el('div', { class: 'author' }, label));
  if (copy.context?.length) {
    // What the question carried, as the composer showed it: kind, tokens, notes, the rules' files.
    const chips = el('div', { class: 'chips', role: 'list', 'aria-label': strings.contextChips });
    for (const chip of copy.context) {
      const element = el('span', {
        class: 'chip context-chip',
        'data-testid': 'context-chip',
        role: 'listitem',
      });
      fillContextChip(element, chip, strings);
      chips.append(element);
    }
    place(dom, 'chips', chips);
  }
  if (copy.role === 'user' && copy.images?.length) {
    const row = thumbnails(copy.images, strings);
    if (row) place(dom, 'images', row);
  }
  for (const notice of copy.notices ?? []) addNotice(dom, notice);
  place(dom, 'body', dom.body);
  if (copy.reasoning)
    ensureReasoning(dom, copy.status === 'streaming' && !copy.text, strings).pending += copy.reasoning;
  if (copy.role === 'error' && copy.error) {
    dom.root.setAttribute('role', 'alert');
    dom.body.append(el('strong', { class: 'error-title' }, copy.error.title));
    if (copy.error.detail) dom.body.append(el('div', { class: 'error-detail' }, copy.error.detail));
    if (copy.error.hint) dom.body.append(el('div', { class: 'error-hint' }, copy.error.hint));
    if (copy.error.requestId)
      dom.body.append(el('div', { class: 'error-id' }, `${strings.requestId}: ${copy.error.requestId}`));
    if (copy.error.kind) dom.root.setAttribute('data-error-kind', copy.error.kind);
    if (copy.error.kind === 'settings' && copy.error.setting) {
      dom.body.append(
        el(
          'button',
          {
            'data-testid': 'open-settings',
            'data-action': 'open-settings',
            'data-setting': copy.error.setting,
            type: 'button',
          },
          strings.openSettings,
        ),
      );
    }
    if (copy.error.kind === 'textOnly') {
      dom.body.append(
        el(
          'button',
          {
            'data-testid': 'send-without-attachments',
            'data-action': 'send-without-attachments',
            type: 'button',
          },
          strings.sendWithoutAttachments,
        ),
      );
    }
    if (copy.error.kind === 'context') {
      dom.body.append(
        el(
          'button',
          { 'data-testid': 'error-new-chat', 'data-action': 'new-chat', type: 'button' },
          strings.newChat,
        ),
      );
    }
    if (copy.error.retryable) {
      dom.body.append(
        el('button', { 'data-testid': 'retry', 'data-action': 'retry', type: 'button' }, strings.retry),
      );
    }
    if (copy.error.kind === 'unexpected') {
      dom.body.append(
        el(
          'button',
          { 'data-testid': 'show-log', 'data-action': 'show-log', type: 'button' },
          strings.showLog,
        ),
      );
    }
  } else if (copy.role === 'assistant') {
    dom.body.classList.add('markdown');
    restartAnswer(dom, strings);
    if (copy.text) startAnswer(dom);
    if (copy.refusal) ensureRefusal(dom, strings).pending += copy.refusal;
    if (copy.toolCalls?.length) renderToolCalls(dom, strings);
    if (copy.alternatives?.length) renderSwitcher(dom, strings);
    if (copy.usage) renderUsage(dom, strings);
  } else {
    dom.body.classList.add('plain');
    dom.body.textContent = copy.text;
  }
  if (copy.role !== 'error') place(dom, 'actions', actionBar(copy.role, strings));
  if (copy.compare) decorateCompareAnswer(dom, copy.compare, strings);
  flush(dom, copy.status !== 'streaming');
  if (copy.structured) renderStructured(dom, strings);
  return dom;
}

function actionBar(role: ViewMessage['role'], strings: Strings): HTMLElement {
  const bar = el('div', { class: 'actions' });
  if (role === 'user') bar.append(actionIcon('edit-message', 'edit', strings.editMessage));
  bar.append(
    actionIcon('copy-message', 'copy', strings.copyMessage),
    actionIcon('delete-message', 'trash', strings.deleteMessage),
  );
  return bar;
}

/** An icon button whose click the list dispatches by its `data-action`. */
export function actionIcon(
  action: string,
  icon: string,
  description: string,
  label = '',
  extraClass = '',
): HTMLButtonElement {
  const button = iconButton(action, icon, description, label, extraClass);
  button.setAttribute('data-action', action);
  return button;
}

/** A fresh renderer for the answer, holding the message's text so far; later deltas append. */
export function restartAnswer(dom: MessageDom, strings: Strings): MarkdownStream {
  dom.body.replaceChildren();
  dom.settled = false;
  dom.stream = markdownStream(dom.body, strings);
  if (dom.model.text) dom.stream.append(dom.model.text);
  return dom.stream;
}

/** The first answer text folds the reasoning away, once; the user may open it again. */
export function startAnswer(dom: MessageDom): void {
  if (dom.answerStarted) return;
  dom.answerStarted = true;
  if (dom.reasoning) dom.reasoning.details.open = false;
}

/** Writes what arrived since the last frame; `final` settles the markdown tail too. */
export function flush(dom: MessageDom, final: boolean): void {
  for (const part of [dom.reasoning, dom.refusal]) {
    if (part?.pending) {
      part.body.append(part.pending);
      part.pending = '';
    }
  }
  dom.stream?.render(final);
  if (final) dom.settled = true;
}

export function renderToolCalls(dom: MessageDom, strings: Strings): void {
  const calls: ToolCall[] = dom.model.toolCalls ?? [];
  if (!calls.length) return unplace(dom, 'tools');
  const tools = el('div', { class: 'tool-calls' });
  const results = dom.model.toolResults ?? [];
  tools.append(...toolCallBlocks(calls, dom.model.status === 'streaming', strings, results));
  if (results.some((r) => r?.status === 'applied')) tools.append(reviewButtons(strings));
  place(dom, 'tools', tools);
}

/** Marks the message streaming or finished; returns the note a finished one shows, if any. */
export function renderStatus(dom: MessageDom, status: MessageStatus, strings: Strings): string {
  dom.model.status = status;
  unplace(dom, 'status');
  if (status === 'streaming') {
    dom.root.setAttribute('data-streaming', 'true');
    dom.root.setAttribute('aria-busy', 'true');
    return '';
  }
  dom.root.removeAttribute('data-streaming');
  dom.root.removeAttribute('aria-busy');
  dom.root.setAttribute('data-status', status);
  const note = status === 'stopped' ? strings.stopped : status === 'incomplete' ? strings.incomplete : '';
  if (note) place(dom, 'status', el('div', { class: 'status' }, note));
  return note;
}

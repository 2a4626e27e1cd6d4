import type { WebviewToHost } from '../../common/panel/protocol';
import { actionButton, el } from '../dom';
import type { Strings } from '../strings';
import { place, unplace, type MessageDom } from './messageDom';

/** Editing a sent question in place: a text box instead of the body, Save resends from there. */
export function startEdit(dom: MessageDom, strings: Strings): void {
  const existing = dom.slots.edit?.querySelector('textarea');
  if (existing) return existing.focus();
  const box = el('div', { class: 'edit' });
  const textarea = el('textarea', {
    'data-testid': 'edit-box',
    'aria-label': strings.editMessage,
    rows: String(Math.min(12, Math.max(3, dom.model.text.split('\n').length))),
  });
  textarea.value = dom.model.text;
  const buttons = el('div', { class: 'edit-actions' });
  const cancel = actionButton('edit-cancel', strings.cancel, strings.cancel);
  const save = actionButton('edit-save', strings.saveEdit, strings.saveEdit, 'primary');
  cancel.setAttribute('data-action', 'edit-cancel');
  save.setAttribute('data-action', 'edit-save');
  buttons.append(cancel, save);
  box.append(textarea, buttons);
  dom.body.hidden = true;
  place(dom, 'edit', box);
  textarea.focus();
  textarea.setSelectionRange(textarea.value.length, textarea.value.length);
}

export function saveEdit(dom: MessageDom, postToHost: (message: WebviewToHost) => void): void {
  const text = dom.slots.edit?.querySelector('textarea')?.value ?? '';
  if (!text.trim()) return;
  postToHost({ type: 'edit', messageId: dom.model.id, text });
  dom.model.text = text;
  dom.body.textContent = text;
  endEdit(dom);
}

export function endEdit(dom: MessageDom): void {
  if (!dom.slots.edit) return;
  unplace(dom, 'edit');
  dom.body.hidden = false;
  dom.root.querySelector<HTMLElement>('[data-action="edit-message"]')?.focus();
}

/** Whether a key went to a message's edit box. */
export function isEditBox(target: Element): boolean {
  return !!target.closest?.('textarea[data-testid="edit-box"]');
}

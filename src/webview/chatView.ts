import type { HostToWebview, MessageStatus, ViewMessage, WebviewToHost } from '../common/protocol';
import type { Strings } from './strings';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

interface MessageDom {
  root: HTMLElement;
  body: HTMLElement;
  reasoning?: HTMLElement;
  model: ViewMessage;
}

/**
 * The panel. Model output only ever reaches the DOM as text nodes here; the markdown renderer
 * (sanitised) replaces `body` filling later without changing the hooks below.
 */
export class ChatView {
  private readonly list: HTMLElement;
  private readonly composer: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly emptyNote: HTMLElement;
  private readonly live: HTMLElement;
  private readonly messages = new Map<string, MessageDom>();

  constructor(
    root: HTMLElement,
    private readonly strings: Strings,
    private readonly postToHost: (message: WebviewToHost) => void,
  ) {
    const header = el('header', { class: 'toolbar' });
    const newChat = el(
      'button',
      {
        'data-testid': 'new-chat',
        class: 'icon-button',
        title: strings.newChat,
        'aria-label': strings.newChat,
      },
      '+',
    );
    newChat.addEventListener('click', () => this.postToHost({ type: 'newChat' }));
    header.append(newChat);

    this.list = el('main', { class: 'messages', 'aria-label': 'Conversation' });
    this.emptyNote = el('p', { class: 'empty' }, strings.empty);
    this.list.append(this.emptyNote);
    this.live = el('div', { class: 'sr-only', 'aria-live': 'polite' });

    const form = el('form', { class: 'composer' });
    this.composer = el('textarea', {
      'data-testid': 'composer',
      rows: '3',
      placeholder: strings.composerPlaceholder,
      'aria-label': strings.composerLabel,
    });
    this.sendButton = el('button', { type: 'submit', 'data-testid': 'send', class: 'primary' }, strings.send);
    this.stopButton = el('button', { type: 'button', 'data-testid': 'stop', hidden: '' }, strings.stop);
    this.stopButton.addEventListener('click', () => this.postToHost({ type: 'stop' }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.composer.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    const actions = el('div', { class: 'composer-actions' });
    actions.append(this.stopButton, this.sendButton);
    form.append(this.composer, actions);
    root.append(header, this.list, this.live, form);
  }

  handle(message: HostToWebview): void {
    switch (message.type) {
      case 'state':
        for (const dom of this.messages.values()) dom.root.remove();
        this.messages.clear();
        for (const m of message.state.messages) this.append(m);
        break;
      case 'append':
        this.append(message.message);
        break;
      case 'delta': {
        const dom = this.messages.get(message.messageId);
        if (!dom) return;
        if (message.reasoning) this.appendReasoning(dom, message.reasoning);
        if (message.content) {
          dom.model.text += message.content;
          dom.body.append(message.content);
        }
        this.scrollToEnd();
        break;
      }
      case 'end': {
        const dom = this.messages.get(message.messageId);
        if (dom) this.setStatus(dom, message.status);
        break;
      }
      case 'remove':
        this.messages.get(message.messageId)?.root.remove();
        this.messages.delete(message.messageId);
        break;
      case 'focusComposer':
        this.composer.focus();
        break;
    }
    this.refreshControls();
  }

  private submit(): void {
    const text = this.composer.value;
    if (!text.trim()) return;
    this.postToHost({ type: 'send', text });
    this.composer.value = '';
  }

  private append(model: ViewMessage): void {
    const copy: ViewMessage = { ...model };
    const root = el('article', { class: `message ${copy.role}`, 'data-role': copy.role, 'data-id': copy.id });
    const label =
      copy.role === 'user' ? this.strings.you : copy.role === 'assistant' ? this.strings.assistant : '';
    if (label) root.append(el('div', { class: 'author' }, label));
    if (copy.context?.length) {
      const chips = el('div', { class: 'chips' });
      for (const chip of copy.context) chips.append(el('span', { class: 'chip' }, chip.label));
      root.append(chips);
    }
    const dom: MessageDom = { root, body: el('div', { class: 'body' }), model: copy };
    if (copy.reasoning) this.appendReasoning(dom, copy.reasoning);
    if (copy.role === 'error' && copy.error) {
      root.setAttribute('role', 'alert');
      dom.body.append(el('strong', { class: 'error-title' }, copy.error.title));
      if (copy.error.detail) dom.body.append(el('div', { class: 'error-detail' }, copy.error.detail));
      if (copy.error.hint) dom.body.append(el('div', { class: 'error-hint' }, copy.error.hint));
      if (copy.error.requestId)
        dom.body.append(
          el('div', { class: 'error-id' }, `${this.strings.requestId}: ${copy.error.requestId}`),
        );
      if (copy.error.retryable) {
        const retry = el('button', { 'data-testid': 'retry', type: 'button' }, this.strings.retry);
        retry.addEventListener('click', () => this.postToHost({ type: 'retry' }));
        dom.body.append(retry);
      }
    } else {
      dom.body.textContent = copy.text;
    }
    root.append(dom.body);
    this.list.append(root);
    this.messages.set(copy.id, dom);
    if (copy.status) this.setStatus(dom, copy.status);
    this.scrollToEnd();
  }

  private appendReasoning(dom: MessageDom, text: string): void {
    if (!dom.reasoning) {
      const details = el('details', { class: 'reasoning', 'data-role': 'reasoning' });
      details.append(el('summary', {}, this.strings.thinking));
      dom.reasoning = el('div', { class: 'reasoning-body' });
      details.append(dom.reasoning);
      dom.root.insertBefore(details, dom.body);
    }
    dom.reasoning.append(text);
  }

  private setStatus(dom: MessageDom, status: MessageStatus): void {
    dom.model.status = status;
    dom.root.querySelector('.status')?.remove();
    if (status === 'streaming') {
      dom.root.setAttribute('data-streaming', 'true');
      dom.root.setAttribute('aria-busy', 'true');
      return;
    }
    dom.root.removeAttribute('data-streaming');
    dom.root.removeAttribute('aria-busy');
    dom.root.setAttribute('data-status', status);
    if (status === 'stopped' || status === 'incomplete') {
      dom.root.append(
        el('div', { class: 'status' }, status === 'stopped' ? this.strings.stopped : this.strings.incomplete),
      );
    }
    if (dom.model.role === 'assistant') this.live.textContent = dom.model.text.slice(0, 500);
  }

  private refreshControls(): void {
    const streaming = [...this.messages.values()].some((m) => m.model.status === 'streaming');
    this.stopButton.hidden = !streaming;
    this.emptyNote.hidden = this.messages.size > 0;
  }

  private scrollToEnd(): void {
    const nearBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    if (nearBottom) this.list.scrollTop = this.list.scrollHeight;
  }
}

import type { ToolCall } from '../../common/endpoint/chatTypes';
import type {
  CodeAction,
  HostToWebview,
  MessageStatus,
  ViewMessage,
  WebviewToHost,
} from '../../common/panel/protocol';
import { copyWithFeedback } from './clipboard';
import { codeOf, decorateCodeBlocks, highlightPlainBlocks, isUnfinishedBlock } from '../render/codeBlock';
import { Composer, isSendKey, type ViewStore } from './composer';
import { actionButton, el, format, iconButton } from '../dom';
import { onLanguageLoaded } from '../render/highlight';
import { thumbnails, toolCallBlocks, usageFigures, usageLine } from './messageParts';
import { SAFE_LINK, sanitizeToFragment } from '../render/sanitize';
import { MarkdownStream } from '../render/streamingRenderer';
import type { Strings } from '../strings';
import { Toolbar } from './toolbar';

/** Text that streams in and is appended as one text node per frame. */
interface Pending {
  body: HTMLElement;
  pending: string;
}

interface Reasoning extends Pending {
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
  'alternative',
  'edit',
  'refusal',
  'tools',
  'switcher',
  'usage',
  'status',
  'actions',
] as const;
type Slot = (typeof SLOTS)[number];

interface MessageDom {
  root: HTMLElement;
  body: HTMLElement;
  model: ViewMessage;
  slots: Partial<Record<Slot, HTMLElement>>;
  /** Assistant markdown; user and error messages stay plain text. */
  stream?: MarkdownStream;
  reasoning?: Reasoning;
  refusal?: Pending;
  /** The answer has started, so the reasoning has been folded away once. */
  answerStarted: boolean;
  /** Which choice is shown: 0 is the answer, i > 0 is `alternatives[i - 1]`. */
  choice: number;
}

/** How close to the end (px) still counts as "reading the latest", so new text scrolls into view. */
const STICKY_DISTANCE = 80;
/**
 * Messages kept in the DOM. Older ones of a long chat wait as data behind a "Show earlier" button,
 * so the page's memory and layout cost stop growing with the conversation.
 */
export const MAX_RENDERED = 120;
/** How many earlier messages one click brings back. */
const EARLIER_PAGE = 40;

/**
 * The panel. Assistant text is markdown rendered block by block as it streams, sanitised before it
 * touches the DOM; deltas only queue text and the work happens once per animation frame.
 */
export class ChatView {
  private readonly list: HTMLElement;
  private readonly toolbar: Toolbar;
  private readonly composer: Composer;
  private readonly emptyNote: HTMLElement;
  private readonly live: HTMLElement;
  /** One Regenerate button, moved to whichever assistant message is last. */
  private readonly regenerate: HTMLButtonElement;
  private readonly continueButton: HTMLButtonElement;
  private readonly messages = new Map<string, MessageDom>();
  /** Older messages not in the DOM, oldest first. */
  private earlier: ViewMessage[] = [];
  private readonly earlierButton: HTMLButtonElement;
  private readonly streaming = new Set<string>();
  private readonly dirty = new Set<MessageDom>();
  private lastAssistant: MessageDom | undefined;
  private usageChanged = false;
  private frame = 0;
  /** Kept from scroll events, so a frame never has to measure before it writes. */
  private stickToEnd = true;

  constructor(
    root: HTMLElement,
    private readonly strings: Strings,
    private readonly postToHost: (message: WebviewToHost) => void,
    store?: ViewStore,
  ) {
    this.toolbar = new Toolbar(strings, postToHost);
    this.list = el('main', { class: 'messages', 'aria-label': strings.conversation, tabindex: '0' });
    this.emptyNote = el('p', { class: 'empty' }, strings.empty);
    this.list.append(this.emptyNote);
    this.list.addEventListener('scroll', () => (this.stickToEnd = this.nearEnd()), { passive: true });
    this.list.addEventListener('click', (event) => this.onListClick(event));
    this.list.addEventListener('keydown', (event) => this.onListKeyDown(event));
    this.live = el('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
    this.regenerate = iconButton('regenerate', 'refresh', strings.regenerateTitle);
    this.continueButton = iconButton(
      'continue',
      'debug-continue',
      strings.continueTitle,
      strings.continue,
      'primary',
    );
    this.earlierButton = el('button', {
      type: 'button',
      'data-testid': 'show-earlier',
      class: 'show-earlier',
    });
    this.earlierButton.addEventListener('click', () => this.showEarlier());
    this.composer = new Composer(strings, postToHost, store);
    root.append(this.toolbar.element, this.list, this.live, this.composer.form);
    onLanguageLoaded((language) => highlightPlainBlocks(this.list, language));
  }

  /** Called with the target of a clicked (or Enter-pressed) markdown link; the host opens it. */
  onOpenLink(url: string): void {
    if (SAFE_LINK.test(url)) this.postToHost({ type: 'openLink', url });
  }

  handle(message: HostToWebview): void {
    switch (message.type) {
      case 'state':
        for (const dom of this.messages.values()) dom.root.remove();
        this.messages.clear();
        this.streaming.clear();
        this.dirty.clear();
        this.lastAssistant = undefined;
        this.earlier = message.state.messages.slice(0, -MAX_RENDERED);
        for (const m of message.state.messages.slice(-MAX_RENDERED)) this.append(m);
        this.updateEarlierButton();
        this.toolbar.setModel(message.state.model);
        this.toolbar.setOptions(message.state.options);
        this.usageChanged = true;
        this.stickToEnd = true;
        this.scrollToEnd();
        break;
      case 'append':
        this.append(message.message);
        this.trimRendered();
        // Whoever just sent a message wants to see the answer arrive.
        if (message.message.role === 'user') this.stickToEnd = true;
        this.scrollToEnd();
        break;
      case 'delta': {
        const dom = this.messages.get(message.messageId);
        if (!dom) return;
        if (message.reasoning) {
          this.ensureReasoning(dom, !dom.answerStarted).pending += message.reasoning;
        }
        if (message.content && dom.stream) {
          dom.model.text += message.content;
          dom.stream.append(message.content);
          this.startAnswer(dom);
        }
        if (message.refusal) {
          dom.model.refusal = (dom.model.refusal ?? '') + message.refusal;
          this.ensureRefusal(dom).pending += message.refusal;
        }
        this.schedule(dom);
        return;
      }
      case 'contentWasReasoning': {
        const dom = this.messages.get(message.messageId);
        if (!dom || !dom.stream || !Number.isInteger(message.from) || message.from < 0) return;
        const text = dom.model.text ?? '';
        const moved = text.slice(message.from);
        dom.model.text = text.slice(0, message.from);
        dom.model.reasoning = (dom.model.reasoning ?? '') + moved;
        // Rendered as the answer until now: start the answer over, and show the thought open.
        this.restartAnswer(dom);
        dom.answerStarted = !!dom.model.text;
        const reasoning = this.ensureReasoning(dom, true);
        reasoning.details.open = !dom.answerStarted;
        reasoning.pending += moved;
        this.schedule(dom);
        return;
      }
      case 'notice': {
        const dom = this.messages.get(message.messageId);
        if (!dom) return;
        dom.model.notices = [...(dom.model.notices ?? []), message.text];
        this.addNotice(dom, message.text);
        break;
      }
      case 'usage': {
        const dom = this.messages.get(message.messageId);
        if (!dom) return;
        dom.model.usage = message.usage;
        this.renderUsage(dom);
        break;
      }
      case 'toolCalls': {
        const dom = this.messages.get(message.messageId);
        if (!dom || !Array.isArray(message.calls)) return;
        dom.model.toolCalls = message.calls;
        this.renderToolCalls(dom);
        break;
      }
      case 'alternatives': {
        const dom = this.messages.get(message.messageId);
        if (!dom || !Array.isArray(message.texts)) return;
        dom.model.alternatives = message.texts.filter((t) => typeof t === 'string');
        this.renderSwitcher(dom);
        break;
      }
      case 'end': {
        const dom = this.messages.get(message.messageId);
        if (!dom) return;
        this.dirty.delete(dom);
        this.flush(dom, true);
        this.setStatus(dom, message.status);
        this.scrollToEnd();
        break;
      }
      case 'resume': {
        const dom = this.messages.get(message.messageId);
        if (!dom || !dom.stream) return;
        dom.model.requestId = message.requestId;
        dom.root.removeAttribute('data-status');
        // The cut-off tail was rendered as final; a fresh renderer lets the new text join it.
        this.restartAnswer(dom).render(false);
        this.setStatus(dom, 'streaming');
        break;
      }
      case 'remove': {
        const dom = this.messages.get(message.messageId);
        if (!dom) {
          this.earlier = this.earlier.filter((m) => m.id !== message.messageId);
          this.updateEarlierButton();
          break;
        }
        this.dirty.delete(dom);
        dom.root.remove();
        this.messages.delete(message.messageId);
        this.streaming.delete(message.messageId);
        if (dom === this.lastAssistant) this.lastAssistant = this.findLastAssistant();
        this.usageChanged ||= !!dom.model.usage;
        break;
      }
      case 'focusComposer':
        this.composer.focus();
        break;
      case 'config':
        this.toolbar.setConfig(message.config);
        this.composer.setConfig(message.config);
        break;
      case 'selection':
        this.composer.setSelection(message.label);
        break;
    }
    this.refreshControls();
  }

  private append(model: ViewMessage, before?: Element): void {
    const copy: ViewMessage = { ...model, text: model.text ?? '' };
    const root = el('article', { class: `message ${copy.role}`, 'data-role': copy.role, 'data-id': copy.id });
    const dom: MessageDom = {
      root,
      body: el('div', { class: 'body' }),
      model: copy,
      slots: {},
      answerStarted: false,
      choice: 0,
    };
    const label =
      copy.role === 'user' ? this.strings.you : copy.role === 'assistant' ? this.strings.assistant : '';
    if (label) this.place(dom, 'author', el('div', { class: 'author' }, label));
    if (copy.context?.length) {
      const chips = el('div', { class: 'chips' });
      for (const chip of copy.context) chips.append(el('span', { class: 'chip' }, chip.label));
      this.place(dom, 'chips', chips);
    }
    if (copy.role === 'user' && copy.images?.length) {
      const row = thumbnails(copy.images, this.strings);
      if (row) this.place(dom, 'images', row);
    }
    for (const notice of copy.notices ?? []) this.addNotice(dom, notice);
    this.place(dom, 'body', dom.body);
    if (copy.reasoning)
      this.ensureReasoning(dom, copy.status === 'streaming' && !copy.text).pending += copy.reasoning;
    if (copy.role === 'error' && copy.error) {
      root.setAttribute('role', 'alert');
      dom.body.append(el('strong', { class: 'error-title' }, copy.error.title));
      if (copy.error.detail) dom.body.append(el('div', { class: 'error-detail' }, copy.error.detail));
      if (copy.error.hint) dom.body.append(el('div', { class: 'error-hint' }, copy.error.hint));
      if (copy.error.requestId)
        dom.body.append(
          el('div', { class: 'error-id' }, `${this.strings.requestId}: ${copy.error.requestId}`),
        );
      if (copy.error.kind) root.dataset.errorKind = copy.error.kind;
      const setting = copy.error.setting;
      if (copy.error.kind === 'settings' && setting) {
        const open = el(
          'button',
          { 'data-testid': 'open-settings', type: 'button' },
          this.strings.openSettings,
        );
        open.addEventListener('click', () => this.postToHost({ type: 'openSettings', setting }));
        dom.body.append(open);
      }
      if (copy.error.retryable) {
        const retry = el('button', { 'data-testid': 'retry', type: 'button' }, this.strings.retry);
        retry.addEventListener('click', () => this.postToHost({ type: 'retry' }));
        dom.body.append(retry);
      }
      if (copy.error.kind === 'unexpected') {
        const log = el('button', { 'data-testid': 'show-log', type: 'button' }, this.strings.showLog);
        log.addEventListener('click', () => this.postToHost({ type: 'showLog' }));
        dom.body.append(log);
      }
    } else if (copy.role === 'assistant') {
      dom.body.classList.add('markdown');
      this.restartAnswer(dom);
      if (copy.text) this.startAnswer(dom);
      if (copy.refusal) this.ensureRefusal(dom).pending += copy.refusal;
      if (copy.toolCalls?.length) this.renderToolCalls(dom);
      if (copy.alternatives?.length) this.renderSwitcher(dom);
      if (copy.usage) this.renderUsage(dom);
    } else {
      dom.body.classList.add('plain');
      dom.body.textContent = copy.text;
    }
    if (copy.role !== 'error') this.place(dom, 'actions', this.actionBar(copy.role));
    if (before) {
      this.list.insertBefore(root, before);
    } else {
      this.list.append(root);
    }
    this.messages.set(copy.id, dom);
    if (copy.role === 'assistant' && !before) this.lastAssistant = dom;
    this.flush(dom, copy.status !== 'streaming');
    if (copy.status) this.setStatus(dom, copy.status);
  }

  /** Puts a part of a message in its place among the parts that exist so far. */
  private place(dom: MessageDom, slot: Slot, element: HTMLElement): void {
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

  private unplace(dom: MessageDom, slot: Slot): void {
    dom.slots[slot]?.remove();
    delete dom.slots[slot];
  }

  private actionBar(role: ViewMessage['role']): HTMLElement {
    const bar = el('div', { class: 'actions' });
    if (role === 'user') bar.append(iconButton('edit-message', 'edit', this.strings.editMessage));
    bar.append(
      iconButton('copy-message', 'copy', this.strings.copyMessage),
      iconButton('delete-message', 'trash', this.strings.deleteMessage),
    );
    return bar;
  }

  private toNodes(html: string): DocumentFragment {
    const fragment = sanitizeToFragment(html);
    decorateCodeBlocks(fragment, this.strings);
    return fragment;
  }

  private ensureReasoning(dom: MessageDom, open: boolean): Reasoning {
    if (!dom.reasoning) {
      const details = el('details', { class: 'reasoning', 'data-role': 'reasoning' });
      details.open = open;
      details.append(el('summary', {}, this.strings.thinking));
      const body = el('div', { class: 'reasoning-body' });
      details.append(body);
      this.place(dom, 'reasoning', details);
      dom.reasoning = { details, body, pending: '' };
    }
    return dom.reasoning;
  }

  private ensureRefusal(dom: MessageDom): Pending {
    if (!dom.refusal) {
      const block = el('div', { class: 'refusal', role: 'note' });
      const body = el('div', { class: 'refusal-text' });
      block.append(el('div', { class: 'refusal-label' }, this.strings.refusal), body);
      this.place(dom, 'refusal', block);
      dom.refusal = { body, pending: '' };
    }
    return dom.refusal;
  }

  private addNotice(dom: MessageDom, text: string): void {
    let notices = dom.slots.notices;
    if (!notices) {
      notices = el('div', { class: 'notices' });
      this.place(dom, 'notices', notices);
    }
    notices.append(el('div', { class: 'notice' }, text));
  }

  private renderUsage(dom: MessageDom): void {
    if (dom.model.usage) this.place(dom, 'usage', usageLine(dom.model.usage, this.strings));
    this.usageChanged = true;
  }

  private renderToolCalls(dom: MessageDom): void {
    const calls: ToolCall[] = dom.model.toolCalls ?? [];
    if (!calls.length) return this.unplace(dom, 'tools');
    const tools = el('div', { class: 'tool-calls' });
    tools.append(...toolCallBlocks(calls, dom.model.status === 'streaming', this.strings));
    this.place(dom, 'tools', tools);
  }

  /** With n > 1, a "1 / 3" switcher between the answer and the other choices. */
  private renderSwitcher(dom: MessageDom): void {
    const count = 1 + (dom.model.alternatives?.length ?? 0);
    if (count < 2) return;
    if (dom.choice >= count) this.showChoice(dom, 0);
    const bar = el('div', { class: 'alternatives', role: 'group' });
    const prev = iconButton('alt-prev', 'chevron-left', this.strings.previousAlternative);
    const position = el('span', { class: 'alt-position', 'data-testid': 'alt-position' });
    const next = iconButton('alt-next', 'chevron-right', this.strings.nextAlternative);
    bar.append(prev, position, next);
    this.place(dom, 'switcher', bar);
    this.updateSwitcher(dom);
  }

  private updateSwitcher(dom: MessageDom): void {
    const bar = dom.slots.switcher;
    if (!bar) return;
    const count = 1 + (dom.model.alternatives?.length ?? 0);
    const label = format(this.strings.alternative, dom.choice + 1, count);
    bar.setAttribute('aria-label', label);
    const position = bar.querySelector('.alt-position')!;
    position.textContent = `${dom.choice + 1} / ${count}`;
    position.setAttribute('title', label);
  }

  /** Shows choice `index`; the others are rendered one-shot through the same pipeline. */
  private showChoice(dom: MessageDom, index: number): void {
    dom.choice = index;
    const text = index > 0 ? dom.model.alternatives?.[index - 1] : undefined;
    dom.body.hidden = text !== undefined;
    if (text === undefined) {
      this.unplace(dom, 'alternative');
    } else {
      const body = el('div', { class: 'body markdown', 'data-choice': String(index) });
      const stream = new MarkdownStream(body, (html) => this.toNodes(html));
      stream.append(text);
      stream.render(true);
      this.place(dom, 'alternative', body);
    }
    this.updateSwitcher(dom);
  }

  /** A fresh renderer for the answer, holding the message's text so far; later deltas append. */
  private restartAnswer(dom: MessageDom): MarkdownStream {
    dom.body.replaceChildren();
    dom.stream = new MarkdownStream(dom.body, (html) => this.toNodes(html));
    if (dom.model.text) dom.stream.append(dom.model.text);
    return dom.stream;
  }

  /** The first answer text folds the reasoning away, once; the user may open it again. */
  private startAnswer(dom: MessageDom): void {
    if (dom.answerStarted) return;
    dom.answerStarted = true;
    if (dom.reasoning) dom.reasoning.details.open = false;
  }

  private schedule(dom: MessageDom): void {
    this.dirty.add(dom);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.renderFrame());
  }

  /** Many deltas in one frame cost one render; the only layout read is the scroll write at the end. */
  private renderFrame(): void {
    this.frame = 0;
    for (const dom of this.dirty) this.flush(dom, false);
    this.dirty.clear();
    this.scrollToEnd();
  }

  private flush(dom: MessageDom, final: boolean): void {
    for (const part of [dom.reasoning, dom.refusal]) {
      if (part?.pending) {
        part.body.append(part.pending);
        part.pending = '';
      }
    }
    dom.stream?.render(final);
  }

  private setStatus(dom: MessageDom, status: MessageStatus): void {
    dom.model.status = status;
    this.unplace(dom, 'status');
    if (status === 'streaming') {
      this.streaming.add(dom.model.id);
      dom.root.setAttribute('data-streaming', 'true');
      dom.root.setAttribute('aria-busy', 'true');
      return;
    }
    const wasStreaming = this.streaming.delete(dom.model.id);
    dom.root.removeAttribute('data-streaming');
    dom.root.removeAttribute('aria-busy');
    dom.root.setAttribute('data-status', status);
    const note =
      status === 'stopped' ? this.strings.stopped : status === 'incomplete' ? this.strings.incomplete : '';
    if (note) this.place(dom, 'status', el('div', { class: 'status' }, note));
    if (wasStreaming) {
      if (dom.model.toolCalls?.length) this.renderToolCalls(dom);
      if (dom.model.role === 'assistant') this.live.textContent = note || this.strings.answerComplete;
    }
  }

  private onListClick(event: MouseEvent): void {
    const target = event.target as Element;
    const link = target.closest?.('a[data-href]');
    if (link) {
      event.preventDefault();
      this.onOpenLink(link.getAttribute('data-href') ?? '');
      return;
    }
    const button = target.closest?.('button');
    const dom = this.messages.get(button?.closest('[data-id]')?.getAttribute('data-id') ?? '');
    if (!button || !dom) return;
    const action = button.getAttribute('data-code-action') as CodeAction | null;
    if (action) {
      if (!isUnfinishedBlock(button)) this.postToHost({ type: 'code', action, ...codeOf(button) });
      return;
    }
    switch (button.getAttribute('data-testid')) {
      case 'code-copy':
        void copyWithFeedback(button, codeOf(button).code, this.strings);
        break;
      case 'copy-message':
        void copyWithFeedback(button, this.shownText(dom), this.strings);
        break;
      case 'regenerate':
        this.postToHost({ type: 'regenerate' });
        break;
      case 'continue':
        this.postToHost({ type: 'continue' });
        break;
      case 'delete-message':
        this.postToHost({ type: 'delete', messageId: dom.model.id });
        break;
      case 'edit-message':
        this.startEdit(dom);
        break;
      case 'edit-save':
        this.saveEdit(dom);
        break;
      case 'edit-cancel':
        this.endEdit(dom);
        break;
      case 'alt-prev':
      case 'alt-next': {
        const count = 1 + (dom.model.alternatives?.length ?? 0);
        const step = button.getAttribute('data-testid') === 'alt-next' ? 1 : count - 1;
        this.showChoice(dom, (dom.choice + step) % count);
        break;
      }
    }
  }

  private onListKeyDown(event: KeyboardEvent): void {
    const target = event.target as Element;
    const editBox = target.closest?.('textarea[data-testid="edit-box"]');
    if (editBox) {
      const dom = this.messages.get(editBox.closest('[data-id]')?.getAttribute('data-id') ?? '');
      if (!dom) return;
      if (isSendKey(event, this.composer.sendKey)) {
        event.preventDefault();
        this.saveEdit(dom);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.endEdit(dom);
      }
      return;
    }
    const link = target.closest?.('a[data-href]');
    if (link && event.key === 'Enter') {
      event.preventDefault();
      this.onOpenLink(link.getAttribute('data-href') ?? '');
    }
  }

  /** The raw markdown of the choice on screen. */
  private shownText(dom: MessageDom): string {
    return dom.choice > 0 ? (dom.model.alternatives?.[dom.choice - 1] ?? '') : dom.model.text;
  }

  private startEdit(dom: MessageDom): void {
    const existing = dom.slots.edit?.querySelector('textarea');
    if (existing) return existing.focus();
    const box = el('div', { class: 'edit' });
    const textarea = el('textarea', {
      'data-testid': 'edit-box',
      'aria-label': this.strings.editMessage,
      rows: String(Math.min(12, Math.max(3, dom.model.text.split('\n').length))),
    });
    textarea.value = dom.model.text;
    const buttons = el('div', { class: 'edit-actions' });
    buttons.append(
      actionButton('edit-cancel', this.strings.cancel, this.strings.cancel),
      actionButton('edit-save', this.strings.saveEdit, this.strings.saveEdit, 'primary'),
    );
    box.append(textarea, buttons);
    dom.body.hidden = true;
    this.place(dom, 'edit', box);
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  private saveEdit(dom: MessageDom): void {
    const text = dom.slots.edit?.querySelector('textarea')?.value ?? '';
    if (!text.trim()) return;
    this.postToHost({ type: 'edit', messageId: dom.model.id, text });
    dom.model.text = text;
    dom.body.textContent = text;
    this.endEdit(dom);
  }

  private endEdit(dom: MessageDom): void {
    if (!dom.slots.edit) return;
    this.unplace(dom, 'edit');
    dom.body.hidden = false;
    dom.root.querySelector<HTMLElement>('[data-testid="edit-message"]')?.focus();
  }

  private findLastAssistant(): MessageDom | undefined {
    let last: MessageDom | undefined;
    for (const dom of this.messages.values()) if (dom.model.role === 'assistant') last = dom;
    return last;
  }

  private refreshControls(): void {
    const idle = this.streaming.size === 0;
    this.composer.setStreaming(!idle);
    this.emptyNote.hidden = this.messages.size + this.earlier.length > 0;
    const bar = this.lastAssistant?.slots.actions;
    if (bar && idle) {
      if (this.regenerate.parentNode !== bar) bar.insertBefore(this.regenerate, bar.lastChild);
    } else {
      this.regenerate.remove();
    }
    // A cut-off or stopped last answer can be continued where it ended.
    const cut = this.lastAssistant?.model.status;
    if (bar && idle && (cut === 'incomplete' || cut === 'stopped')) {
      if (this.continueButton.parentNode !== bar) bar.insertBefore(this.continueButton, bar.firstChild);
    } else {
      this.continueButton.remove();
    }
    if (this.usageChanged) {
      this.usageChanged = false;
      let prompt = 0;
      let completion = 0;
      let total = 0;
      for (const usage of [
        ...this.earlier.map((m) => m.usage),
        ...[...this.messages.values()].map((d) => d.model.usage),
      ]) {
        if (!usage) continue;
        const n = usageFigures(usage);
        prompt += n.prompt;
        completion += n.completion;
        total += n.total;
      }
      this.toolbar.setUsageTotal(prompt, completion, total);
    }
  }

  /** Moves the oldest messages out of the DOM once more than MAX_RENDERED are in it. */
  private trimRendered(): void {
    if (this.messages.size <= MAX_RENDERED) return;
    for (const [id, dom] of this.messages) {
      if (this.messages.size <= MAX_RENDERED || dom.model.status === 'streaming') break;
      this.dirty.delete(dom);
      dom.root.remove();
      this.messages.delete(id);
      this.earlier.push(dom.model);
    }
    this.updateEarlierButton();
  }

  /** Brings the newest page of hidden messages back, above the ones showing, in order. */
  private showEarlier(): void {
    const page = this.earlier.splice(-EARLIER_PAGE);
    const first = this.list.querySelector('article.message');
    const kept = [...this.messages];
    this.messages.clear();
    for (const model of page) this.append(model, first ?? undefined);
    for (const [id, dom] of kept) this.messages.set(id, dom);
    this.updateEarlierButton();
    this.refreshControls();
  }

  private updateEarlierButton(): void {
    if (!this.earlier.length) {
      this.earlierButton.remove();
      return;
    }
    this.earlierButton.textContent = format(this.strings.showEarlier, String(this.earlier.length));
    if (this.earlierButton.parentNode !== this.list)
      this.list.insertBefore(this.earlierButton, this.emptyNote.nextSibling);
  }

  private nearEnd(): boolean {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < STICKY_DISTANCE;
  }

  private scrollToEnd(): void {
    if (this.stickToEnd) this.list.scrollTop = this.list.scrollHeight;
  }
}

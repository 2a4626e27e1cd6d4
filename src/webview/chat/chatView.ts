import { SetupActions } from '../setup/setupActions';
import type { HostToWebview, MessageStatus, ViewMessage, WebviewToHost } from '../../common/panel/protocol';
import type { Applied } from '../../common/panel/messageReducer';
import {
  PanelConversation,
  isConversationMessage,
  type PanelChange,
} from '../../common/panel/panelConversation';
import { el } from '../dom';
import { highlightPlainBlocks } from '../render/codeBlock';
import { onLanguageLoaded } from '../render/highlight';
import type { Strings } from '../strings';
import { renderSwitcher, renderUsage } from './alternatives';
import { Composer } from './composer';
import { isMentionMessage } from './mentions/composerMentions';
import { listenToConversation } from './conversationActions';
import { updateViewState, type ViewStore } from './viewState';
import { ContextMeter } from '../context/contextMeter';
import { ensureReasoning, ensureRefusal, renderNotices, type MessageDom } from './messageDom';
import {
  actionIcon,
  buildMessage,
  flush,
  renderStatus,
  renderToolCalls,
  restartAnswer,
  startAnswer,
} from './messageView';
import { MAX_RENDERED, Paging } from './paging';
import { EndFollower } from './scroll';
import { Toolbar } from './toolbar';
import { offerTokens, withdrawTokens } from '../logprobs/tokenView';
import { usageTotals } from '../../common/billing/usageTotals';
import { renderStructured } from '../structured/structuredAnswer';
import { SchemaChip } from '../structured/structuredControls';
import { savedScroll, type SavedScroll } from './savedScroll';

/**
 * The panel: host messages in, the conversation on screen. Each host message first updates the
 * message's model (`PanelConversation`, the host's own reducer), then renders the change. Assistant text is markdown rendered
 * block by block as it streams; deltas only queue text and the work happens once per animation frame.
 */
export class ChatView {
  private readonly list: HTMLElement;
  private readonly toolbar: Toolbar;
  private readonly composer: Composer;
  private readonly schemaChip: SchemaChip;
  private readonly contextMeter: ContextMeter;
  private readonly emptyNote: HTMLElement;
  private readonly setup: SetupActions;
  private readonly live: HTMLElement;
  /** One Regenerate button, moved to whichever assistant message is last. */
  private readonly regenerate: HTMLButtonElement;
  private readonly continueButton: HTMLButtonElement;
  /** Every message of the conversation, paged out or not, folded as the host folds them. */
  private readonly conversation: PanelConversation;
  /** The messages on screen. */
  private readonly messages = new Map<string, MessageDom>();
  private readonly paging: Paging;
  private readonly follower: EndFollower;
  private readonly streaming = new Set<string>();
  private readonly dirty = new Set<MessageDom>();
  private lastAssistant: MessageDom | undefined;
  private usageChanged = false;
  /** Where the reader was when the panel was last torn down, for the first snapshot after. */
  private scrollToRestore: SavedScroll | undefined;
  private scrollSaveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly store: ViewStore | undefined;
  private frame = 0;

  constructor(
    root: HTMLElement,
    private readonly strings: Strings,
    postToHost: (message: WebviewToHost) => void,
    store?: ViewStore,
  ) {
    this.conversation = new PanelConversation((messageId) => postToHost({ type: 'resync', messageId }));
    this.toolbar = new Toolbar(strings, postToHost);
    this.list = el('main', { class: 'messages', 'aria-label': strings.conversation, tabindex: '0' });
    this.emptyNote = el('p', { class: 'empty' }, strings.empty);
    this.list.append(this.emptyNote);
    this.setup = new SetupActions(this.emptyNote, strings, postToHost);
    this.paging = new Paging(this.list, this.emptyNote, strings);
    this.follower = new EndFollower(this.list, () => this.saveScroll());
    this.scrollToRestore = savedScroll(store);
    this.store = store;
    // A reader who scrolled up finds the same place after the panel is rebuilt (hidden and shown,
    // moved). Read only while they read: never while the list follows a stream.
    this.list.addEventListener(
      'scroll',
      () => {
        if (this.follower.isFollowing) return;
        clearTimeout(this.scrollSaveTimer);
        this.scrollSaveTimer = setTimeout(() => this.saveScroll(), 150);
      },
      { passive: true },
    );
    listenToConversation(this.list, {
      strings,
      postToHost,
      message: (id) => this.messages.get(id),
      showEarlier: () => this.showEarlier(),
      sendKey: () => this.composer.sendKey,
    });
    this.live = el('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
    this.regenerate = actionIcon('regenerate', 'refresh', strings.regenerateTitle);
    this.continueButton = actionIcon(
      'continue',
      'debug-continue',
      strings.continueTitle,
      strings.continue,
      'primary',
    );
    this.composer = new Composer(strings, postToHost, store);
    this.contextMeter = new ContextMeter(strings, postToHost);
    this.composer.attachMeter(this.contextMeter);
    this.schemaChip = new SchemaChip(strings, postToHost);
    this.composer.form.prepend(this.schemaChip.element);
    root.append(this.toolbar.element, this.list, this.live, this.composer.form);
    onLanguageLoaded((language) => highlightPlainBlocks(this.list, language));
  }

  /** The panel has said `ready`: the host now answers what it posts. */
  connected(): void {
    this.composer.connected();
  }

  handle(message: HostToWebview): void {
    if (isConversationMessage(message)) {
      // One fold, the host's: the conversation's model changes first, then the DOM shows it.
      this.render(this.conversation.receive(message), message);
    } else if (message.type === 'focusComposer') {
      this.composer.focus();
    } else if (message.type === 'compareModels') {
      this.toolbar.compare.setModels(message.models, message.selected);
    } else if (message.type === 'config') {
      this.toolbar.setConfig(message.config);
      this.toolbar.compare.setSelected(message.config.compare ?? []);
      this.composer.setConfig(message.config);
      this.setup.setConfig(message.config);
    } else if (message.type === 'selection') {
      this.composer.setSelection(message.label);
    } else if (message.type === 'context') {
      this.contextMeter.setInfo(message.context);
    } else if (message.type === 'addImages') {
      void this.composer.addRawImages(message);
    } else if (message.type === 'addFiles') {
      this.composer.addPickedFiles(message.files);
    } else if (message.type === 'structured') {
      this.schemaChip.set(message.name);
    } else if (isMentionMessage(message)) {
      this.composer.handleMentions(message);
    }
    this.refreshControls();
  }

  private render(change: PanelChange, message: HostToWebview): void {
    switch (change.kind) {
      case 'reset': {
        if (message.type !== 'state') return;
        for (const dom of this.messages.values()) this.detach(dom);
        this.messages.clear();
        this.streaming.clear();
        this.dirty.clear();
        this.lastAssistant = undefined;
        for (const m of this.paging.reset([...this.conversation.messages])) this.append(m);
        this.toolbar.setModel(message.state.model);
        this.toolbar.setOptions(message.state.options);
        for (const dom of this.messages.values()) offerTokens(dom, this.strings, this.toolbar.showsTokens);
        this.usageChanged = true;
        const restore = this.scrollToRestore;
        this.scrollToRestore = undefined;
        const anchor =
          restore && restore.first === this.conversation.messages[0]?.id && this.messages.get(restore.anchor);
        if (anchor) {
          // Once, when the rebuilt panel first shows the conversation.
          this.follower.restore(anchor.root, restore.offset);
        } else {
          this.follower.jumpToEnd();
        }
        return;
      }
      case 'append':
        this.append(change.message);
        this.trimRendered();
        // Whoever just sent a message wants to see the answer arrive.
        if (change.message.role === 'user') this.follower.jumpToEnd();
        return;
      case 'update': {
        const dom = this.messages.get(change.message.id);
        if (dom) this.renderUpdate(dom, change.applied);
        return;
      }
      case 'replace': {
        const dom = this.messages.get(change.message.id);
        if (!dom) return;
        // The panel's copy had a hole: draw the message again from what the host sent.
        this.dirty.delete(dom);
        this.streaming.delete(dom.model.id);
        const next = this.append(change.message, dom.root);
        this.detach(dom);
        if (this.lastAssistant === dom) this.lastAssistant = next;
        // A picked compare answer now carries the others' usage (alternativeUsage).
        this.usageChanged = true;
        return;
      }
      case 'remove': {
        const dom = this.messages.get(change.messageId);
        if (!dom) {
          this.paging.remove(change.messageId);
          return;
        }
        this.dirty.delete(dom);
        this.detach(dom);
        this.messages.delete(change.messageId);
        this.streaming.delete(change.messageId);
        if (dom === this.lastAssistant) this.lastAssistant = this.findLastAssistant();
        this.usageChanged ||= !!dom.model.usage;
        return;
      }
      case 'none':
        return;
    }
  }

  /** Draws what one update changed in a message that is on screen. */
  private renderUpdate(dom: MessageDom, applied: Applied): void {
    const { changed } = applied;
    if (changed.has('contentWasReasoning')) {
      // Rendered as the answer until now: the answer starts over, and the thought shows open.
      restartAnswer(dom, this.strings);
      dom.answerStarted = !!dom.model.text;
      const reasoning = ensureReasoning(dom, true, this.strings);
      reasoning.details.open = !dom.answerStarted;
      reasoning.body.replaceChildren();
      reasoning.pending = dom.model.reasoning ?? '';
    } else {
      // Text for an answer rendered as finished (a Continue whose start and end came in one update,
      // so no 'streaming' status was seen): a fresh renderer, holding the model's whole text with
      // this update's, joins it to the text before.
      const restarted = dom.settled && applied.appended.some((a) => a.channel === 'content');
      if (restarted) restartAnswer(dom, this.strings);
      for (const { channel, text } of applied.appended) {
        if (channel === 'content') {
          if (!restarted) dom.stream?.append(text);
          startAnswer(dom);
        } else if (channel === 'reasoning') {
          ensureReasoning(dom, !dom.answerStarted, this.strings).pending += text;
        } else if (channel === 'refusal') {
          ensureRefusal(dom, this.strings).pending += text;
        }
        // Other choices (n > 1) are drawn when the answer ends, behind the switcher.
      }
    }
    if (applied.appended.length || changed.has('contentWasReasoning')) this.schedule(dom);
    if (changed.has('notice')) renderNotices(dom);
    if (changed.has('usage') || changed.has('cost')) {
      renderUsage(dom, this.strings);
      this.usageChanged = true;
    }
    if (changed.has('toolCalls') || changed.has('toolResult')) renderToolCalls(dom, this.strings);
    if (changed.has('status')) {
      const status = dom.model.status ?? 'complete';
      if (status === 'streaming') {
        // Continue: the cut-off tail was rendered as final; a fresh renderer lets new text join it.
        dom.root.removeAttribute('data-status');
        withdrawTokens(dom);
        restartAnswer(dom, this.strings).render(false);
      } else {
        this.dirty.delete(dom);
        flush(dom, true);
        if (dom.model.alternatives?.length) renderSwitcher(dom, this.strings);
      }
      this.setStatus(dom, status);
      offerTokens(dom, this.strings, this.toolbar.showsTokens);
    }
    if (changed.has('structured')) renderStructured(dom, this.strings);
  }

  private append(model: ViewMessage, before?: Element): MessageDom {
    const dom = buildMessage(model, this.strings);
    this.list.insertBefore(dom.root, before ?? this.follower.end);
    this.follower.watch(dom.root);
    this.messages.set(dom.model.id, dom);
    if (dom.model.role === 'assistant' && !before) this.lastAssistant = dom;
    if (dom.model.status) this.setStatus(dom, dom.model.status);
    offerTokens(dom, this.strings, this.toolbar.showsTokens);
    return dom;
  }

  private detach(dom: MessageDom): void {
    dom.root.remove();
    this.follower.unwatch(dom.root);
  }

  private schedule(dom: MessageDom): void {
    this.dirty.add(dom);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.renderFrame());
  }

  /**
   * Many deltas in one frame cost one render. Writes only: nothing here reads layout, and the
   * follower keeps the end in view during the browser's own layout.
   */
  private renderFrame(): void {
    this.frame = 0;
    for (const dom of this.dirty) flush(dom, false);
    this.dirty.clear();
  }

  private setStatus(dom: MessageDom, status: MessageStatus): void {
    const note = renderStatus(dom, status, this.strings);
    if (status === 'streaming') {
      this.streaming.add(dom.model.id);
      return;
    }
    if (this.streaming.delete(dom.model.id)) {
      if (dom.model.toolCalls?.length) renderToolCalls(dom, this.strings);
      if (dom.model.role === 'assistant') this.live.textContent = note || this.strings.answerComplete;
    }
  }

  private saveScroll(): void {
    const first = this.conversation.messages[0]?.id;
    let scroll: SavedScroll | undefined;
    if (!this.follower.isFollowing && first) {
      const doms = [...this.messages.values()];
      const at = this.follower.readingPosition(doms.map((d) => d.root));
      const dom = at && doms.find((d) => d.root === at.element);
      if (dom && at) scroll = { first, anchor: dom.model.id, offset: at.offset };
    }
    updateViewState(this.store, { scroll });
  }

  private findLastAssistant(): MessageDom | undefined {
    let last: MessageDom | undefined;
    for (const dom of this.messages.values()) if (dom.model.role === 'assistant') last = dom;
    return last;
  }

  private refreshControls(): void {
    const idle = this.streaming.size === 0;
    this.composer.setStreaming(!idle);
    this.emptyNote.hidden = this.messages.size + this.paging.hidden.length > 0;
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
      const totals = usageTotals([...this.paging.hidden, ...[...this.messages.values()].map((d) => d.model)]);
      this.toolbar.setUsageTotal(totals);
    }
  }

  /** Moves the oldest messages out of the DOM once more than MAX_RENDERED are in it. */
  private trimRendered(): void {
    const hidden: ViewMessage[] = [];
    for (const [id, dom] of this.messages) {
      if (this.messages.size <= MAX_RENDERED || dom.model.status === 'streaming') break;
      this.dirty.delete(dom);
      this.detach(dom);
      this.messages.delete(id);
      hidden.push(dom.model);
    }
    this.paging.hide(hidden);
  }

  /** Brings the newest page of hidden messages back, above the ones showing, in order. */
  private showEarlier(): void {
    const page = this.paging.takePage();
    const first = this.list.querySelector('article.message');
    const kept = [...this.messages];
    this.messages.clear();
    for (const model of page) this.append(model, first ?? undefined);
    for (const [id, dom] of kept) this.messages.set(id, dom);
    this.refreshControls();
  }
}

import { isMention, type Mention } from '../../../common/mentions/mentionTypes';
import type { HostToWebview, MentionItem, WebviewToHost } from '../../../common/panel/protocol';
import type { Strings } from '../../strings';
import { MentionPicker } from './mentionPicker';
import { findTrigger, replaceTrigger, type MentionTrigger } from './mentionTrigger';

/** Long enough to fold a burst of keystrokes into one query, short enough not to be seen. */
const QUERY_DELAY_MS = 20;

/** Keys that move the caret without typing: the `@query` it is in may change. */
const CARET_KEYS = new Set([
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
  'PageUp',
  'PageDown',
]);

export interface MentionInputHooks {
  post(message: WebviewToHost): void;
  /** The user picked a row: the `@query` is already out of the text. */
  pick(mention: Mention): void;
  /** The text box's value changed under the user's hands (a pick, a completion). */
  textChanged(): void;
}

/**
 * The text box's side of the `@` picker: while the caret is in an `@query` the picker is open, the
 * query goes to the host (ids increasing, answers to an older one dropped), and the keys drive the
 * list. Escape closes it for that `@` until the caret leaves it.
 *
 * Tab picks the active row; on a folder it completes the text to `@folder/` instead, so the next
 * keystrokes search inside it (Enter picks the folder itself).
 */
export class MentionInput {
  readonly picker: MentionPicker;
  private trigger: MentionTrigger | undefined;
  /** Where the `@` that Escape closed starts: typing on after it does not reopen the picker. */
  private dismissedAt: number | undefined;
  private lastId = 0;
  /** The id of the query whose rows the picker waits for; none while it is closed. */
  private awaited: number | undefined;
  private postedQuery: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    strings: Strings,
    private readonly textarea: HTMLTextAreaElement,
    private readonly hooks: MentionInputHooks,
  ) {
    this.picker = new MentionPicker(strings, (item) => this.pick(item));
    textarea.setAttribute('aria-autocomplete', 'list');
    textarea.setAttribute('aria-controls', this.picker.listId);
    textarea.setAttribute('aria-expanded', 'false');
    textarea.addEventListener('input', () => this.update());
    textarea.addEventListener('click', () => this.update());
    textarea.addEventListener('keyup', (event) => {
      if (CARET_KEYS.has(event.key) && !this.picker.isShown) this.update();
    });
    textarea.addEventListener('blur', () => this.close());
  }

  /** Whether a keydown was the picker's; the composer handles the rest (and never sends then). */
  onKeyDown(event: KeyboardEvent): boolean {
    if (!this.trigger || event.isComposing) return false;
    const plain = !(event.shiftKey || event.ctrlKey || event.metaKey || event.altKey);
    const active = this.picker.active;
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && plain && this.picker.isShown) {
      this.picker.move(event.key === 'ArrowDown' ? 1 : -1);
      this.showActive();
    } else if (event.key === 'Enter' && !event.shiftKey) {
      // Never a send while the picker is open: a pick, or (no rows yet) the picker closes.
      if (active) this.pick(active);
      else this.dismiss();
    } else if (event.key === 'Tab' && plain && active) {
      if (!this.complete(active)) this.pick(active);
    } else if (event.key === 'Escape') {
      // Only the picker closes: not also the answer the composer's Escape would stop.
      event.stopPropagation();
      this.dismiss();
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  /** The host's rows for a query; those for any but the latest query sent are dropped. */
  results(message: Extract<HostToWebview, { type: 'mentionResults' }>): void {
    if (!this.trigger || message.id !== this.awaited || !Array.isArray(message.items)) return;
    const items = message.items.filter((item: MentionItem) => isMention(item?.mention));
    this.picker.show(items, message.more === true);
    this.textarea.setAttribute('aria-expanded', 'true');
    this.showActive();
  }

  /** Opens, follows or closes the picker for where the caret is now. */
  private update(): void {
    const { value, selectionStart, selectionEnd } = this.textarea;
    const trigger = findTrigger(value, selectionStart, selectionEnd);
    if (!trigger || trigger.start === this.dismissedAt) {
      if (!trigger) this.dismissedAt = undefined;
      this.close();
      return;
    }
    this.dismissedAt = undefined;
    this.trigger = trigger;
    if (trigger.query === this.postedQuery && this.awaited !== undefined) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.trigger) return;
      const id = ++this.lastId;
      this.awaited = id;
      this.postedQuery = this.trigger.query;
      this.hooks.post({ type: 'mentionQuery', id, query: this.trigger.query });
    }, QUERY_DELAY_MS);
  }

  private pick(item: MentionItem): void {
    const trigger = this.trigger;
    if (!trigger) return;
    this.replaceQuery(trigger, '');
    this.close();
    this.hooks.pick(item.mention);
    this.hooks.textChanged();
  }

  /** A folder's path in place of the query, to search below it; false for anything else. */
  private complete(item: MentionItem): boolean {
    const { mention } = item;
    const trigger = this.trigger;
    if (!trigger || mention.kind !== 'folder' || /\s/.test(mention.path)) return false;
    this.replaceQuery(trigger, `@${mention.path.replace(/\/*$/, '/')}`);
    this.update();
    this.hooks.textChanged();
    return true;
  }

  private replaceQuery(trigger: MentionTrigger, insert: string): void {
    const { value, caret } = replaceTrigger(
      this.textarea.value,
      trigger,
      trigger.start + 1 + trigger.query.length,
      insert,
    );
    this.textarea.value = value;
    this.textarea.setSelectionRange(caret, caret);
  }

  private dismiss(): void {
    this.dismissedAt = this.trigger?.start;
    this.close();
  }

  private close(): void {
    clearTimeout(this.timer);
    this.trigger = undefined;
    this.awaited = undefined;
    this.postedQuery = undefined;
    if (this.picker.isShown) this.picker.hide();
    this.textarea.setAttribute('aria-expanded', 'false');
    this.textarea.removeAttribute('aria-activedescendant');
  }

  private showActive(): void {
    const id = this.picker.activeId;
    if (id) this.textarea.setAttribute('aria-activedescendant', id);
    else this.textarea.removeAttribute('aria-activedescendant');
  }
}

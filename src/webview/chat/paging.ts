import type { ViewMessage } from '../../common/panel/protocol';
import { el, format } from '../dom';
import type { Strings } from '../strings';

/**
 * Messages kept in the DOM. Older ones of a long chat wait as data behind a "Show earlier" button,
 * so the page's memory and layout cost stop growing with the conversation.
 */
export const MAX_RENDERED = 120;
/** How many earlier messages one click brings back. */
const EARLIER_PAGE = 40;

/** The older messages that are not in the DOM, and the button that brings them back. */
export class Paging {
  /** Oldest first. */
  private earlier: ViewMessage[] = [];
  private readonly button: HTMLButtonElement;

  constructor(
    private readonly list: HTMLElement,
    /** The element the button goes after, at the top of the list. */
    private readonly top: HTMLElement,
    private readonly strings: Strings,
  ) {
    this.button = el('button', {
      type: 'button',
      'data-testid': 'show-earlier',
      'data-action': 'show-earlier',
      class: 'show-earlier',
    });
  }

  get hidden(): readonly ViewMessage[] {
    return this.earlier;
  }

  /** A whole conversation: returns the newest ones, to render; keeps the rest. */
  reset(messages: ViewMessage[]): ViewMessage[] {
    this.earlier = messages.slice(0, -MAX_RENDERED);
    this.update();
    return messages.slice(-MAX_RENDERED);
  }

  /** Messages moved out of the DOM, oldest first, after the ones already hidden. */
  hide(models: ViewMessage[]): void {
    if (!models.length) return;
    this.earlier.push(...models);
    this.update();
  }

  /** Takes the newest page of hidden messages, to render above the ones showing, in order. */
  takePage(): ViewMessage[] {
    const page = this.earlier.splice(-EARLIER_PAGE);
    this.update();
    return page;
  }

  remove(id: string): void {
    this.earlier = this.earlier.filter((m) => m.id !== id);
    this.update();
  }

  private update(): void {
    if (!this.earlier.length) {
      this.button.remove();
      return;
    }
    this.button.textContent = format(this.strings.showEarlier, String(this.earlier.length));
    if (this.button.parentNode !== this.list) this.list.insertBefore(this.button, this.top.nextSibling);
  }
}

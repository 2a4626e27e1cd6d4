import { el } from '../dom';

/**
 * Keeps the list at its end while the reader is there, without measuring anything after the panel
 * writes. A sentinel closes the list, covering its last 80 px ("close enough to the end", sized in
 * messages.css); an IntersectionObserver says whether it is in view, and while
 * it is, the list carries `data-following` and the sentinel is its only scroll anchor
 * (`overflow-anchor`, see messages.css): the browser's own scroll anchoring then keeps it in view
 * as text lands above it, during its normal layout. A reader who scrolled up has moved the sentinel
 * out of view, so nothing moves them, and the messages anchor their reading position as usual.
 *
 * Scroll anchoring does nothing at scroll offset 0, so the first time the list overflows a
 * ResizeObserver (which runs after layout, when reading layout costs nothing) moves it to the end.
 */
export class EndFollower {
  private readonly sentinel: HTMLElement;
  private readonly resizes: ResizeObserver;
  private following = true;

  constructor(
    private readonly list: HTMLElement,
    /** Told when the reader leaves the end or comes back to it. */
    private readonly onFollowingChange: (following: boolean) => void = () => undefined,
  ) {
    this.sentinel = el('div', { class: 'end-sentinel', 'aria-hidden': 'true' });
    list.append(this.sentinel);
    list.setAttribute('data-following', '');
    new IntersectionObserver(([entry]) => this.setFollowing(entry.isIntersecting), { root: list }).observe(
      this.sentinel,
    );
    this.resizes = new ResizeObserver(() => this.afterLayout());
  }

  /** The reader is at the end (new text keeps it in view). */
  get isFollowing(): boolean {
    return this.following;
  }

  /** The sentinel stays last: messages go before it. */
  get end(): HTMLElement {
    return this.sentinel;
  }

  /** Watches a message, so its first growth past the list's height can take the list to its end. */
  watch(element: HTMLElement): void {
    this.resizes.observe(element);
  }

  unwatch(element: HTMLElement): void {
    this.resizes.unobserve(element);
  }

  /**
   * The reader asked for the end (a conversation opened, they sent a message): go there now. One
   * layout, once per user action; never during a stream.
   */
  jumpToEnd(): void {
    this.list.scrollTop = this.list.scrollHeight;
    this.setFollowing(true);
  }

  /**
   * Where the reader is: the first element of `candidates` (in order) still showing at the top,
   * and how far its top is below the list's top. Reads layout: call it only while not following.
   */
  readingPosition(candidates: Iterable<HTMLElement>): { element: HTMLElement; offset: number } | undefined {
    const top = this.list.getBoundingClientRect().top;
    for (const element of candidates) {
      const rect = element.getBoundingClientRect();
      if (rect.bottom > top) return { element, offset: rect.top - top };
    }
    return undefined;
  }

  /**
   * A rebuilt panel puts `element` back `offset` px below the list's top, once the new page has been
   * laid out (messages off screen have only estimated heights before). Not following, so the
   * browser's anchoring keeps what the reader reads in place; the observer says so if it is the end.
   */
  restore(element: HTMLElement, offset: number, frames = 6): void {
    this.setFollowing(false);
    // The browser's anchoring would "correct" each step while the estimated heights of what the
    // new page has not laid out yet turn real; the element itself is the anchor until it holds.
    this.list.setAttribute('data-restoring', '');
    const step = (left: number) => {
      const shift = element.getBoundingClientRect().top - this.list.getBoundingClientRect().top - offset;
      if (Math.abs(shift) >= 1) this.list.scrollTop += shift;
      if (Math.abs(shift) < 1 || left <= 1) this.list.removeAttribute('data-restoring');
      else requestAnimationFrame(() => step(left - 1));
    };
    requestAnimationFrame(() => step(frames));
  }

  private setFollowing(following: boolean): void {
    if (following === this.following) return;
    this.following = following;
    this.list.toggleAttribute('data-following', following);
    this.onFollowingChange(following);
  }

  private afterLayout(): void {
    if (!this.following || this.list.scrollTop > 0) return;
    if (this.list.scrollHeight - this.list.clientHeight > 0) this.list.scrollTop = this.list.scrollHeight;
  }
}

/** How close to the end (px) still counts as "reading the latest", so new text scrolls into view. */
const STICKY_DISTANCE = 80;

/** Keeps the list at its end while the reader is there; a reader who scrolled up stays put. */
export class EndFollower {
  /** Kept from scroll events, so a frame never has to measure before it writes. */
  private stickToEnd = true;

  constructor(private readonly list: HTMLElement) {
    list.addEventListener('scroll', () => (this.stickToEnd = this.nearEnd()), { passive: true });
  }

  /** The reader wants the end (they sent a message, or a conversation opened): follow it again. */
  stick(): void {
    this.stickToEnd = true;
  }

  /** Content changed: show the end if the reader is there. */
  follow(): void {
    if (this.stickToEnd) this.list.scrollTop = this.list.scrollHeight;
  }

  private nearEnd(): boolean {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < STICKY_DISTANCE;
  }
}

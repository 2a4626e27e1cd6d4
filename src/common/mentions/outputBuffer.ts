import { formatCount } from './cutText';

/**
 * A running command's output, kept within a cap: its head (how it started) and its tail (how it
 * ended up), with a count of what fell out between them. A build that prints for an hour costs the
 * extension host no more than the cap.
 */
export class HeadTailBuffer {
  private head = '';
  private tail: string[] = [];
  private tailLength = 0;
  private dropped = 0;

  constructor(
    private readonly headCap = 64 * 1024,
    private readonly tailCap = 192 * 1024,
  ) {}

  push(text: string): void {
    if (!text) return;
    if (this.head.length < this.headCap && this.dropped === 0 && this.tailLength === 0) {
      const room = this.headCap - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
      if (!text) return;
    }
    this.tail.push(text);
    this.tailLength += text.length;
    while (this.tailLength > this.tailCap) {
      const over = this.tailLength - this.tailCap;
      const first = this.tail[0];
      if (first.length <= over) {
        this.tail.shift();
        this.tailLength -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.slice(over);
        this.tailLength -= over;
        this.dropped += over;
      }
    }
  }

  /** Characters left out between head and tail. */
  get leftOut(): number {
    return this.dropped;
  }

  /** The output kept, with a line that says how much was left out where it was. */
  text(): string {
    const tail = this.tail.join('');
    if (!this.dropped) return this.head + tail;
    const headEnd = this.head.endsWith('\n') ? '' : '\n';
    return `${this.head}${headEnd}… ${formatCount(this.dropped)} characters of output left out …\n${tail}`;
  }
}

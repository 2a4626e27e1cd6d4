/**
 * A suggestion the user may be typing into: a finished completion, or a stream still arriving.
 * While the characters typed since its anchor are the ones it holds, no request is needed: the rest
 * is offered. A stream whose text so far the typing has left behind (neither is a start of the
 * other) is worth nothing and is aborted.
 */

/** How much text before the anchor must be unchanged for the suggestion to still apply there. */
const ANCHOR_CHARS = 64;

export type TypedMatch =
  /** Not this document, the cursor before the anchor, or the text before the anchor changed. */
  | { kind: 'elsewhere' }
  /** Typing has followed the suggestion; `remainder` is the rest (of what has arrived so far). */
  | { kind: 'ahead'; typed: number; remainder: string }
  /** A stream whose text so far is all typed already: what comes next may still match. */
  | { kind: 'waiting'; typed: number }
  /** Typing went somewhere the suggestion does not (or it has been typed to its end). */
  | { kind: 'diverged' };

export class LiveSuggestion {
  private textSoFar = '';
  private finished = false;
  private readonly anchorText: string;
  private readonly controller: AbortController | undefined;
  private readonly settled: Promise<void>;
  private settle!: () => void;

  /** `controller` aborts the request while the text streams; a finished suggestion has none. */
  constructor(
    readonly documentKey: string,
    text: string,
    readonly anchor: number,
    controller?: AbortController,
  ) {
    this.anchorText = text.slice(Math.max(0, anchor - ANCHOR_CHARS), anchor);
    this.controller = controller;
    this.settled = new Promise((resolve) => (this.settle = resolve));
    if (!controller) this.finish('');
  }

  static finished(documentKey: string, text: string, anchor: number, completion: string): LiveSuggestion {
    const live = new LiveSuggestion(documentKey, text, anchor);
    live.textSoFar = completion;
    return live;
  }

  get text(): string {
    return this.textSoFar;
  }

  get done(): boolean {
    return this.finished;
  }

  get aborted(): boolean {
    return this.controller?.signal.aborted ?? false;
  }

  append(piece: string): void {
    if (!this.finished) this.textSoFar += piece;
  }

  /** The stream ended; `whole` is the completion as the request returned it. */
  finish(whole: string): void {
    if (this.finished) return;
    if (whole) this.textSoFar = whole;
    this.finished = true;
    this.settle();
  }

  /** The request failed: nothing of it is offered. */
  fail(): void {
    this.textSoFar = '';
    this.finish('');
  }

  abort(): void {
    if (this.finished) return;
    this.controller?.abort();
    this.finished = true;
    this.settle();
  }

  /** Resolves when the stream has finished or was aborted. */
  whenDone(): Promise<void> {
    return this.settled;
  }

  match(documentKey: string, text: string, offset: number): TypedMatch {
    if (documentKey !== this.documentKey || offset < this.anchor) return { kind: 'elsewhere' };
    const start = this.anchor - this.anchorText.length;
    if (!text.startsWith(this.anchorText, start)) return { kind: 'elsewhere' };
    const typed = offset - this.anchor;
    const have = this.textSoFar;
    if (typed < have.length) {
      return text.startsWith(have.slice(0, typed), this.anchor) && this.aborted === false
        ? { kind: 'ahead', typed, remainder: have.slice(typed) }
        : { kind: 'diverged' };
    }
    if (this.finished || !text.startsWith(have, this.anchor)) return { kind: 'diverged' };
    return { kind: 'waiting', typed };
  }
}

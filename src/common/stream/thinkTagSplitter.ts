const OPEN = '<think>';
const CLOSE = '</think>';
const BACKTICK = 96;

/**
 * What the splitter hands on: a run of answer text, a run of reasoning, or `rewind`: everything
 * it passed on as answer text so far was reasoning after all.
 */
export type ThinkPiece = 'content' | 'reasoning' | 'rewind';

/**
 * Splits inline `<think>…</think>` (DeepSeek-R1, QwQ and Qwen3 behind Ollama, vLLM, llama.cpp) out of
 * the content channel. Tags may be split across chunks at any offset, so a tail that could be the
 * start of a tag is held back until the next piece decides it. An opening tag counts only before
 * any visible answer text: an answer that talks about `<think>` stays as written.
 *
 * Some servers put the opening `<think>` into the prompt (the model's chat template does it), so
 * the stream starts mid-thought and the first tag it sends is `</think>`. Until an opening tag or
 * such a closing tag has been seen, the splitter watches for a lone `</think>` outside code (not
 * inside a ``` fence, not right after a backtick) and, when one comes, rewinds: the answer text so
 * far becomes reasoning and what follows the tag is the answer.
 */
export class ThinkTagSplitter {
  private inside = false;
  private answered = false;
  private held = '';
  /** Still looking for a lone `</think>`. */
  private watching = true;
  /** Answer text has been passed on (so a rewind has something to move). */
  private emitted = false;
  /** ``` fences in the answer text passed on so far. */
  private readonly fences: Fences = { fenced: false, ticks: 0 };

  /** Calls `emit` for each piece in order. */
  push(text: string, emit: (kind: ThinkPiece, text: string) => void): void {
    if (this.answered && !this.inside && !this.held) {
      // The common case, per token: answer text that cannot hold or start a tag.
      if (!this.watching) {
        emit('content', text);
        return;
      }
      // No tag in it, and no '<' near the end that a tag could start with.
      const lt = text.lastIndexOf('<');
      if (lt < 0 || (lt <= text.length - CLOSE.length && !text.includes('think>'))) {
        this.emitted = true;
        this.trackFences(text);
        emit('content', text);
        return;
      }
    }
    let s = this.held + text;
    this.held = '';
    for (;;) {
      if (this.inside) {
        const at = s.indexOf(CLOSE);
        if (at >= 0) {
          if (at > 0) this.out(s.slice(0, at), emit);
          this.inside = false;
          s = s.slice(at + CLOSE.length);
          continue;
        }
        const keep = partialTagLength(s, CLOSE);
        this.out(s.slice(0, s.length - keep), emit);
        this.held = s.slice(s.length - keep);
        return;
      }
      if (!this.answered) {
        const at = s.indexOf(OPEN);
        // Before an opening tag there is only whitespace, which nobody needs to see.
        if (at >= 0 && !s.slice(0, at).trim()) {
          this.inside = true;
          this.watching = false;
          s = s.slice(at + OPEN.length);
          continue;
        }
      }
      if (this.watching) {
        const at = this.loneClose(s);
        const opened = s.indexOf(OPEN);
        // The answer mentions an opening tag first: any closing tag is its pair, not a thought's end.
        if (opened >= 0 && (at < 0 || opened < at)) this.watching = false;
        else if (at >= 0) {
          const rewind = this.emitted;
          this.watching = false;
          const before = s.slice(0, at);
          if (rewind) emit('rewind', '');
          if (rewind || before.trim()) emit('reasoning', before);
          this.answered = false;
          s = s.slice(at + CLOSE.length);
          continue;
        }
      }
      const keep = Math.max(
        this.answered && !this.watching ? 0 : partialTagLength(s, OPEN),
        this.watching ? partialTagLength(s, CLOSE) : 0,
      );
      const visible = s.slice(0, s.length - keep);
      if (!this.answered && !visible.trim()) {
        // Only whitespace so far: it may yet turn out to precede an opening tag.
        this.held = s;
        return;
      }
      if (visible) this.out(visible, emit);
      this.held = s.slice(s.length - keep);
      return;
    }
  }

  /** The stream ended: a held-back tail was text after all. */
  end(emit: (kind: ThinkPiece, text: string) => void): void {
    if (this.held) this.out(this.held, emit);
    this.held = '';
  }

  private out(text: string, emit: (kind: ThinkPiece, text: string) => void): void {
    if (this.inside) {
      emit('reasoning', text);
      return;
    }
    if (!this.answered && text.trim()) this.answered = true;
    if (this.watching) {
      this.emitted = true;
      this.trackFences(text);
    }
    emit('content', text);
  }

  /** Where a `</think>` in `s` closes a thought rather than being quoted as code, or -1. */
  private loneClose(s: string): number {
    const fences = { ...this.fences };
    let from = 0;
    for (;;) {
      const at = s.indexOf(CLOSE, from);
      if (at < 0) return -1;
      // Fence state up to the tag: what was passed on, then this piece's text before it.
      followFences(fences, s, from, at);
      if (!fences.fenced && fences.ticks === 0) return at;
      // Quoted: the search goes on after the tag's '<', which ends any run of backticks.
      followFences(fences, s, at, at + 1);
      from = at + 1;
    }
  }

  private trackFences(text: string): void {
    if (this.fences.ticks === 0 && !text.includes('`')) return;
    followFences(this.fences, text, 0, text.length);
  }
}

/** Where a run of text leaves ``` fences: inside one or not, and backticks still counting. */
interface Fences {
  fenced: boolean;
  ticks: number;
}

/** Moves `fences` over `text[from..to)`: a run of three or more backticks opens or closes one. */
function followFences(fences: Fences, text: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) === BACKTICK) fences.ticks++;
    else {
      if (fences.ticks >= 3) fences.fenced = !fences.fenced;
      fences.ticks = 0;
    }
  }
}

/** Length of the longest tail of `s` that is a proper prefix of `tag`. */
function partialTagLength(s: string, tag: string): number {
  const from = s.lastIndexOf('<');
  if (from < 0 || s.length - from >= tag.length) return 0;
  return tag.startsWith(s.slice(from)) ? s.length - from : 0;
}

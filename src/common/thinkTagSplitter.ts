const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Splits inline `<think>…</think>` (DeepSeek-R1, QwQ and Qwen3 behind Ollama, vLLM, llama.cpp) out of
 * the content channel. Tags may be split across chunks at any offset, so a tail that could be the
 * start of a tag is held back until the next piece decides it. An opening tag counts only before
 * any visible answer text: an answer that talks about `<think>` stays as written.
 */
export class ThinkTagSplitter {
  private inside = false;
  private answered = false;
  private held = '';

  /** Calls `emit` for each run of text in order; `reasoning` tells the channel. */
  push(text: string, emit: (reasoning: boolean, text: string) => void): void {
    if (this.answered && !this.inside && !this.held) {
      emit(false, text);
      return;
    }
    let s = this.held ? this.held + text : text;
    this.held = '';
    for (;;) {
      const tag = this.inside ? CLOSE : OPEN;
      const at = s.indexOf(tag);
      if (at >= 0 && (this.inside || (!this.answered && !s.slice(0, at).trim()))) {
        // Before an opening tag there is only whitespace, which nobody needs to see.
        if (at > 0 && this.inside) this.out(s.slice(0, at), emit);
        this.inside = !this.inside;
        s = s.slice(at + tag.length);
        continue;
      }
      const keep = this.inside || !this.answered ? partialTagLength(s, tag) : 0;
      const visible = keep ? s.slice(0, s.length - keep) : s;
      if (!this.answered && !this.inside && !visible.trim()) {
        // Only whitespace so far: it may yet turn out to precede an opening tag.
        this.held = s;
        return;
      }
      if (visible) this.out(visible, emit);
      this.held = keep ? s.slice(s.length - keep) : '';
      return;
    }
  }

  /** The stream ended: a held-back tail was text after all. */
  end(emit: (reasoning: boolean, text: string) => void): void {
    if (this.held) this.out(this.held, emit);
    this.held = '';
  }

  private out(text: string, emit: (reasoning: boolean, text: string) => void): void {
    if (!this.inside && !this.answered && text.trim()) this.answered = true;
    emit(this.inside, text);
  }
}

/** Length of the longest tail of `s` that is a proper prefix of `tag`. */
function partialTagLength(s: string, tag: string): number {
  const from = s.lastIndexOf('<');
  if (from < 0 || s.length - from >= tag.length) return 0;
  return tag.startsWith(s.slice(from)) ? s.length - from : 0;
}

import type { ToolCallDelta } from './toolCallAssembler';

/** What the string in a layout's hole is: a choice's content, or an argument fragment of one tool call. */
export type LayoutTarget =
  | { kind: 'content'; choice: number }
  /** `call` is the chunk's one `tool_calls` item without its arguments. */
  | { kind: 'arguments'; choice: number; call: ToolCallDelta };

export const CONTENT_KEY = '"content":"';
export const ARGUMENTS_KEY = '"arguments":"';
const OBFUSCATION_KEY = ',"obfuscation":"';

/** Layouts kept at once: a few tool calls of one answer, and its text. */
const KEPT = 4;
/** A relay that varies every chunk (a fresh id each time) never repeats a layout: stop trying. */
const MAX_MISSES = 16;

interface Layout {
  target: LayoutTarget;
  /** Up to and including the hole string's opening quote. */
  head: string;
  /** From the hole string's closing quote to the end, or to the obfuscation field. */
  tail: string;
  obfuscated: boolean;
}

/**
 * A long answer arrives as thousands of chunks that repeat one another byte for byte except for one
 * string (the content, or a tool call's argument fragment) and OpenAI's random `obfuscation`
 * padding: same id, created, model, fingerprint, same nulls. Once two such chunks with a different
 * string have been parsed and found to carry nothing else to fold, the text around the string is
 * known, and a later payload made of that same text around any well-formed string literal is the
 * same chunk with another string: JSON tokens do not depend on their neighbours, so swapping one
 * string token leaves every other value where it was. Such a payload skips JSON.parse; anything
 * else goes the general way. Each tool call of an answer has its own layout (its `index` differs),
 * so a few are kept.
 */
export class ChunkLayouts {
  /** Confirmed layouts, newest first. */
  private readonly known: Layout[] = [];
  private candidate: Layout | undefined;
  private candidateText = '';
  private misses = 0;
  /** The target of the layout `match` last recognised. */
  matched: LayoutTarget | undefined;

  get size(): number {
    return this.known.length;
  }

  get learning(): boolean {
    return this.misses < MAX_MISSES;
  }

  /**
   * The string in the hole of a payload in a learnt layout (its target in `matched`), or undefined
   * for anything else.
   */
  match(data: string): string | undefined {
    for (const layout of this.known) {
      const text = holeOf(layout, data);
      if (text !== undefined) {
        this.matched = layout.target;
        return text;
      }
    }
    return undefined;
  }

  /**
   * Called with each payload parsed the general way that carries nothing but `text` for `target`
   * (at `key`). A layout is trusted once a second payload of the same shape, with a different
   * string (and padding), parses to exactly the string in its hole.
   */
  learn(data: string, key: string, text: string, target: LayoutTarget): void {
    const open = data.lastIndexOf(key);
    if (open < 0) return;
    const from = open + key.length;
    const close = closingQuote(data, from);
    if (close < 0) return;
    // `obfuscation`, a plain string last in the top-level object, is padding nobody reads.
    let end = data.length;
    const at = data.lastIndexOf(OBFUSCATION_KEY);
    const obfuscated =
      at > close && data.endsWith('"}') && stringBody(data, at + OBFUSCATION_KEY.length, end - 2) === 1;
    if (obfuscated) end = at;
    const head = data.slice(0, from);
    const tail = data.slice(close, end);
    const seen = this.candidate;
    if (
      seen &&
      seen.target.kind === target.kind &&
      seen.head === head &&
      seen.tail === tail &&
      seen.obfuscated === obfuscated &&
      this.candidateText !== text
    ) {
      this.known.unshift(seen);
      if (this.known.length > KEPT) this.known.pop();
      this.candidate = undefined;
      this.misses = 0;
      return;
    }
    this.candidate = { target, head, tail, obfuscated };
    this.candidateText = text;
    this.misses++;
  }
}

function holeOf(layout: Layout, data: string): string | undefined {
  let end = data.length;
  if (layout.obfuscated) {
    if (data.charCodeAt(end - 1) !== 0x7d || data.charCodeAt(end - 2) !== 0x22) return undefined;
    const at = data.lastIndexOf(OBFUSCATION_KEY);
    if (at < 0 || stringBody(data, at + OBFUSCATION_KEY.length, end - 2) !== 1) return undefined;
    end = at;
  }
  const from = layout.head.length;
  const to = end - layout.tail.length;
  // Comparing slices is several times faster in V8 than startsWith on a two-byte string.
  if (to < from || data.slice(0, from) !== layout.head || data.slice(to, end) !== layout.tail)
    return undefined;
  const kind = stringBody(data, from, to);
  if (kind === 1) return data.slice(from, to);
  if (kind === 0) return undefined;
  return unescape(data, from, to);
}

/**
 * What lies between `from` and `to` as the inside of a JSON string: 1 plain text, 2 text with
 * escapes (unescape decides whether they are valid), 0 not a string (a bare quote or a control
 * character).
 */
function stringBody(s: string, from: number, to: number): 0 | 1 | 2 {
  let kind: 1 | 2 = 1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) {
      kind = 2;
      i++;
    } else if (c === 0x22 || c < 0x20) return 0;
  }
  return kind;
}

/** The index of the quote that closes the string whose inside starts at `from`, or -1. */
function closingQuote(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c) i++;
  }
  return -1;
}

/**
 * The value of the JSON string whose inside (escapes and all) is `s[from, to)`; undefined if not one.
 * Read by hand: half of a tool call's argument fragments (JSON inside JSON) carry an escape, and a
 * JSON.parse per fragment cost more than the rest of the fragment's decoding.
 */
function unescape(s: string, from: number, to: number): string | undefined {
  let out = '';
  let run = from;
  for (let i = from; i < to; i++) {
    if (s.charCodeAt(i) !== 0x5c) continue;
    if (i + 1 >= to) return undefined;
    const c = s.charCodeAt(i + 1);
    let char: string;
    if (c === 0x75) {
      const code = i + 6 <= to ? hex4(s, i + 2) : -1;
      if (code < 0) return undefined;
      char = String.fromCharCode(code);
    } else {
      char = SIMPLE_ESCAPES[c] ?? '';
      if (!char) return undefined;
    }
    out += s.slice(run, i) + char;
    i += c === 0x75 ? 5 : 1;
    run = i + 1;
  }
  return out + s.slice(run, to);
}

/** What each one-letter escape stands for, by the letter's code. */
const SIMPLE_ESCAPES: Record<number, string> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

/** The four hex digits at `at` as a number, or -1. */
function hex4(s: string, at: number): number {
  let code = 0;
  for (let i = at; i < at + 4; i++) {
    const c = s.charCodeAt(i);
    const digit =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x61 && c <= 0x66
          ? c - 0x57
          : c >= 0x41 && c <= 0x46
            ? c - 0x37
            : -1;
    if (digit < 0) return -1;
    code = code * 16 + digit;
  }
  return code;
}

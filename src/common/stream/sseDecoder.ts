import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import type { ChatEvent } from './chatEvents';
import { EndpointError, errorFromStreamPayload } from '../endpoint/endpointError';
import { StreamAssembler } from './streamAssembler';

export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/**
 * Bytes of one chat-completions response in, ChatEvents out, synchronously: the network loop
 * feeds each read and yields what came out, so an event costs a JSON.parse and a fold, never a
 * promise. A streaming TextDecoder keeps multi-byte characters whole across reads.
 *
 * `eventsource-parser` does SSE framing. The one shape that makes up nearly all traffic, a single
 * `data:` line ended by a blank line with LF line ends, is taken on a fast path that skips the
 * parser's per-line work; anything else (CR or CRLF line ends, comments mixed into an event,
 * `event:`/`id:` fields, multi-line data) goes to the parser whole, block by block, so its state
 * is always clean where the fast path resumes. Chunks that repeat a learnt layout around new
 * content skip JSON.parse as well (see ChunkLayout). The conformance suite checks that every split
 * of every recorded stream gives the same events; sseFastPath.test.ts holds both shortcuts to
 * eventsource-parser + JSON.parse on generated streams that mix every framing and layout.
 */
export class ChatStreamDecoder {
  private readonly assembler = new StreamAssembler();
  private readonly text = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private readonly layout = new ChunkLayout();
  private out: ChatEvent[] = [];
  private failure: EndpointError | undefined;
  private flushing = false;
  /** Text after the last complete event (fast path only). */
  private pending = '';
  /** Set for good at the first CR: the parser then sees everything. */
  private parserOnly = false;
  /** The server sent `[DONE]`; nothing after it matters. */
  done = false;
  /** The last event was cut off mid-JSON when the connection closed. */
  truncated = false;

  constructor(
    private readonly host: string,
    private readonly headers?: Headers,
  ) {
    this.parser = createParser({
      onEvent: (message) => this.onMessage(message),
      // Some llama.cpp server builds report a failure on an `error:` line, not a `data:` line,
      // then send `data: [DONE]`: SSE ignores unknown fields, which would end the answer in silence.
      onError: (err) => {
        if (err.type === 'unknown-field' && err.field === 'error' && !this.failure && err.value?.trim()) {
          this.failure = errorFromStreamPayload(this.host, err.value, this.headers);
        }
      },
    });
  }

  /** True when the answer is known to be whole: `[DONE]`, or every choice has a finish_reason. */
  get complete(): boolean {
    return this.done || this.assembler.finished;
  }

  /**
   * One network read, as the client's read loop takes it (and the conformance tests, which drive
   * the same steps): the events it decoded go to `out` even when the read also held an error, which
   * is returned, not thrown, so the caller shows the text before the error.
   */
  read(bytes: Uint8Array, out: ChatEvent[]): EndpointError | undefined {
    return failureOf(() => this.push(bytes, out));
  }

  /**
   * The body ended: `whole` is the body of a response that was not SSE. Returns the server's error,
   * after the events before it; whether the answer is whole is `complete` (a cut is the caller's to
   * word: it knows whether anything was shown).
   */
  finish(out: ChatEvent[], whole?: string): EndpointError | undefined {
    return failureOf(() => {
      if (whole !== undefined) {
        // A server that ignored `stream: true` answers with one JSON object; some send SSE anyway
        // under a JSON or text content type.
        if (whole.trimStart().startsWith('{')) this.pushJson(whole, out);
        else this.pushText(whole, out);
      }
      this.end(out);
    });
  }

  push(bytes: Uint8Array, out: ChatEvent[]): void {
    this.pushText(this.text.decode(bytes, { stream: true }), out);
  }

  pushText(text: string, out: ChatEvent[]): void {
    if (this.done || !text) return;
    this.out = out;
    if (!this.parserOnly && text.includes('\r')) {
      this.parserOnly = true;
      text = this.pending + text;
      this.pending = '';
    }
    if (this.parserOnly) this.parser.feed(text);
    else this.frame(text);
    if (this.failure) throw this.failure;
  }

  private frame(text: string): void {
    if (this.pending && !text.includes('\n')) {
      // Still inside one long line (a large payload in small reads): appending costs nothing,
      // rescanning the whole line each time would cost quadratic time.
      this.pending += text;
      return;
    }
    const buffer = this.pending ? this.pending + text : text;
    let at = 0;
    while (!this.done && !this.failure) {
      const lf = buffer.indexOf('\n', at);
      if (lf < 0) break;
      if (lf === at) {
        at += 1; // a blank line between events
        continue;
      }
      if (buffer.charCodeAt(lf + 1) === 0x0a && buffer.startsWith('data:', at)) {
        const from = buffer.charCodeAt(at + 5) === 0x20 ? at + 6 : at + 5;
        this.onData(buffer.slice(from, lf), undefined);
        at = lf + 2;
        continue;
      }
      // Anything else, up to the blank line that ends it, is the parser's.
      const end = buffer.indexOf('\n\n', lf);
      if (end < 0) break;
      this.parser.feed(buffer.slice(at, end + 2));
      at = end + 2;
    }
    this.pending = at < buffer.length ? buffer.slice(at) : '';
  }

  /** A server that ignored `stream: true` answered with one `chat.completion` object. */
  pushJson(body: string, out: ChatEvent[]): void {
    this.out = out;
    this.handlePayload(body.trim(), undefined);
    if (this.failure) throw this.failure;
    this.done = true;
  }

  /**
   * The body ended. Delivers a last event that lacked its blank line, and flushes held-back text;
   * whole tool calls of unfinished choices only when the answer is complete (`[DONE]` without
   * finish_reason), since a cut leaves their arguments half-written.
   */
  end(out: ChatEvent[]): void {
    this.out = out;
    const tail = this.pending + this.text.decode();
    this.pending = '';
    this.flushing = true;
    if (!this.done) {
      if (tail) this.parser.feed(tail);
      this.parser.reset({ consume: true });
    }
    if (this.failure) throw this.failure;
    this.assembler.end(out, this.complete);
  }

  private onMessage(message: EventSourceMessage): void {
    this.onData(message.data, message.event);
  }

  private onData(data: string, event: string | undefined): void {
    if (this.done || this.failure) return;
    if (data === '[DONE]' || (data.length < 16 && data.trim() === '[DONE]')) {
      this.done = true;
      return;
    }
    this.handlePayload(data, event);
  }

  private handlePayload(data: string, event: string | undefined): void {
    const layout = event === undefined ? this.layout : undefined;
    if (layout?.confirmed) {
      const content = layout.contentOf(data);
      if (content !== undefined) {
        this.assembler.pushContent(layout.choice, content, this.out);
        return;
      }
    }
    if (!data.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      if (this.flushing) {
        this.truncated = true;
        return;
      }
      if (event === 'error') {
        this.failure = errorFromStreamPayload(this.host, data, this.headers);
        return;
      }
      this.failure = new EndpointError({
        kind: 'stream',
        host: this.host,
        hint: 'badResponse',
        serverMessage: `Unreadable data from the server: ${data.slice(0, 200)}`,
      });
      return;
    }
    // An error object where a chunk should be (relays do this when the upstream fails mid-request).
    if (event === 'error' || isErrorObject(value)) {
      this.failure = errorFromStreamPayload(this.host, data, this.headers);
      return;
    }
    this.assembler.push(value, this.out);
    // An error beside `choices` (the choice often ends with finish_reason "error"): what the chunk
    // carried is kept, and the error is the answer's end.
    if (hasErrorBesideChoices(value)) this.failure = errorFromStreamPayload(this.host, data, this.headers);
    if (layout?.learning) layout.learn(data, value, this.assembler.contentOnlyChoice(value));
  }
}

function failureOf(step: () => void): EndpointError | undefined {
  try {
    step();
    return undefined;
  } catch (err) {
    if (err instanceof EndpointError) return err;
    throw err;
  }
}

function isErrorObject(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const obj = value as Record<string, unknown>;
  return 'error' in obj && !!obj.error && !('choices' in obj);
}

function hasErrorBesideChoices(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const obj = value as Record<string, unknown>;
  return !!obj.error && 'choices' in obj;
}

const CONTENT_KEY = '"content":"';
const OBFUSCATION_KEY = ',"obfuscation":"';

/**
 * A long answer arrives as thousands of chunks that repeat one another byte for byte except for the
 * content string (and OpenAI's random `obfuscation` padding): same id, created, model, fingerprint,
 * same nulls. Once two such chunks with different content have been parsed and found to carry
 * nothing but content, the text around the content string is known, and a later payload made of
 * that same text around any well-formed string literal is the same chunk with other content: JSON
 * tokens do not depend on their neighbours, so swapping one string token leaves every other value
 * where it was. Such a payload skips JSON.parse; anything else goes the general way.
 */
class ChunkLayout {
  confirmed = false;
  choice = -1;
  /** Up to and including the content string's opening quote. */
  private head = '';
  /** From the content string's closing quote to the end, or to the obfuscation field. */
  private tail = '';
  private obfuscated = false;
  private content = '';
  private candidates = 0;

  /** A relay that varies every chunk (a fresh id each time) never repeats a layout: stop trying. */
  get learning(): boolean {
    return !this.confirmed && this.candidates < 16;
  }

  /** The content of a payload in the learnt layout, or undefined for anything else. */
  contentOf(data: string): string | undefined {
    let end = data.length;
    if (this.obfuscated) {
      if (data.charCodeAt(end - 1) !== 0x7d || data.charCodeAt(end - 2) !== 0x22) return undefined;
      const at = data.lastIndexOf(OBFUSCATION_KEY);
      if (at < 0 || stringBody(data, at + OBFUSCATION_KEY.length, end - 2) !== 1) return undefined;
      end = at;
    }
    const from = this.head.length;
    const to = end - this.tail.length;
    // Comparing slices is several times faster in V8 than startsWith on a two-byte string.
    if (to < from || data.slice(0, from) !== this.head || data.slice(to, end) !== this.tail) return undefined;
    return this.literal(data, from, to);
  }

  /**
   * Called with each payload parsed the general way and the choice it was found to carry content
   * for alone (-1 if it carries more). The layout is trusted once a second payload of the same
   * shape, with different content (and padding), parses to exactly the strings in its holes.
   */
  learn(data: string, value: unknown, choice: number): void {
    if (choice < 0) return;
    const open = data.lastIndexOf(CONTENT_KEY);
    if (open < 0) return;
    const from = open + CONTENT_KEY.length;
    const close = closingQuote(data, from);
    if (close < 0) return;
    // `obfuscation`, a plain string last in the top-level object, is padding nobody reads.
    let end = data.length;
    const at = data.lastIndexOf(OBFUSCATION_KEY);
    const obfuscated =
      at > close && data.endsWith('"}') && stringBody(data, at + OBFUSCATION_KEY.length, end - 2) === 1;
    if (obfuscated) end = at;
    const content = (value as { choices: { delta: { content: string } }[] }).choices[0].delta.content;
    const head = data.slice(0, from);
    const tail = data.slice(close, end);
    if (
      this.choice === choice &&
      this.head === head &&
      this.tail === tail &&
      this.obfuscated === obfuscated &&
      this.content !== content
    ) {
      this.confirmed = true;
      return;
    }
    this.choice = choice;
    this.head = head;
    this.tail = tail;
    this.obfuscated = obfuscated;
    this.content = content;
    this.candidates++;
  }

  private literal(data: string, from: number, to: number): string | undefined {
    const kind = stringBody(data, from, to);
    if (kind === 1) return data.slice(from, to);
    if (kind === 0) return undefined;
    try {
      return JSON.parse(data.slice(from - 1, to + 1)) as string;
    } catch {
      return undefined;
    }
  }
}

/**
 * What lies between `from` and `to` as the inside of a JSON string: 1 plain text, 2 text with
 * escapes (JSON.parse decides whether they are valid), 0 not a string (a bare quote or a control
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

import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import type { ChatEvent } from './chatEvents';
import { EndpointError, errorFromStreamPayload } from '../endpoint/endpointError';
import { StreamAssembler } from './streamAssembler';
import { ARGUMENTS_KEY, CONTENT_KEY, ChunkLayouts } from './chunkLayouts';
import { Utf8Reads } from './utf8Reads';
import { isErrorObject, unreadablePayload } from './streamPayload';

export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/**
 * Bytes of one chat-completions response in, ChatEvents out, synchronously: the network loop
 * feeds each read and yields what came out, so an event costs a JSON.parse and a fold, never a
 * promise. Utf8Reads keeps multi-byte characters whole across reads.
 *
 * `eventsource-parser` does SSE framing. The one shape that makes up nearly all traffic, a single
 * `data:` line ended by a blank line with LF line ends, is taken on a fast path that skips the
 * parser's per-line work; anything else (CR or CRLF line ends, comments mixed into an event,
 * `event:`/`id:` fields, multi-line data) goes to the parser whole, block by block, so its state
 * is always clean where the fast path resumes. Chunks that repeat a learnt layout around new
 * content, or around a new tool-call argument fragment, skip JSON.parse as well (see ChunkLayouts).
 * The conformance suite checks that every split of every recorded stream gives the same events;
 * sseFastPath.test.ts holds both shortcuts to eventsource-parser + JSON.parse on generated streams
 * that mix every framing and layout, and toolArgumentsFastPath.test.ts does so for tool calls.
 */
export class ChatStreamDecoder {
  private readonly assembler = new StreamAssembler();
  private readonly text = new Utf8Reads();
  private readonly parser: EventSourceParser;
  private readonly layouts = new ChunkLayouts();
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
    // In line rather than through failureOf: no closure per read.
    try {
      this.push(bytes, out);
      return undefined;
    } catch (err) {
      if (err instanceof EndpointError) return err;
      throw err;
    }
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
    this.pushText(this.text.decode(bytes), out);
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
    const tail = this.pending + this.text.end();
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
    const layouts = event === undefined ? this.layouts : undefined;
    if (layouts?.size) {
      const text = layouts.match(data);
      if (text !== undefined) {
        const target = layouts.matched!;
        if (target.kind === 'content') this.assembler.pushContent(target.choice, text, this.out);
        else this.assembler.pushArguments(target.choice, target.call, text, this.out);
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
      this.failure = unreadablePayload(this.host, data);
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
    if (layouts?.learning && !this.failure) this.learn(layouts, data, value);
  }

  /** A payload that carries one string and nothing else to fold is a layout candidate. */
  private learn(layouts: ChunkLayouts, data: string, value: unknown): void {
    const choice = this.assembler.contentOnlyChoice(value);
    if (choice >= 0) {
      const content = (value as { choices: { delta: { content: string } }[] }).choices[0].delta.content;
      layouts.learn(data, CONTENT_KEY, content, { kind: 'content', choice });
      return;
    }
    const call = this.assembler.argumentsOnlyCall(value);
    if (call)
      layouts.learn(data, ARGUMENTS_KEY, call.arguments, {
        kind: 'arguments',
        choice: call.choice,
        call: call.call,
      });
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

function hasErrorBesideChoices(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const obj = value as Record<string, unknown>;
  return !!obj.error && 'choices' in obj;
}

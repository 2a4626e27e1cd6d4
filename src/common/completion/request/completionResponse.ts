import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { Usage } from '../../endpoint/chatTypes';
import { type EndpointError, errorFromStreamPayload } from '../../endpoint/endpointError';
import { isErrorObject, unreadablePayload } from '../../stream/streamPayload';
import { Utf8Reads } from '../../stream/utf8Reads';

/**
 * What one payload of any completion mode carries. The shapes, by server:
 * - `/completions` (OpenAI legacy, vLLM, Ollama, DeepSeek /beta): `choices[0].text`;
 * - chat and Mistral's `/fim/completions`: `choices[0].delta.content` streamed,
 *   `choices[0].message.content` whole;
 * - llama.cpp `/infill`: `content`, `stop: true` on the last, prompt and output counts as
 *   `tokens_evaluated` / `tokens_predicted` (older builds) or `timings.prompt_n` / `predicted_n`.
 */
export interface CompletionPiece {
  text: string;
  usage?: Usage;
  finishReason?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);
const asCount = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function usageOf(value: Record<string, unknown>): Usage | undefined {
  if (isRecord(value.usage)) {
    const prompt = asCount(value.usage.prompt_tokens);
    const completion = asCount(value.usage.completion_tokens);
    if (prompt !== undefined || completion !== undefined) {
      return { prompt_tokens: prompt, completion_tokens: completion };
    }
  }
  const timings = isRecord(value.timings) ? value.timings : {};
  const prompt = asCount(value.tokens_evaluated) ?? asCount(timings.prompt_n);
  const completion = asCount(value.tokens_predicted) ?? asCount(timings.predicted_n);
  if (prompt === undefined && completion === undefined) return undefined;
  return { prompt_tokens: prompt, completion_tokens: completion };
}

/** One payload (a stream chunk or a whole body) as text, usage and finish reason. */
export function pieceOf(value: unknown): CompletionPiece {
  if (!isRecord(value)) return { text: '' };
  const piece: CompletionPiece = { text: '' };
  const choice = Array.isArray(value.choices) && isRecord(value.choices[0]) ? value.choices[0] : undefined;
  if (choice) {
    const delta = isRecord(choice.delta) ? choice.delta : undefined;
    const message = isRecord(choice.message) ? choice.message : undefined;
    const text = choice.text ?? delta?.content ?? message?.content;
    if (typeof text === 'string') piece.text = text;
    if (typeof choice.finish_reason === 'string') piece.finishReason = choice.finish_reason;
  } else if (typeof value.content === 'string') {
    piece.text = value.content;
    if (value.stop === true) {
      piece.finishReason = typeof value.stop_type === 'string' ? value.stop_type : 'stop';
    }
  }
  const usage = usageOf(value);
  if (usage) piece.usage = usage;
  return piece;
}

/** A whole (non-streamed) response body of any mode. Throws the server's error when it sent one. */
export function parseCompletionBody(host: string, body: string): CompletionPiece {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw unreadablePayload(host, body);
  }
  if (isErrorObject(value)) throw errorFromStreamPayload(host, body);
  return pieceOf(value);
}

/**
 * A streamed response of any mode, read by read: each `push` returns the text it added. Framing is
 * eventsource-parser's; usage and the finish reason are kept as they arrive (usage comes in the
 * last chunk, after `finish_reason`, when asked for with `include_usage`).
 */
export class CompletionStreamDecoder {
  private readonly reads = new Utf8Reads();
  private readonly parser: EventSourceParser;
  private added = '';
  private failure: EndpointError | undefined;
  text = '';
  usage: Usage | undefined;
  finishReason: string | undefined;
  done = false;

  constructor(private readonly host: string) {
    this.parser = createParser({ onEvent: (message) => this.onData(message.data, message.event) });
  }

  push(bytes: Uint8Array | string): string {
    const text = typeof bytes === 'string' ? bytes : this.reads.decode(bytes);
    this.added = '';
    if (!this.done && text) this.parser.feed(text);
    if (this.failure) throw this.failure;
    return this.added;
  }

  /** The body ended; returns any text a last event without its blank line held. */
  end(): string {
    this.added = '';
    const tail = this.reads.end();
    if (!this.done && tail) this.parser.feed(tail);
    if (!this.done) this.parser.reset({ consume: true });
    if (this.failure) throw this.failure;
    return this.added;
  }

  private onData(data: string, event: string | undefined): void {
    if (this.done || this.failure) return;
    if (data.trim() === '[DONE]') {
      this.done = true;
      return;
    }
    if (!data.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      this.failure =
        event === 'error' ? errorFromStreamPayload(this.host, data) : unreadablePayload(this.host, data);
      return;
    }
    if (event === 'error' || isErrorObject(value)) {
      this.failure = errorFromStreamPayload(this.host, data);
      return;
    }
    const piece = pieceOf(value);
    this.added += piece.text;
    this.text += piece.text;
    if (piece.usage) this.usage = piece.usage;
    if (piece.finishReason) this.finishReason = piece.finishReason;
    // llama.cpp ends its stream with `stop: true` and no [DONE].
    if (isRecord(value) && value.stop === true && !('choices' in value)) this.done = true;
  }
}

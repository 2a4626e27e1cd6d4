/**
 * The fake server's `/completions` route (code completion, issue 27): streamed `text_completion`
 * chunks from a queue, the suffix probe answered on its own with prompt tokens counted the way a
 * relay reports them, and a relay that drops `suffix` (one-api rebuilds the body field by field).
 * Each request is recorded with how far its answer got, so a test can tell a cancelled request
 * (the client closed the connection mid-stream) from one that was read to the end.
 */
import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from './fakeServer';

export type CompletionRelay = 'keeps-suffix' | 'drops-suffix';

export interface CompletionUsageCounts {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface CompletionScenario {
  /** The completion, streamed as `choices[0].text` pieces. */
  text: string;
  /** Characters per chunk (default 4). */
  pieceSize?: number;
  /** Wait this long before each chunk after the first. */
  delayMs?: number;
  /**
   * Usage in the last chunk: counted from the request (default: `countTokens` of what the relay
   * passes on, and of `text`), these exact figures, or `false` for none.
   */
  usage?: boolean | CompletionUsageCounts;
  /**
   * Hold the stream after `afterPieces` text chunks until `open` settles (or the client goes away):
   * keeps a request in flight for as long as a test needs.
   */
  gate?: { afterPieces: number; open: Promise<unknown> };
  /** Answer with this status and JSON error body instead (a refusal, a 5xx). */
  error?: { status: number; message: string };
}

export interface CompletionRecord extends RecordedRequest {
  /** A suffix-probe request (`max_tokens: 1`, not streamed), answered without the queue. */
  probe: boolean;
  /** Text chunks written so far. */
  piecesSent: number;
  /** The whole answer was written (the `[DONE]` line included). */
  finished: boolean;
  /** The usage the answer carried, if any (what the client can bill). */
  usageSent?: CompletionUsageCounts;
}

export interface CompletionBody {
  model: string;
  prompt: string;
  suffix?: string;
  max_tokens: number;
  temperature?: number;
  stream?: boolean;
  stop?: string[];
  [field: string]: unknown;
}

/** `/v1/completions` and Mistral's `/v1/fim/completions`; never `/chat/completions`. */
export function isCompletionPath(path: string): boolean {
  return path.endsWith('/completions') && !path.endsWith('/chat/completions');
}

/** About one token per four characters, as BPE tokenizers average on code; at least one for any text. */
export function countTokens(text: string): number {
  return Math.ceil([...text].length / 4);
}

/** The prompt tokens a relay reports for `body`: the suffix counts only where it reaches the model. */
export function promptTokensOf(body: Partial<CompletionBody>, relay: CompletionRelay): number {
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  const suffix = relay === 'keeps-suffix' && typeof body.suffix === 'string' ? body.suffix : '';
  return countTokens(prompt) + countTokens(suffix);
}

/** What the suffix probe sends: one output token, the whole body at once. */
export function isProbe(body: unknown): boolean {
  const b = body as Partial<CompletionBody> | undefined;
  return !!b && b.max_tokens === 1 && b.stream !== true;
}

const BASE = { id: 'cmpl-fake', object: 'text_completion', created: 1700000000 };

/** A `text_completion` SSE stream for `text`: one chunk per piece, then `finish_reason`, then `[DONE]`. */
export function completionSse(
  text: string,
  options: { pieceSize?: number; model?: string; usage?: CompletionUsageCounts } = {},
): string[] {
  const { pieceSize = 4, model = 'fake-model', usage } = options;
  const chars = [...text];
  const events: string[] = [];
  const chunk = (piece: string, finish: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ ...BASE, model, choices: [{ index: 0, text: piece, finish_reason: finish }], ...extra })}\n\n`;
  for (let i = 0; i < chars.length; i += pieceSize)
    events.push(chunk(chars.slice(i, i + pieceSize).join(''), null));
  const counted = usage && { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
  events.push(chunk('', 'stop', counted ? { usage: counted } : {}));
  events.push('data: [DONE]\n\n');
  return events;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function answerCompletion(
  res: ServerResponse,
  record: CompletionRecord,
  relay: CompletionRelay,
  next: () => CompletionScenario | undefined,
): Promise<void> {
  const body = (record.body ?? {}) as Partial<CompletionBody>;
  const model = typeof body.model === 'string' ? body.model : 'fake-model';
  res.on('close', () => {
    record.finished = res.writableFinished;
  });
  if (isProbe(body)) {
    record.probe = true;
    const usage = { prompt_tokens: promptTokensOf(body, relay), completion_tokens: 1 };
    record.usageSent = usage;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...BASE,
        model,
        choices: [{ index: 0, text: ' ', finish_reason: 'length', logprobs: null }],
        usage: { ...usage, total_tokens: usage.prompt_tokens + 1 },
      }),
    );
    return;
  }
  const scenario = next() ?? { text: '' };
  if (scenario.error) {
    res.writeHead(scenario.error.status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { message: scenario.error.message, type: 'invalid_request_error', code: null },
      }),
    );
    return;
  }
  const usage =
    scenario.usage === false
      ? undefined
      : scenario.usage === undefined || scenario.usage === true
        ? { prompt_tokens: promptTokensOf(body, relay), completion_tokens: countTokens(scenario.text) }
        : scenario.usage;
  const events = completionSse(scenario.text, { pieceSize: scenario.pieceSize, model, usage });
  const pieces = events.length - 2;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders();
  for (let i = 0; i < events.length; i++) {
    if (res.destroyed) return;
    if (i > 0 && scenario.delayMs) await sleep(scenario.delayMs);
    if (scenario.gate && i === scenario.gate.afterPieces && i <= pieces) {
      await Promise.race([scenario.gate.open, new Promise((r) => res.once('close', r))]);
    }
    if (res.destroyed) return;
    if (i === events.length - 2 && usage) record.usageSent = usage;
    res.write(events[i]);
    if (i < pieces) record.piecesSent++;
  }
  res.end();
}

/**
 * A fake OpenAI-compatible server for tests: node:http on 127.0.0.1, a free port. Replays recorded
 * SSE streams (or any body) chosen per test, records every request it receives, and can fail in
 * the ways relays do (HTTP errors, cut connections, hangs, slow streams).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { refuses, type StrictEntry } from './strictMode';
import {
  answerCompletion,
  isCompletionPath,
  type CompletionRecord,
  type CompletionRelay,
  type CompletionScenario,
} from './completions';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'streams');

export interface Scenario {
  status?: number;
  headers?: Record<string, string>;
  /** The body as sent; for SSE use `sse()` or a recorded stream via `fixture`. */
  body?: string | Buffer;
  /** A file under test/fixtures/streams, replayed byte for byte. */
  fixture?: string;
  /** Send the body in pieces of this many bytes… */
  chunkSize?: number;
  /** …waiting this long between pieces. */
  delayMs?: number;
  /** Destroy the socket after this many body bytes (a mid-stream disconnect). */
  cutAfterBytes?: number;
  /** Send headers, then nothing until the client goes away. */
  hang?: boolean;
  /**
   * Hold the response open: after `afterBytes` of the body (0: before the status line) wait for
   * `open` to settle, then send the rest. Lets a test keep several streams open at once.
   */
  gate?: { afterBytes: number; open: Promise<unknown> };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body, when it was JSON. */
  body: unknown;
  /** True once the client closed the connection before the response was complete (Stop, abort). */
  closedEarly: boolean;
}

export interface FakeServer {
  readonly url: string;
  /** The base URL clients should use: `${url}/v1`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Answer the next chat request(s) with these scenarios, in order. */
  enqueue(...scenarios: Scenario[]): void;
  /** Answer the next chat request(s) for `model` (the body's) with these, before the common queue. */
  enqueueFor(model: string, ...scenarios: Scenario[]): void;
  /** What chat requests get once the queue is empty. */
  setFallback(scenario: Scenario): void;
  /** Models listed by GET /v1/models. */
  setModels(ids: string[]): void;
  /**
   * Strict mode: every chat request carrying the entry's field is refused with the entry's exact
   * status and body (before the queue is looked at); `undefined` turns it off.
   */
  setStrict(entry: StrictEntry | undefined): void;
  /** Chat requests strict mode refused. */
  readonly refused: RecordedRequest[];
  /**
   * Answers GET `path` (its query ignored) with the JSON `answer()` returns, asked afresh per
   * request (a relay's own API: balance, prices); `undefined` removes the route. Kept by reset().
   */
  route(path: string, answer: (() => unknown) | undefined): void;
  /**
   * Answer the next `/completions` (or `/fim/completions`) request(s) that are not a suffix probe
   * with these, in order; once the queue is empty they get an empty completion.
   */
  enqueueCompletion(...scenarios: CompletionScenario[]): void;
  /** Every POST to `/completions` or `/fim/completions` (probes included), in order. */
  readonly completions: CompletionRecord[];
  /**
   * Whether `suffix` reaches "the model": `drops-suffix` counts prompt tokens without it, as one-api
   * does when it rebuilds the body. Kept by reset().
   */
  completionRelay: CompletionRelay;
  /** Forget queued scenarios and recorded requests (between tests). */
  reset(): void;
  close(): Promise<void>;
}

/** A chat.completion.chunk stream for `text`, one piece per `pieceSize` characters. */
export function sse(
  text: string,
  options: {
    pieceSize?: number;
    reasoning?: string;
    model?: string;
    /** true: 10 prompt + 20 completion tokens; or these. */
    usage?: boolean | { prompt_tokens: number; completion_tokens: number };
    done?: boolean;
  } = {},
): string {
  const { pieceSize = 8, reasoning, model = 'fake-model', usage = false, done = true } = options;
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1700000000, model };
  const lines: string[] = [];
  const push = (delta: object, finish: string | null = null) =>
    lines.push(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
    );
  push({ role: 'assistant', content: '' });
  for (const piece of chunkText(reasoning ?? '', pieceSize)) push({ reasoning_content: piece });
  for (const piece of chunkText(text, pieceSize)) push({ content: piece });
  push({}, 'stop');
  if (usage) {
    const n = usage === true ? { prompt_tokens: 10, completion_tokens: 20 } : usage;
    const counted = { ...n, total_tokens: n.prompt_tokens + n.completion_tokens };
    lines.push(`data: ${JSON.stringify({ ...base, choices: [], usage: counted })}\n\n`);
  }
  if (done) lines.push('data: [DONE]\n\n');
  return lines.join('');
}

function chunkText(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

export function jsonError(status: number, message: string, extra: Record<string, unknown> = {}): Scenario {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: { message, type: 'invalid_request_error', code: null, ...extra } }),
  };
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

export async function startFakeServer(): Promise<FakeServer> {
  const queue: Scenario[] = [];
  let fallback: Scenario = { body: sse('Hello from the fake server.') };
  let models = ['fake-model', 'fake-vision', 'fake-reasoner'];
  const requests: RecordedRequest[] = [];
  const refused: RecordedRequest[] = [];
  let strict: StrictEntry | undefined;
  const sockets = new Set<import('node:net').Socket>();
  const routes = new Map<string, () => unknown>();
  const byModel = new Map<string, Scenario[]>();
  const completionQueue: CompletionScenario[] = [];
  const completions: CompletionRecord[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '/').split('?')[0];
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        rawBody,
        body,
        closedEarly: false,
      };
      requests.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.closedEarly = true;
      });
      if (req.method === 'GET' && path.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            data: models.map((id) => ({ id, object: 'model', owned_by: 'fake' })),
          }),
        );
        return;
      }
      if (req.method === 'POST' && path.endsWith('/chat/completions')) {
        if (strict && refuses(strict, body)) {
          refused.push(record);
          void respond(res, {
            status: strict.status,
            headers: { 'content-type': strict.contentType },
            body: strict.body,
          });
          return;
        }
        const model = (body as { model?: unknown } | undefined)?.model;
        const own = typeof model === 'string' ? byModel.get(model)?.shift() : undefined;
        void respond(res, own ?? queue.shift() ?? fallback);
        return;
      }
      if (req.method === 'POST' && isCompletionPath(path)) {
        const entry = Object.assign(record, { probe: false, piecesSent: 0, finished: false });
        completions.push(entry);
        void answerCompletion(res, entry, fake.completionRelay, () => completionQueue.shift());
        return;
      }
      const route = req.method === 'GET' ? routes.get(path) : undefined;
      if (route) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(route()));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: `No route for ${req.method} ${path}`, type: 'not_found' } }),
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const fake: FakeServer = {
    url,
    baseUrl: `${url}/v1`,
    port,
    requests,
    refused,
    enqueue: (...scenarios) => queue.push(...scenarios),
    enqueueFor: (model, ...scenarios) => {
      if (!byModel.has(model)) byModel.set(model, []);
      byModel.get(model)!.push(...scenarios);
    },
    enqueueCompletion: (...scenarios) => completionQueue.push(...scenarios),
    completions,
    completionRelay: 'keeps-suffix',
    setFallback: (scenario) => {
      fallback = scenario;
    },
    setModels: (ids) => {
      models = ids;
    },
    setStrict: (entry) => {
      strict = entry;
    },
    route: (path, answer) => {
      if (answer) routes.set(path, answer);
      else routes.delete(path);
    },
    reset: () => {
      queue.length = 0;
      byModel.clear();
      requests.length = 0;
      refused.length = 0;
      completionQueue.length = 0;
      completions.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return fake;
}

async function respond(res: ServerResponse, scenario: Scenario): Promise<void> {
  const body = scenario.fixture
    ? readFileSync(join(FIXTURES, scenario.fixture))
    : Buffer.from(scenario.body ?? '');
  const status = scenario.status ?? 200;
  const headers = scenario.headers ?? (status === 200 ? SSE_HEADERS : { 'content-type': 'text/plain' });
  if (scenario.gate?.afterBytes === 0) await scenario.gate.open;
  res.writeHead(status, headers);
  if (scenario.hang) {
    res.flushHeaders();
    return; // the client's abort (or server close) ends it
  }
  const size = scenario.chunkSize ?? (scenario.delayMs ? 64 : body.length || 1);
  let sent = 0;
  for (let offset = 0; offset < body.length; offset += size) {
    if (res.destroyed) return;
    let piece = body.subarray(offset, offset + size);
    if (scenario.cutAfterBytes !== undefined && sent + piece.length >= scenario.cutAfterBytes) {
      piece = piece.subarray(0, scenario.cutAfterBytes - sent);
      res.write(piece);
      // Let the bytes leave before the socket dies, as a real cut mid-stream would.
      await new Promise((r) => setTimeout(r, 50));
      res.socket?.destroy();
      return;
    }
    const gate = scenario.gate;
    if (gate && gate.afterBytes > 0 && sent < gate.afterBytes && sent + piece.length >= gate.afterBytes) {
      const split = gate.afterBytes - sent;
      res.write(piece.subarray(0, split));
      await gate.open;
      if (res.destroyed) return;
      piece = piece.subarray(split);
      sent += split;
    }
    res.write(piece);
    sent += piece.length;
    if (scenario.delayMs) await new Promise((r) => setTimeout(r, scenario.delayMs));
  }
  res.end();
}

/**
 * The fake server's `/completions` route, which the completion e2e tests stand on: the real suffix
 * probe reads a keeping and a dropping relay right, streams decode with the real decoder, and a
 * request the client aborts is recorded as closed early.
 */
import assert from 'node:assert/strict';
import { PROBE_SUFFIX, probeSuffix } from '../../../src/common/completion/request/suffixProbe';
import { CompletionStreamDecoder } from '../../../src/common/completion/request/completionResponse';
import { buildCompletionRequest } from '../../../src/common/completion/request/completionBodies';
import { countTokens } from '../../fakeServer/completions';
import { startFakeServer, type FakeServer } from '../../fakeServer/fakeServer';

const PROBE_PREFIX_TOKENS = 11; // 'function total(values) {\n  let total = 0;\n' is 43 characters

async function post(server: FakeServer, body: object, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.baseUrl}/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check());
}

describe('fake server: /completions', () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.completionRelay = 'keeps-suffix';
  });

  it('answers the probe pair of a relay that keeps suffix with counts the probe reads as kept', async () => {
    const result = await probeSuffix({
      fetch,
      baseUrl: server.baseUrl,
      model: 'qwen2.5-coder:7b',
      now: () => 1,
    });
    const suffixTokens = countTokens(PROBE_SUFFIX);
    assert.deepEqual(result, {
      verdict: 'kept',
      withoutSuffix: PROBE_PREFIX_TOKENS,
      withSuffix: PROBE_PREFIX_TOKENS + suffixTokens,
      at: 1,
    });
    assert.deepEqual(
      server.completions.map((r) => [r.path, r.probe, 'suffix' in (r.body as object), r.closedEarly]),
      [
        ['/v1/completions', true, false, false],
        ['/v1/completions', true, true, false],
      ],
    );
  });

  it('counts without suffix on a dropping relay, which the probe reads as dropped', async () => {
    server.completionRelay = 'drops-suffix';
    const result = await probeSuffix({
      fetch,
      baseUrl: server.baseUrl,
      model: 'qwen2.5-coder:7b',
      now: () => 1,
    });
    assert.deepEqual(result, {
      verdict: 'dropped',
      withoutSuffix: PROBE_PREFIX_TOKENS,
      withSuffix: PROBE_PREFIX_TOKENS,
      at: 1,
    });
  });

  it('streams queued completions as text_completion chunks with counted usage, in order', async () => {
    server.enqueueCompletion({ text: 'return a + b;', pieceSize: 5 }, { text: 'second', usage: false });
    const request = buildCompletionRequest(
      'fim',
      server.baseUrl,
      { prefix: 'function add(a, b) {\n  ', suffix: '\n}\n' },
      { model: 'qwen2.5-coder:7b', maxTokens: 64, temperature: 0, stream: true },
    );
    const read = async () => {
      const decoder = new CompletionStreamDecoder('127.0.0.1');
      const response = await post(server, request.body);
      assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      decoder.push(await response.text());
      decoder.end();
      return decoder;
    };
    const first = await read();
    assert.equal(first.text, 'return a + b;');
    assert.equal(first.finishReason, 'stop');
    assert.equal(first.done, true);
    // 23 characters of prompt (6 tokens) + 3 of suffix (1 token); 13 characters of text.
    assert.deepEqual(first.usage, { prompt_tokens: 7, completion_tokens: 4 });
    const second = await read();
    assert.equal(second.text, 'second');
    assert.equal(second.usage, undefined);
    // An empty queue: an empty completion, not a hang.
    assert.equal((await read()).text, '');
    assert.deepEqual(
      server.completions.map((r) => [r.probe, r.piecesSent, r.finished, r.closedEarly]),
      [
        [false, 3, true, false],
        [false, 2, true, false],
        [false, 0, true, false],
      ],
    );
    assert.deepEqual(server.completions[0].usageSent, { prompt_tokens: 7, completion_tokens: 4 });
  });

  it('records a request the client aborts mid-stream as closed early and unfinished', async () => {
    let open!: () => void;
    server.enqueueCompletion({
      text: 'abcdefgh',
      pieceSize: 2,
      gate: { afterPieces: 1, open: new Promise<void>((r) => (open = r)) },
    });
    const abort = new AbortController();
    const response = await post(
      server,
      { model: 'm', prompt: 'x', max_tokens: 16, stream: true },
      abort.signal,
    );
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /"text":"ab"/);
    const record = server.completions[0];
    await until(() => record.piecesSent === 1);
    abort.abort();
    await until(() => record.closedEarly);
    open();
    assert.equal(record.finished, false);
    assert.equal(record.piecesSent, 1);
  });

  it('answers a queued error as JSON with its status, and leaves /chat/completions alone', async () => {
    server.enqueueCompletion({ error: { status: 400, message: 'suffix is not supported' }, text: '' });
    const response = await post(server, {
      model: 'm',
      prompt: 'x',
      suffix: 'y',
      max_tokens: 8,
      stream: true,
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      error: { message: 'suffix is not supported', type: 'invalid_request_error', code: null },
    });
    const chat = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.match(await chat.text(), /^data: \{"id":"chatcmpl-fake","object":"chat\.completion\.chunk"/);
    assert.equal(server.completions.length, 1);
  });
});

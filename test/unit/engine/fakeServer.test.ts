/** The client against real HTTP: node:http on 127.0.0.1, the global fetch (undici), real sockets. */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { MemoryCapabilityStore, capabilityKey } from '../../../src/common/endpoint/capabilities';
import {
  listModels,
  streamChatCompletion,
  type EndpointConfig,
} from '../../../src/common/endpoint/chatClient';
import type { ChatEvent } from '../../../src/common/stream/chatEvents';
import type { ChatCompletionRequest } from '../../../src/common/endpoint/chatTypes';
import { EndpointError, isAbortError } from '../../../src/common/endpoint/endpointError';
import { jsonError, startFakeServer, type FakeServer } from '../../fakeServer/fakeServer';
import { FakeClock } from './fakes';
import { fixtureBytes } from './streamHarness';

const request: ChatCompletionRequest = { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] };

async function collect(gen: AsyncGenerator<ChatEvent>) {
  const events: ChatEvent[] = [];
  let error: unknown;
  try {
    for await (const e of gen) events.push(e);
  } catch (err) {
    error = err;
  }
  const text = events.map((e) => (e.type === 'content' ? e.text : '')).join('');
  return { events, text, error };
}

describe('client over real HTTP (fake server)', () => {
  let server: FakeServer;
  let config: EndpointConfig;
  const deps = { fetch: globalThis.fetch };

  before(async () => {
    server = await startFakeServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    config = { baseUrl: server.baseUrl, apiKey: 'sk-fake' };
  });

  it('streams a recorded answer in small network pieces', async () => {
    server.enqueue({ fixture: 'multibyte.sse', chunkSize: 7 });
    const r = await collect(streamChatCompletion(deps, config, request));
    assert.equal(r.error, undefined);
    assert.equal(r.text, '你好！这是一个包含中文、日本語とemoji 🚀🧪 的回答。');
    assert.equal((server.requests[0].body as { stream: boolean }).stream, true);
  });

  it('reads a gzip-encoded stream end to end', async () => {
    server.enqueue({
      headers: { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' },
      body: gzipSync(fixtureBytes('deepseek-reasoning-content.sse')),
    });
    const r = await collect(streamChatCompletion(deps, config, request));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'The answer is 391.');
  });

  it('keeps what arrived of a stream cut mid-answer, then reports streamCut', async () => {
    const bytes = fixtureBytes('openai-basic.sse');
    server.enqueue({
      fixture: 'openai-basic.sse',
      chunkSize: 100,
      cutAfterBytes: Math.floor(bytes.length / 2),
    });
    const r = await collect(streamChatCompletion(deps, config, request));
    assert.ok(r.text.length > 0 && 'Hello! How can I help you with your code today?'.startsWith(r.text));
    assert.ok(r.error instanceof EndpointError);
    assert.equal(r.error.hint, 'streamCut');
    assert.equal(server.requests.length, 1);
  });

  it('ends a hanging stream with an idle timeout', async () => {
    server.enqueue({ hang: true });
    const r = await collect(
      streamChatCompletion(deps, { ...config, timeouts: { idleMs: 150 }, retry: { maxRetries: 0 } }, request),
    );
    assert.ok(r.error instanceof EndpointError);
    assert.equal(r.error.kind, 'timeout');
  });

  it('aborting a hanging stream rejects with an AbortError', async () => {
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const gen = streamChatCompletion(deps, config, request, controller.signal);
    const pending = gen.next();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, (err: unknown) => isAbortError(err));
  });

  it('retries a 429 after its Retry-After, then streams', async () => {
    server.enqueue(
      {
        ...jsonError(429, 'Rate limit reached'),
        headers: { 'content-type': 'application/json', 'retry-after': '2' },
      },
      { fixture: 'openai-basic.sse' },
    );
    const clock = new FakeClock((ms) => ms === 2000);
    const r = await collect(streamChatCompletion({ ...deps, clock }, config, request));
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.events.filter((e) => e.type === 'retrying').map((e) => e.type === 'retrying' && e.delayMs),
      [2000],
    );
    assert.equal(r.text, 'Hello! How can I help you with your code today?');
    assert.equal(server.requests.length, 2);
  });

  it('drops stream_options after a 400 that names it, and remembers', async () => {
    server.enqueue(
      jsonError(400, 'Unrecognized request argument supplied: stream_options'),
      { fixture: 'usage-final-chunk.sse' },
      { fixture: 'openai-basic.sse' },
    );
    const store = new MemoryCapabilityStore();
    const cfg = { ...config, profileId: 'local', capabilityStore: store };
    const withUsage = { ...request, stream_options: { include_usage: true } };
    const r = await collect(streamChatCompletion(deps, cfg, withUsage));
    assert.equal(r.error, undefined);
    assert.ok(r.events.some((e) => e.type === 'notice' && e.downgrade === 'stream_options'));
    assert.ok(r.events.some((e) => e.type === 'usage'));
    const sent = server.requests.map((q) => (q.body as { stream_options?: unknown }).stream_options);
    assert.deepEqual(sent, [{ include_usage: true }, undefined]);
    assert.deepEqual(store.get(capabilityKey('local', 'fake-model'))?.downgrades, ['stream_options']);
    await collect(streamChatCompletion(deps, cfg, withUsage));
    assert.equal((server.requests[2].body as { stream_options?: unknown }).stream_options, undefined);
  });

  it('reports an error object inside a 200 stream', async () => {
    server.enqueue({ fixture: 'error-in-200-stream.sse' });
    const r = await collect(streamChatCompletion(deps, config, request));
    assert.ok(r.error instanceof EndpointError);
    assert.equal(r.error.kind, 'stream');
    assert.match(r.error.serverMessage ?? '', /上游负载已饱和/);
  });

  it('takes a JSON answer from a server that ignores stream: true', async () => {
    server.enqueue({ headers: { 'content-type': 'application/json' }, fixture: 'non-streaming.json' });
    const r = await collect(streamChatCompletion(deps, config, request));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'Whole answer at once.');
  });

  it('turns an HTML 502 page into one line with status and host', async () => {
    server.enqueue(
      { status: 502, headers: { 'content-type': 'text/html' }, fixture: 'error-nginx-502.html' },
      { status: 502, headers: { 'content-type': 'text/html' }, fixture: 'error-nginx-502.html' },
    );
    const r = await collect(
      streamChatCompletion(deps, { ...config, retry: { maxRetries: 1, baseDelayMs: 1 } }, request),
    );
    assert.ok(r.error instanceof EndpointError);
    assert.equal(r.error.status, 502);
    assert.equal(r.error.serverMessage, '502 Bad Gateway');
    assert.equal(r.error.host, `127.0.0.1:${server.port}`);
  });

  it('lists models', async () => {
    server.setModels(['a', 'b']);
    assert.deepEqual(
      (await listModels(deps, config)).map((m) => m.id),
      ['a', 'b'],
    );
  });
});

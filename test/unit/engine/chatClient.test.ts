import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { MemoryCapabilityStore, capabilityKey } from '../../../src/common/endpoint/capabilities';
import { streamChatCompletion, type EndpointConfig } from '../../../src/common/endpoint/chatClient';
import type { ChatEvent } from '../../../src/common/stream/chatEvents';
import type { ChatCompletionRequest } from '../../../src/common/endpoint/chatTypes';
import { EndpointError, isAbortError } from '../../../src/common/endpoint/endpointError';
import { FakeClock, scriptedFetch, stallingBody, type Reply } from './fakes';
import { fixtureBytes } from './streamHarness';

const config: EndpointConfig = { baseUrl: 'https://relay.test/v1', apiKey: 'sk-test-key-1234567890' };
const request: ChatCompletionRequest = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hi' }],
  stream: true,
};
const sse = (name: string): Reply => ({ body: fixtureBytes(name) });
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function collect(
  gen: AsyncGenerator<ChatEvent>,
): Promise<{ events: ChatEvent[]; text: string; error?: unknown }> {
  const events: ChatEvent[] = [];
  try {
    for await (const e of gen) events.push(e);
    return { events, text: textOf(events) };
  } catch (error) {
    return { events, text: textOf(events), error };
  }
}

const textOf = (events: ChatEvent[]) =>
  events.map((e) => (e.type === 'content' && e.choice === 0 ? e.text : '')).join('');

describe('streamChatCompletion', () => {
  it('sends the request with the key, stream: true, and yields the answer', async () => {
    const f = scriptedFetch(sse('openai-basic.sse'));
    const r = await collect(streamChatCompletion({ fetch: f.fetch }, config, request));
    assert.equal(r.error, undefined);
    assert.equal(r.text, 'Hello! How can I help you with your code today?');
    assert.equal(f.calls[0].url, 'https://relay.test/v1/chat/completions');
    assert.equal(f.calls[0].headers.Authorization, 'Bearer sk-test-key-1234567890');
    assert.equal(f.calls[0].body.stream, true);
  });

  it('fits the request to the model (o-series: max_completion_tokens, developer, no temperature)', async () => {
    const f = scriptedFetch(sse('openai-basic.sse'));
    await collect(
      streamChatCompletion({ fetch: f.fetch }, config, {
        model: 'o3-mini',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
        temperature: 0.3,
        max_tokens: 100,
      }),
    );
    const sent = f.calls[0].body as Record<string, unknown> & { messages: { role: string }[] };
    assert.equal(sent.max_completion_tokens, 100);
    assert.equal(sent.max_tokens, undefined);
    assert.equal(sent.temperature, undefined);
    assert.equal(sent.messages[0].role, 'developer');
  });

  it('decompresses a gzip body the fetch implementation left compressed', async () => {
    const f = scriptedFetch({
      headers: { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' },
      body: new Uint8Array(gzipSync(fixtureBytes('multibyte.sse'))),
    });
    const r = await collect(streamChatCompletion({ fetch: f.fetch }, config, request));
    assert.equal(r.error, undefined);
    assert.equal(r.text, '你好！这是一个包含中文、日本語とemoji 🚀🧪 的回答。');
  });

  it('reads a gzip header over an already-decompressed body as plain bytes', async () => {
    const f = scriptedFetch({
      headers: { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' },
      body: fixtureBytes('openai-basic.sse'),
    });
    const r = await collect(streamChatCompletion({ fetch: f.fetch }, config, request));
    assert.equal(r.text, 'Hello! How can I help you with your code today?');
  });

  it('takes a non-streamed JSON answer', async () => {
    const f = scriptedFetch({
      headers: { 'content-type': 'application/json' },
      body: fixtureBytes('non-streaming.json'),
    });
    const r = await collect(streamChatCompletion({ fetch: f.fetch }, config, request));
    assert.equal(r.text, 'Whole answer at once.');
    assert.ok(r.events.some((e) => e.type === 'usage'));
  });

  it('takes SSE sent under a wrong content type', async () => {
    const f = scriptedFetch({ headers: { 'content-type': 'text/plain' }, body: fixtureBytes('ollama.sse') });
    const r = await collect(streamChatCompletion({ fetch: f.fetch }, config, request));
    assert.equal(r.text, 'Hi there');
  });

  describe('stream cuts', () => {
    it('yields what arrived, then throws streamCut', async () => {
      const f = scriptedFetch(sse('cut-mid-answer.sse'));
      const r = await collect(streamChatCompletion({ fetch: f.fetch }, config, request));
      assert.equal(r.text, 'Hello! How can I hel');
      assert.ok(r.error instanceof EndpointError);
      assert.equal(r.error.kind, 'stream');
      assert.equal(r.error.hint, 'streamCut');
      assert.equal(f.calls.length, 1, 'never retried after output');
    });

    it('accepts a clean end with finish_reason and no [DONE]', async () => {
      const f = scriptedFetch(sse('no-done-with-finish.sse'));
      const r = await collect(streamChatCompletion({ fetch: f.fetch }, config, request));
      assert.equal(r.error, undefined);
    });

    it('retries a stream that closed before any answer', async () => {
      const f = scriptedFetch({ body: '' }, sse('openai-basic.sse'));
      const r = await collect(
        streamChatCompletion({ fetch: f.fetch, clock: new FakeClock() }, config, request),
      );
      assert.equal(r.error, undefined);
      assert.equal(f.calls.length, 2);
      assert.ok(r.events.some((e) => e.type === 'retrying'));
    });
  });

  describe('retries', () => {
    it('waits Retry-After on 429, says so, then succeeds', async () => {
      const clock = new FakeClock();
      const f = scriptedFetch(
        json(429, { error: { message: 'slow down' } }, { 'retry-after': '3' }),
        sse('openai-basic.sse'),
      );
      const r = await collect(streamChatCompletion({ fetch: f.fetch, clock }, config, request));
      const retrying = r.events.find((e) => e.type === 'retrying');
      assert.deepEqual(retrying, {
        type: 'retrying',
        attempt: 1,
        delayMs: 3000,
        reason: 'HTTP 429: slow down',
      });
      assert.equal(r.text, 'Hello! How can I help you with your code today?');
    });

    it('backs off exponentially with jitter on 5xx and network errors, bounded', async () => {
      const clock = new FakeClock();
      const refused = Object.assign(new TypeError('fetch failed'), {
        cause: { code: 'ECONNRESET', message: 'reset' },
      });
      const f = scriptedFetch(
        json(503, { message: 'busy' }),
        refused,
        json(502, 'Bad gateway'),
        json(500, { msg: 'boom' }),
      );
      const r = await collect(
        streamChatCompletion(
          { fetch: f.fetch, clock, random: () => 0.5 },
          { ...config, retry: { baseDelayMs: 1000 } },
          request,
        ),
      );
      const delays = r.events.flatMap((e) => (e.type === 'retrying' ? [e.delayMs] : []));
      assert.deepEqual(delays, [750, 1500, 3000]);
      assert.ok(r.error instanceof EndpointError);
      assert.equal(r.error.status, 500);
      assert.equal(f.calls.length, 4);
    });

    it('does not retry a refused key or an exhausted quota', async () => {
      for (const reply of [
        json(401, { error: { message: 'bad key' } }),
        json(429, { error: { message: 'quota', code: 'insufficient_quota' } }),
      ]) {
        const f = scriptedFetch(reply);
        const r = await collect(
          streamChatCompletion({ fetch: f.fetch, clock: new FakeClock() }, config, request),
        );
        assert.ok(r.error instanceof EndpointError);
        assert.equal(f.calls.length, 1);
      }
    });

    it('does not wait for a Retry-After beyond the limit', async () => {
      const f = scriptedFetch(json(429, { error: { message: 'later' } }, { 'retry-after': '3600' }));
      const r = await collect(
        streamChatCompletion({ fetch: f.fetch, clock: new FakeClock() }, config, request),
      );
      assert.ok(r.error instanceof EndpointError);
      assert.equal(r.error.retryAfterMs, 3_600_000);
      assert.equal(f.calls.length, 1);
    });

    it('rejects at once when aborted during a backoff wait', async () => {
      const clock = new FakeClock(false);
      const controller = new AbortController();
      const f = scriptedFetch(json(503, 'busy'));
      const gen = streamChatCompletion({ fetch: f.fetch, clock }, config, request, controller.signal);
      const first = await gen.next();
      assert.equal((first.value as ChatEvent).type, 'retrying');
      const waiting = gen.next();
      controller.abort();
      await assert.rejects(waiting, (err: unknown) => isAbortError(err));
      assert.equal(clock.pending, 0, 'no timer left behind');
    });
  });

  describe('timeouts', () => {
    it('times out a server that sends headers and then nothing (idle)', async () => {
      const clock = new FakeClock();
      const f = scriptedFetch({
        body: stallingBody('data: {"choices":[{"index":0,"delta":{"content":"He"}}]}\n\n'),
      });
      const r = await collect(
        streamChatCompletion({ fetch: f.fetch, clock }, { ...config, timeouts: { idleMs: 5000 } }, request),
      );
      assert.equal(r.text, 'He');
      assert.ok(r.error instanceof EndpointError);
      assert.equal(r.error.kind, 'timeout');
      assert.ok(clock.delays.includes(5000));
    });

    it('times out a server that never answers (first byte) and retries it', async () => {
      const clock = new FakeClock();
      let calls = 0;
      const fetchImpl = (async (_url: string, init: RequestInit) => {
        calls += 1;
        if (calls === 2)
          return new Response(fixtureBytes('openai-basic.sse'), {
            headers: { 'content-type': 'text/event-stream' },
          });
        return new Promise<Response>((_, reject) =>
          init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
        );
      }) as unknown as typeof fetch;
      const r = await collect(
        streamChatCompletion(
          { fetch: fetchImpl, clock },
          { ...config, timeouts: { firstByteMs: 1234 } },
          request,
        ),
      );
      assert.equal(r.error, undefined);
      assert.ok(clock.delays.includes(1234));
      const retrying = r.events.find((e) => e.type === 'retrying');
      assert.ok(
        retrying && retrying.type === 'retrying' && retrying.reason === 'timeout: No response within 1 s.',
      );
    });
  });

  describe('cancellation', () => {
    it('stopping mid-stream aborts the request signal', async () => {
      let seen: AbortSignal | undefined;
      const fetchImpl = (async (_url: string, init: RequestInit) => {
        seen = init.signal!;
        return new Response(stallingBody('data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n'), {
          headers: { 'content-type': 'text/event-stream' },
        });
      }) as unknown as typeof fetch;
      const controller = new AbortController();
      const gen = streamChatCompletion(
        { fetch: fetchImpl, clock: new FakeClock(false) },
        config,
        request,
        controller.signal,
      );
      assert.equal(((await gen.next()).value as ChatEvent).type, 'content');
      const pending = gen.next();
      controller.abort();
      await assert.rejects(pending, (err: unknown) => isAbortError(err));
      assert.equal(seen!.aborted, true);
    });

    it('a consumer that breaks early closes the connection', async () => {
      let seen: AbortSignal | undefined;
      const fetchImpl = (async (_url: string, init: RequestInit) => {
        seen = init.signal!;
        return new Response(fixtureBytes('openai-basic.sse'), {
          headers: { 'content-type': 'text/event-stream' },
        });
      }) as unknown as typeof fetch;
      for await (const e of streamChatCompletion({ fetch: fetchImpl }, config, request))
        if (e.type === 'content') break;
      assert.equal(seen!.aborted, true);
    });
  });

  describe('downgrades', () => {
    it('retries once without a refused parameter, says so, and remembers it per profile and model', async () => {
      const store = new MemoryCapabilityStore();
      const cfg = { ...config, profileId: 'work', capabilityStore: store };
      const f = scriptedFetch(
        json(400, { error: { message: 'Unrecognized request argument supplied: stream_options' } }),
        sse('usage-final-chunk.sse'),
        sse('openai-basic.sse'),
      );
      const withUsage = { ...request, stream_options: { include_usage: true } };
      const r = await collect(streamChatCompletion({ fetch: f.fetch }, cfg, withUsage));
      assert.equal(r.error, undefined);
      const notice = r.events.find((e) => e.type === 'notice');
      assert.deepEqual(notice, {
        type: 'notice',
        code: 'downgraded',
        downgrade: 'stream_options',
        message: 'relay.test refused stream_options; sent the request without it.',
      });
      assert.equal(f.calls[1].body.stream_options, undefined);
      assert.deepEqual(store.get(capabilityKey('work', 'gpt-4o-mini'))?.downgrades, ['stream_options']);
      await collect(streamChatCompletion({ fetch: f.fetch }, cfg, withUsage));
      assert.equal(f.calls[2].body.stream_options, undefined, 'remembered');
    });

    it('swaps max_tokens for max_completion_tokens on an unknown reasoning alias', async () => {
      const f = scriptedFetch(
        json(400, {
          error: {
            message:
              "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          },
        }),
        sse('openai-basic.sse'),
      );
      await collect(
        streamChatCompletion({ fetch: f.fetch }, config, {
          ...request,
          model: 'my-azure-deployment',
          max_tokens: 50,
        }),
      );
      assert.equal(f.calls[1].body.max_completion_tokens, 50);
      assert.equal(f.calls[1].body.max_tokens, undefined);
    });

    it('asks without streaming when streaming is refused, and reads the JSON answer', async () => {
      const f = scriptedFetch(
        json(400, {
          error: { message: "Unsupported value: 'stream' does not support true with this model." },
        }),
        { headers: { 'content-type': 'application/json' }, body: fixtureBytes('non-streaming.json') },
      );
      const r = await collect(streamChatCompletion({ fetch: f.fetch }, config, request));
      assert.equal(f.calls[1].body.stream, false);
      assert.equal(r.text, 'Whole answer at once.');
    });

    it('does not remember a downgrade whose retry failed too', async () => {
      const store = new MemoryCapabilityStore();
      const f = scriptedFetch(
        json(400, { error: { message: 'temperature is not supported' } }),
        json(400, { error: { message: 'model not found' } }),
      );
      const r = await collect(
        streamChatCompletion(
          { fetch: f.fetch },
          { ...config, capabilityStore: store },
          { ...request, temperature: 1 },
        ),
      );
      assert.ok(r.error instanceof EndpointError);
      assert.equal(store.keys().length, 0);
    });
  });

  it('throws the error object of a 200 stream with its request id', async () => {
    const f = scriptedFetch(sse('error-in-200-stream.sse'));
    const r = await collect(streamChatCompletion({ fetch: f.fetch }, config, request));
    assert.ok(r.error instanceof EndpointError);
    assert.equal(r.error.requestId, '20241107153012345678901abcdEFGH');
    assert.equal(f.calls.length, 1);
  });
});

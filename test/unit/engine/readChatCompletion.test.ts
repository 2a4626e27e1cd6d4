/**
 * readChatCompletion hands a read's events to a sink instead of yielding them one by one; the panel
 * and the edit rounds read through it. The sink must see what the generator's consumer sees, stop
 * the stream with `false` as `break` did, hold the next read back while its promise is pending, and
 * its own errors must come out as thrown, never retried as the endpoint's.
 */
import assert from 'node:assert/strict';
import {
  readChatCompletion,
  streamChatCompletion,
  type EndpointConfig,
} from '../../../src/common/endpoint/chatClient';
import type { ChatCompletionRequest } from '../../../src/common/endpoint/chatTypes';
import { EndpointError } from '../../../src/common/endpoint/endpointError';
import type { ChatEvent } from '../../../src/common/stream/chatEvents';
import { FakeClock, scriptedFetch } from './fakes';
import { fixtureBytes } from './streamHarness';

const config: EndpointConfig = { baseUrl: 'https://relay.test/v1' };
const request: ChatCompletionRequest = {
  model: 'm',
  messages: [{ role: 'user', content: 'hi' }],
  stream: true,
};
const encoder = new TextEncoder();
const content = (text: string) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`;

/** One read per piece; `pulls` counts the reads the client asked for. */
function piecewise(pieces: string[]): {
  body: ReadableStream<Uint8Array>;
  pulls: () => number;
  closed: () => boolean;
} {
  let pulls = 0;
  let closed = false;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const piece = pieces[pulls++];
        if (piece === undefined) controller.close();
        else controller.enqueue(encoder.encode(piece));
      },
      cancel: () => void (closed = true),
    },
    { highWaterMark: 0 },
  );
  return { body, pulls: () => pulls, closed: () => closed };
}

const texts = (events: readonly ChatEvent[]) =>
  events.map((e) => (e.type === 'content' ? e.text : e.type)).join('|');

describe('readChatCompletion', () => {
  it('gives the sink, read by read, exactly the events the generator yields', async () => {
    const fromSink: ChatEvent[] = [];
    const batches: number[] = [];
    await readChatCompletion(
      scriptedFetch({ body: fixtureBytes('openai-basic.sse') }),
      config,
      request,
      (events) => {
        batches.push(events.length);
        fromSink.push(...events);
      },
    );
    const fromGenerator: ChatEvent[] = [];
    for await (const event of streamChatCompletion(
      scriptedFetch({ body: fixtureBytes('openai-basic.sse') }),
      config,
      request,
    ))
      fromGenerator.push(event);
    assert.deepEqual(fromSink, fromGenerator);
    assert.equal(batches.length, 1, 'one body read, one batch');
  });

  it('a sink that answers false ends the stream there and closes the connection', async () => {
    const hand = piecewise([content('one'), content('two'), content('three'), 'data: [DONE]\n\n']);
    let seen: AbortSignal | undefined;
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      seen = init.signal!;
      return new Response(hand.body, { headers: { 'content-type': 'text/event-stream' } });
    }) as unknown as typeof fetch;
    const got: string[] = [];
    await readChatCompletion({ fetch: fetchImpl }, config, request, (events) => {
      got.push(texts(events));
      return !events.some((e) => e.type === 'content' && e.text === 'two');
    });
    assert.deepEqual(got, ['one', 'two']);
    assert.equal(seen!.aborted, true);
    assert.equal(hand.pulls(), 2, 'nothing read after the stop');
  });

  it('a sink that answers false to a downgrade notice sends no second request', async () => {
    const f = scriptedFetch({
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: { message: 'Unrecognized request argument supplied: stream_options' } }),
    });
    const got: ChatEvent[] = [];
    await readChatCompletion(f, config, { ...request, stream_options: { include_usage: true } }, (events) => {
      got.push(...events);
      return false;
    });
    assert.deepEqual(
      got.map((e) => e.type),
      ['notice'],
    );
    assert.equal(f.calls.length, 1);
  });

  it('holds the next read back until an async sink settles', async () => {
    const hand = piecewise([content('a'), content('b'), 'data: [DONE]\n\n']);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const got: string[] = [];
    const done = readChatCompletion(scriptedFetch({ body: hand.body }), config, request, async (events) => {
      got.push(texts(events));
      if (got.length === 1) await gate;
    });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, ['a']);
    assert.equal(hand.pulls(), 1);
    release();
    await done;
    assert.deepEqual(got, ['a', 'b']);
  });

  it("the sink's own error comes out as thrown: never retried, never worded as a cut stream", async () => {
    const own = new EndpointError({ kind: 'http', host: 'elsewhere', status: 503, hint: 'server' });
    const f = scriptedFetch(
      { body: fixtureBytes('openai-basic.sse') },
      { body: fixtureBytes('openai-basic.sse') },
    );
    await assert.rejects(
      readChatCompletion({ ...f, clock: new FakeClock() }, config, request, () => {
        throw own;
      }),
      (err: unknown) => err === own,
    );
    assert.equal(f.calls.length, 1);
  });

  it("an async sink's rejection comes out as thrown and closes the connection", async () => {
    const hand = piecewise([content('a'), content('b'), 'data: [DONE]\n\n']);
    const own = new Error('the consumer failed');
    await assert.rejects(
      readChatCompletion(scriptedFetch({ body: hand.body }), config, request, async () => {
        await Promise.resolve();
        throw own;
      }),
      (err: unknown) => err === own,
    );
    assert.equal(hand.closed(), true);
  });
});

describe('streamChatCompletion over readChatCompletion', () => {
  it('reads no further than its consumer has pulled', async () => {
    const hand = piecewise([content('a'), content('b'), content('c'), 'data: [DONE]\n\n']);
    const events = streamChatCompletion(scriptedFetch({ body: hand.body }), config, request);
    assert.equal(((await events.next()).value as ChatEvent).type, 'content');
    await new Promise((r) => setImmediate(r));
    assert.equal(hand.pulls(), 1);
    await events.return(undefined);
    assert.equal(hand.closed(), true);
  });

  it("a throw in the consumer's loop closes the connection and comes out unchanged", async () => {
    const hand = piecewise([content('a'), content('b'), 'data: [DONE]\n\n']);
    const own = new Error('loop body failed');
    await assert.rejects(
      (async () => {
        for await (const _event of streamChatCompletion(scriptedFetch({ body: hand.body }), config, request))
          throw own;
      })(),
      (err: unknown) => err === own,
    );
    assert.equal(hand.closed(), true);
  });

  it('yields every event before the error that ends the stream', async () => {
    const hand = piecewise([content('a'), content('b')]);
    const got: ChatEvent[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of streamChatCompletion(
          { ...scriptedFetch({ body: hand.body }), clock: new FakeClock() },
          { ...config, retry: { maxRetries: 0 } },
          request,
        ))
          got.push(event);
      })(),
      (err: unknown) => err instanceof EndpointError && err.hint === 'streamCut',
    );
    assert.equal(texts(got), 'a|b');
  });
});

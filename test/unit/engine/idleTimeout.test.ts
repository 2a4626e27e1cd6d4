/**
 * The body's idle timeout is one timer that outlives each read (not one set and cleared per read):
 * it must still end a stream exactly when one read has waited `idleMs`, never a stream whose reads
 * each come sooner however long it runs, and leave no timer behind.
 */
import assert from 'node:assert/strict';
import type { ChatEvent } from '../../../src/common/stream/chatEvents';
import { streamChatCompletion, type EndpointConfig } from '../../../src/common/endpoint/chatClient';
import type { ChatCompletionRequest } from '../../../src/common/endpoint/chatTypes';
import { EndpointError } from '../../../src/common/endpoint/endpointError';
import { FakeClock, scriptedFetch } from './fakes';

const config: EndpointConfig = {
  baseUrl: 'https://relay.test/v1',
  timeouts: { idleMs: 5000 },
  retry: { maxRetries: 0 },
};
const request: ChatCompletionRequest = {
  model: 'm',
  messages: [{ role: 'user', content: 'hi' }],
  stream: true,
};
const chunk = (text: string) =>
  new TextEncoder().encode(
    `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`,
  );

/** A body whose chunks the test sends one by one. */
function handBody(): { body: ReadableStream<Uint8Array>; send(text: string): void; end(): void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    body,
    send: (text) => controller.enqueue(chunk(text)),
    end: () => {
      controller.enqueue(new TextEncoder().encode('data: [DONE]\n\n'));
      controller.close();
    },
  };
}

/** Lets the client's read loop take what was sent (promise jobs and a macrotask). */
const settle = () => new Promise((r) => setImmediate(r));

function consume(clock: FakeClock, body: ReadableStream<Uint8Array>) {
  const { fetch } = scriptedFetch({ body });
  const events: ChatEvent[] = [];
  let error: unknown;
  let ended = false;
  const done = (async () => {
    try {
      for await (const e of streamChatCompletion({ fetch, clock }, config, request)) events.push(e);
    } catch (err) {
      error = err;
    }
    ended = true;
  })();
  return { events, done, error: () => error, ended: () => ended };
}

const text = (events: ChatEvent[]) => events.map((e) => (e.type === 'content' ? e.text : '')).join('');

describe('idle timeout: one timer for the whole body', () => {
  it('a stream whose reads each come within idleMs runs on, however long', async () => {
    const clock = new FakeClock(false);
    const hand = handBody();
    const run = consume(clock, hand.body);
    for (let i = 0; i < 12; i++) {
      await settle();
      clock.advance(4000);
      hand.send(`w${i} `);
    }
    await settle();
    hand.end();
    await run.done;
    assert.equal(run.error(), undefined);
    assert.equal(text(run.events), Array.from({ length: 12 }, (_, i) => `w${i} `).join(''));
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  it('ends the stream when one read has waited idleMs, not a moment before', async () => {
    const clock = new FakeClock(false);
    const hand = handBody();
    const run = consume(clock, hand.body);
    for (let i = 0; i < 3; i++) {
      await settle();
      clock.advance(3000);
      hand.send(`w${i} `);
    }
    await settle();
    // The last read began now: 4999 ms later it is still waiting.
    clock.advance(4999);
    await settle();
    assert.equal(run.ended(), false);
    clock.advance(1);
    await run.done;
    assert.equal(text(run.events), 'w0 w1 w2 ');
    const err = run.error();
    assert.ok(err instanceof EndpointError);
    assert.equal(err.kind, 'timeout');
    assert.equal(err.serverMessage, 'No data for 5 s.');
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  it('a consumer that stops asking leaves no timer running after idleMs', async () => {
    const clock = new FakeClock(false);
    const hand = handBody();
    hand.send('a');
    hand.send('b');
    const { fetch } = scriptedFetch({ body: hand.body });
    const stream = streamChatCompletion({ fetch, clock }, config, request);
    const first = await stream.next();
    assert.equal(first.done, false);
    // Never asked again: the read loop waits at its yield, with no read pending.
    clock.advance(5000);
    assert.equal(clock.pending, 0);
  });
});

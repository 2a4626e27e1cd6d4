import assert from 'node:assert/strict';
import { capabilityKey, MemoryCapabilityStore } from '../../../src/common/endpoint/capabilities';
import type { KnownWindow } from '../../../src/common/context/modelLimits';
import { sse } from '../../fakeServer/fakeServer';
import { sessionHarness } from '../conversation/sessionHarness';

type Sent = { role: string; content: unknown }[];

const overflow = (window: number, requested: number) =>
  new Response(
    JSON.stringify({
      error: {
        message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${requested} tokens. Please reduce the length of the messages.`,
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    }),
    { status: 400, headers: { 'content-type': 'application/json' } },
  );
const answer = (text: string) =>
  new Response(sse(text), { status: 200, headers: { 'content-type': 'text/event-stream' } });

function harness(responses: (() => Response)[], window?: KnownWindow) {
  const store = new MemoryCapabilityStore();
  const h = sessionHarness<{ messages: Sent }>(responses, {
    capabilityStore: store,
    profileId: 'p',
    model: 'small-model',
    window,
  });
  /** The messages of each request sent so far. */
  const sent = () => h.bodies.map((body) => body.messages);
  return { session: h.session, sent, store, panel: h.panel };
}

/** A turn of about 600 tokens. */
const long = (i: number) => `Question ${i}: ${'please look at this part of the design again '.repeat(60)}`;

describe('the session and the context window', () => {
  it('leaves out the oldest turns to fit, and says so on the answer', async () => {
    const replies = Array.from({ length: 8 }, (_, i) => () => answer(`answer ${i} `.repeat(100)));
    const { session, sent, panel } = harness(replies, { tokens: 4096, source: 'override' });
    for (let i = 0; i < 8; i++) await session.send({ display: long(i), content: long(i) });
    const last = sent()[sent().length - 1];
    // The question is last and whole; what came before is the newest turns, in order.
    assert.deepEqual(last[last.length - 1], { role: 'user', content: long(7) });
    assert.ok(last.length < 15, `sent ${last.length} messages`);
    assert.equal(last[0].role, 'user');
    const answers = panel().filter((m) => m.role === 'assistant');
    const leftOut = 15 - last.length;
    assert.deepEqual(answers.at(-1)!.notices, [`${leftOut} earlier messages left out to fit the 4k context`]);
    assert.equal(answers[0].notices, undefined);
  });

  it('learns the window from a refusal, fits and asks again once by itself, with a notice', async () => {
    const { session, sent, store, panel } = harness([
      () => answer('first'),
      () => answer('second'),
      () => overflow(1024, 1900),
      () => answer('fitted'),
    ]);
    await session.send({ display: long(1), content: long(1) });
    await session.send({ display: long(2), content: long(2) });
    await session.send({ display: 'and now?', content: 'and now?' });
    assert.equal(sent().length, 4);
    assert.equal(sent()[2].length, 5);
    assert.deepEqual(sent()[3].at(-1), { role: 'user', content: 'and now?' });
    assert.ok(sent()[3].length < 5);
    assert.equal(store.get(capabilityKey('p', 'small-model'))?.contextWindow, 1024);
    const last = panel().at(-1)!;
    assert.equal(last.role, 'assistant');
    assert.equal(last.text, 'fitted');
    assert.deepEqual(last.notices, [
      `The relay refused the request as longer than its 1k context: asked again with ${5 - sent()[3].length} earlier message(s) left out.`,
    ]);
  });

  it('shows a second refusal as an error with the numbers and New Chat', async () => {
    const { session, sent, panel } = harness([
      () => answer('first'),
      () => overflow(1024, 1900),
      () => overflow(1024, 1200),
    ]);
    await session.send({ display: long(1), content: long(1) });
    await session.send({ display: 'and now?', content: 'and now?' });
    assert.equal(sent().length, 3);
    const error = panel().at(-1)!;
    assert.equal(error.role, 'error');
    assert.equal(error.error?.kind, 'context');
    assert.equal(
      error.error?.title,
      "The question does not fit the model's context window (HTTP 400 from 127.0.0.1:1)",
    );
    assert.match(
      error.error!.detail!,
      /^About \d+ tokens to send and \d+ kept for the answer; the context window is 1024 tokens\.\nThis model's maximum context length is 1024 tokens/,
    );
  });

  it('never sends a question that alone is larger than the known window', async () => {
    const { session, sent, panel } = harness([], { tokens: 1024, source: 'listed' });
    await session.send({ display: 'q', content: long(1).repeat(3) });
    assert.equal(sent().length, 0);
    assert.equal(panel().at(-1)?.error?.kind, 'context');
  });
});

/**
 * Token probabilities (issue 10): the panel's toggle puts `logprobs`/`top_logprobs` on the request,
 * the streamed `logprobs.content` is kept with the answer, and host and panel fold it with the one
 * reducer, offsets and all.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TOP_LOGPROBS,
  percentText,
  probability,
  tokenProbabilities,
  type TokenProbability,
} from '../../../src/common/logprobs/tokenLogprobs';
import { MemoryCapabilityStore } from '../../../src/common/endpoint/capabilities';
import { applyOps, pushOp } from '../../../src/common/panel/messageReducer';
import type { MessageOp } from '../../../src/common/panel/protocol';
import { sse } from '../../fakeServer/fakeServer';
import { logprobsSse } from '../../fakeServer/logprobsStream';
import type { ViewMessage } from '../../../src/common/panel/protocol';
import { sessionHarness } from '../conversation/sessionHarness';

const fixture = readFileSync(join(__dirname, '../../fixtures/streams/logprobs.sse'), 'utf8');

/** A response whose body arrives in pieces of `size` bytes. */
function streamed(body: string, size = Infinity): Response {
  const bytes = new TextEncoder().encode(body);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const step = Math.min(size, bytes.length);
      for (let i = 0; i < bytes.length; i += step) controller.enqueue(bytes.slice(i, i + step));
      controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

function harness(responses: (() => Response)[], capabilityStore?: MemoryCapabilityStore) {
  return sessionHarness(responses, { capabilityStore });
}

const FIXTURE_TOKENS: TokenProbability[] = [
  { token: 'Hi', logprob: -0.01, top: [{ token: 'Hi', logprob: -0.01 }] },
  { token: '!', logprob: -0.2, top: [{ token: '!', logprob: -0.2 }] },
];

describe('logprobs: the request', () => {
  it('asks for logprobs and the top 5 alternatives when the panel toggle is on, and not otherwise', async () => {
    const { session, bodies } = harness([() => streamed(sse('a')), () => streamed(sse('b'))]);
    await session.send({ display: 'q', content: 'q' });
    session.setOptions({ logprobs: true });
    await session.send({ display: 'q2', content: 'q2' });
    assert.equal(TOP_LOGPROBS, 5);
    assert.deepEqual(
      bodies.map((b) => [b.logprobs, b.top_logprobs]),
      [
        [undefined, undefined],
        [true, 5],
      ],
    );
  });

  it('asks again without them when the endpoint refuses logprobs, and says so on the answer', async () => {
    const refusal = JSON.stringify({
      error: { message: '`logprobs` is not supported with this model', type: 'invalid_request_error' },
    });
    const { session, bodies } = harness([
      () => new Response(refusal, { status: 400, headers: { 'content-type': 'application/json' } }),
      () => streamed(sse('Plain answer.')),
    ]);
    session.setOptions({ logprobs: true });
    await session.send({ display: 'q', content: 'q' });
    assert.deepEqual(
      bodies.map((b) => [b.logprobs, b.top_logprobs]),
      [
        [true, 5],
        [undefined, undefined],
      ],
    );
    const answer = session.state().messages[1];
    assert.equal(answer.text, 'Plain answer.');
    assert.deepEqual(answer.notices, ['This endpoint refused logprobs; asked without it.']);
    assert.equal(answer.logprobs, undefined);
  });

  it('after a refusal leaves them out with the toggle still on, and says so on every answer', async () => {
    const refusal = JSON.stringify({
      error: { message: '`logprobs` is not supported with this model', type: 'invalid_request_error' },
    });
    const store = new MemoryCapabilityStore();
    const { session, bodies } = harness(
      [
        () => new Response(refusal, { status: 400, headers: { 'content-type': 'application/json' } }),
        () => streamed(sse('First.')),
        () => streamed(sse('Second.')),
        () => streamed(sse('Third.')),
      ],
      store,
    );
    session.setOptions({ logprobs: true });
    await session.send({ display: 'q1', content: 'q1' });
    await session.send({ display: 'q2', content: 'q2' });
    session.setOptions({ logprobs: false });
    await session.send({ display: 'q3', content: 'q3' });
    assert.deepEqual(
      bodies.map((b) => [b.logprobs, b.top_logprobs]),
      [
        [true, 5],
        [undefined, undefined],
        [undefined, undefined],
        [undefined, undefined],
      ],
    );
    const notice = 'This endpoint refused logprobs; asked without it.';
    const answers = session.state().messages.filter((m) => m.role === 'assistant');
    assert.deepEqual(
      answers.map((m) => [m.text, m.notices ?? []]),
      [
        ['First.', [notice]],
        ['Second.', [notice]],
        ['Third.', []],
      ],
    );
  });
});

describe('logprobs: from the stream to the message', () => {
  for (const size of [Infinity, 1, 7, 64]) {
    it(`keeps the recorded stream's token probabilities with the answer (pieces of ${size} bytes)`, async () => {
      const { session, panel } = harness([() => streamed(fixture, size)]);
      session.setOptions({ logprobs: true });
      await session.send({ display: 'q', content: 'q' });
      const answer = session.state().messages[1];
      assert.equal(answer.text, 'Hi!');
      assert.deepEqual(answer.logprobs, FIXTURE_TOKENS);
      assert.deepEqual(panel(), session.state().messages);
      // Saved with the conversation: a restored chat shows them again.
      const other = harness([]).session;
      other.restore(session.toRecord());
      assert.deepEqual(other.state().messages[1].logprobs, FIXTURE_TOKENS);
    });
  }

  it('keeps five alternatives per token at most, rounded, and drops malformed entries', () => {
    const top = [-0.1, -1, -2, -3, -4, -5].map((logprob, i) => ({ token: `t${i}`, logprob, bytes: [1] }));
    assert.deepEqual(
      tokenProbabilities([
        { token: 'a', logprob: -0.123456789, bytes: [97], top_logprobs: top },
        { token: 'b' },
        { token: 7, logprob: -1 },
        null,
        { token: 'c', logprob: Number.NaN },
        { token: 'd', logprob: 0.5, top_logprobs: [{ token: 'x' }, 'y'] },
      ]),
      [
        {
          token: 'a',
          logprob: -0.1235,
          top: top.slice(0, 5).map(({ token, logprob }) => ({ token, logprob })),
        },
        { token: 'd', logprob: 0 },
      ],
    );
  });

  it('a Continue appends the new tokens after the ones the answer has', async () => {
    const { session, panel } = harness([
      // Cut off after its first token: no finish_reason, no [DONE].
      () =>
        streamed(
          logprobsSse([{ token: 'One', logprob: -0.5 }])
            .split('data: {"id"')
            .slice(0, 2)
            .join('data: {"id"'),
        ),
      () => streamed(logprobsSse([{ token: ' two', logprob: -1.5 }])),
    ]);
    session.setOptions({ logprobs: true });
    await session.send({ display: 'q', content: 'q' });
    await session.continueAnswer();
    const answer = session.state().messages[1];
    assert.equal(answer.text, 'One two');
    assert.deepEqual(
      answer.logprobs?.map((t) => t.token),
      ['One', ' two'],
    );
    assert.deepEqual(panel(), session.state().messages);
  });
});

describe('logprobs: the reducer', () => {
  const tok = (token: string): TokenProbability => ({ token, logprob: -1, top: [{ token, logprob: -1 }] });
  const op = (at: number, ...tokens: string[]): MessageOp => ({
    op: 'logprobs',
    at,
    tokens: tokens.map(tok),
  });
  const message = (): ViewMessage => ({ id: 'a', role: 'assistant', text: '' });

  it('skips tokens the message already has and refuses a hole, as with text', () => {
    const m = message();
    assert.equal(applyOps(m, [op(0, 'a', 'b')]).changed.has('logprobs'), true);
    // From a snapshot that already held "b": only "c" is new.
    const again = applyOps(m, [op(1, 'b', 'c')]);
    assert.deepEqual(
      m.logprobs?.map((t) => t.token),
      ['a', 'b', 'c'],
    );
    assert.equal(again.gap, false);
    const repeat = applyOps(m, [op(0, 'a', 'b', 'c')]);
    assert.equal(repeat.changed.has('logprobs'), false);
    const hole = applyOps(m, [op(5, 'x')]);
    assert.equal(hole.gap, true);
    assert.deepEqual(
      m.logprobs?.map((t) => t.token),
      ['a', 'b', 'c'],
    );
  });

  it('merges consecutive logprobs ops of one batch, and keeps the order of others', () => {
    const batch: MessageOp[] = [];
    pushOp(batch, op(0, 'a'));
    pushOp(batch, op(1, 'b'));
    pushOp(batch, { op: 'text', channel: 'content', at: 0, text: 'ab' });
    pushOp(batch, op(2, 'c'));
    assert.deepEqual(batch, [
      op(0, 'a', 'b'),
      { op: 'text', channel: 'content', at: 0, text: 'ab' },
      op(2, 'c'),
    ]);
  });

  it('a folded message does not share token objects with the op it came from', () => {
    const m = message();
    const sent = op(0, 'a');
    applyOps(m, [sent]);
    (sent as { tokens: TokenProbability[] }).tokens[0].top![0].token = 'changed';
    assert.equal(m.logprobs?.[0].top?.[0].token, 'a');
  });
});

describe('logprobs: what the panel shows', () => {
  it('turns log probabilities into percentages', () => {
    assert.deepEqual([0, -0.0001, -0.1053605, -0.6931472, -2.302585, -6.9, -9.3, -9999].map(percentText), [
      '100%',
      '100%',
      '90.0%',
      '50.0%',
      '10.0%',
      '0.1%',
      '<0.1%',
      '<0.1%',
    ]);
    assert.equal(probability(0.2), 1);
  });
});

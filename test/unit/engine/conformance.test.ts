import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isRetryable } from '../../../src/common/endpoint/retryPolicy';
import { errorFromResponse } from '../../../src/common/endpoint/endpointError';
import { detectDowngrade } from '../../../src/common/endpoint/paramDowngrade';
import type { ChatCompletionRequest } from '../../../src/common/endpoint/chatTypes';
import {
  awkwardOffsets,
  decodePieces,
  fixtureBytes,
  manifest,
  pick,
  splitAt,
  summarize,
  type ManifestCase,
} from './streamHarness';

const streams = manifest.filter((c) => c.kind !== 'error');
const errors = manifest.filter((c) => c.kind === 'error');

describe('conformance: recorded streams', () => {
  it('has at least 40 recorded cases', () => {
    assert.ok(manifest.length >= 40, `${manifest.length} cases`);
  });

  for (const c of streams) {
    describe(`${c.name} (${c.note})`, () => {
      const bytes = fixtureBytes(c.fixture);
      const asJson = c.kind === 'json';
      const whole = decodePieces([bytes], asJson);

      it('whole body gives the expected answer', () => {
        assert.deepEqual(pick(summarize(whole), c.expect), c.expect);
      });

      if (asJson) return;

      it('one byte at a time gives the same events', () => {
        const pieces = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
        assert.deepEqual(decodePieces(pieces), whole);
      });

      it('splits inside UTF-8 sequences, CR LF pairs and `data:` give the same events', () => {
        assert.deepEqual(decodePieces(splitAt(bytes, awkwardOffsets(bytes))), whole);
      });

      it('network-sized pieces (property: any split yields the same events)', () => {
        fc.assert(
          fc.property(
            fc.array(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 24 }),
            (cuts) => {
              assert.deepEqual(decodePieces(splitAt(bytes, cuts)), whole);
            },
          ),
          { numRuns: 60 },
        );
      });
    });
  }
});

// Carries every parameter a downgrade can name, so each refusal finds its field.
const everything: ChatCompletionRequest = {
  model: 'relay-model',
  messages: [
    { role: 'developer', content: 'Be brief.' },
    { role: 'user', content: 'hi' },
  ],
  stream: true,
  stream_options: { include_usage: true },
  temperature: 0.2,
  top_p: 0.9,
  frequency_penalty: 0,
  max_tokens: 256,
  reasoning_effort: 'low',
  tools: [{ type: 'function', function: { name: 'f' } }],
  tool_choice: 'auto',
};

describe('conformance: error bodies', () => {
  for (const c of errors) {
    it(`${c.name} (${c.note})`, () => checkError(c));
  }
});

function checkError(c: ManifestCase): void {
  const body = new TextDecoder().decode(fixtureBytes(c.fixture));
  const err = errorFromResponse('relay.test', c.status!, new Headers(c.headers), body);
  const expect = c.expect as {
    hint?: string;
    type?: string;
    code?: string;
    requestId?: string;
    message?: string;
    messageStarts?: string;
    retryAfterMs?: number;
    retryable?: boolean;
    downgrade?: string;
    withMct?: boolean;
  };
  assert.equal(err.status, c.status);
  assert.equal(err.host, 'relay.test');
  assert.ok(err.serverMessage, 'a server message');
  assert.ok(!/[\r\n]/.test(err.serverMessage!), 'one line');
  assert.ok(!/<[a-z]/i.test(err.serverMessage!), 'no markup');
  if (expect.hint) assert.equal(err.hint, expect.hint);
  if (expect.type) assert.equal(err.errorType, expect.type);
  if (expect.code) assert.equal(err.errorCode, expect.code);
  if (expect.requestId) assert.equal(err.requestId, expect.requestId);
  if (expect.message) assert.equal(err.serverMessage, expect.message);
  if (expect.messageStarts) assert.ok(err.serverMessage!.startsWith(expect.messageStarts));
  if (expect.retryAfterMs !== undefined) assert.equal(err.retryAfterMs, expect.retryAfterMs);
  if (expect.retryable !== undefined) assert.equal(isRetryable(err), expect.retryable);
  if ('downgrade' in expect) {
    const request: ChatCompletionRequest = expect.withMct
      ? { ...everything, max_tokens: undefined, max_completion_tokens: 256 }
      : everything;
    assert.equal(detectDowngrade(err.status, err.serverMessage, request), expect.downgrade);
  }
}

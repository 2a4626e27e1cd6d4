import assert from 'node:assert/strict';
import {
  EndpointError,
  errorFromNetwork,
  errorFromResponse,
} from '../../../src/common/endpoint/endpointError';
import { describeError, describeNotice, describeRetry } from '../../../src/common/panel/errorView';
import { backoffDelay, DEFAULT_RETRY, isRetryable, sleep } from '../../../src/common/endpoint/retryPolicy';
import { FakeClock } from './fakes';

describe('errors and retry policy', () => {
  it('describes an error with status, host, the server’s words, the request id, and a hint', () => {
    const err = errorFromResponse(
      'relay.example.com',
      503,
      new Headers(),
      JSON.stringify({
        error: {
          message: '当前分组上游负载已饱和，请稍后再试 (request id: 2024110700001)',
          type: 'new_api_error',
        },
      }),
    );
    const view = describeError(err);
    assert.equal(view.title, 'Request failed: HTTP 503 from relay.example.com');
    assert.equal(view.detail, '当前分组上游负载已饱和，请稍后再试 (request id: 2024110700001)');
    assert.equal(view.requestId, '2024110700001');
    assert.match(view.hint!, /upstream failed/);
    assert.equal(view.retryable, true);
  });

  it('shows the words of every error shape, with the code where the words lack it', () => {
    const detail = (status: number, body: unknown) =>
      describeError(
        errorFromResponse('h', status, new Headers(), typeof body === 'string' ? body : JSON.stringify(body)),
      ).detail;
    // The relay: a string `error` and the message beside it, both shown.
    assert.equal(
      detail(500, { error: 'SyntaxError', message: 'Expected double-quoted property name…', status: 500 }),
      'SyntaxError: Expected double-quoted property name…',
    );
    assert.equal(detail(404, { detail: 'Not Found' }), 'Not Found');
    assert.equal(
      detail(422, {
        detail: [{ loc: ['body', 'n'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' }],
      }),
      'n: Extra inputs are not permitted',
    );
    assert.equal(detail(403, { message: '无权进行此操作', success: false }), '无权进行此操作');
    assert.equal(
      detail(400, { error_code: 110, error_msg: 'Access token invalid' }),
      'Access token invalid (110)',
    );
    assert.equal(
      detail(404, { errors: [{ message: 'No such model', code: 'model_not_found' }] }),
      'No such model (model_not_found)',
    );
    assert.equal(
      detail(400, { error: { code: '1210', message: 'API 调用参数有误，请检查文档。' } }),
      'API 调用参数有误，请检查文档。 (1210)',
    );
    assert.equal(detail(502, 'upstream connect error'), 'upstream connect error');
    assert.equal(detail(500, { error: { code: 'E42' }, message: 'words beside' }), 'words beside (E42)');
    // A code that only repeats the type or the status adds nothing.
    assert.equal(
      detail(400, {
        error: { message: 'bad', type: 'invalid_request_error', code: 'invalid_request_error' },
      }),
      'bad',
    );
    assert.equal(detail(400, { message: 'model not found: gpt-9', code: 400 }), 'model not found: gpt-9');
  });

  it('hints stay translatable: every text goes through t', () => {
    const seen: string[] = [];
    const t = (m: string) => {
      seen.push(m);
      return `T(${m})`;
    };
    const cut = new EndpointError({ kind: 'stream', host: 'h', hint: 'streamCut' });
    const quota = new EndpointError({ kind: 'http', host: 'h', status: 429, hint: 'quota' });
    for (const err of [cut, quota]) {
      const view = describeError(err, t);
      assert.ok(view.title.startsWith('T(') && view.hint!.startsWith('T('));
    }
    assert.ok(
      describeNotice({ type: 'notice', code: 'downgraded', downgrade: 'tools', message: '' }, t).startsWith(
        'T(',
      ),
    );
    assert.equal(
      describeRetry({ type: 'retrying', attempt: 2, delayMs: 4200, reason: '' }, 3),
      'Retrying in 4 s (2 of 3)…',
    );
    assert.ok(seen.length >= 5);
  });

  it('classifies what is worth retrying', () => {
    const http = (status: number, message = '') => errorFromResponse('h', status, new Headers(), message);
    assert.equal(isRetryable(http(429)), true);
    assert.equal(isRetryable(http(503)), true);
    assert.equal(isRetryable(http(400)), false);
    assert.equal(isRetryable(http(401)), false);
    assert.equal(isRetryable(http(429, '{"error":{"code":"insufficient_quota","message":"quota"}}')), false);
    assert.equal(
      isRetryable(
        errorFromNetwork('h', Object.assign(new TypeError('x'), { cause: { code: 'ECONNRESET' } })),
      ),
      true,
    );
    assert.equal(
      isRetryable(errorFromNetwork('h', Object.assign(new TypeError('x'), { cause: { code: 'ENOTFOUND' } }))),
      false,
    );
    assert.equal(isRetryable(new Error('x')), false);
  });

  it('backoff grows, is capped, jitters, and yields to Retry-After', () => {
    const opts = { ...DEFAULT_RETRY, baseDelayMs: 1000, maxDelayMs: 5000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts, undefined, () => 1)),
      [1000, 2000, 4000, 5000, 5000],
    );
    assert.deepEqual(
      [1, 2, 3].map((a) => backoffDelay(a, opts, undefined, () => 0)),
      [500, 1000, 2000],
    );
    assert.equal(backoffDelay(1, opts, 7000), 7000);
    assert.equal(backoffDelay(1, opts, 10 * 60_000), opts.maxRetryAfterMs);
  });

  it('sleep resolves on the clock and rejects at once on abort', async () => {
    const clock = new FakeClock(false);
    const done = sleep(clock, 1000);
    clock.advance(1000);
    await done;
    const controller = new AbortController();
    const waiting = sleep(clock, 1000, controller.signal);
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    assert.equal(clock.pending, 0);
  });
});

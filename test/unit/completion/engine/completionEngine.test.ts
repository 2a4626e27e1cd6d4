import assert from 'node:assert/strict';
import {
  CompletionEngine,
  DEFAULT_ENGINE_SETTINGS,
} from '../../../../src/common/completion/engine/completionEngine';
import { DailySpend } from '../../../../src/common/completion/engine/dailySpend';
import type {
  CompletionContext,
  CompletionPrompt,
  CompletionResult,
} from '../../../../src/common/completion/engine/types';
import { FakeClock } from '../../engine/fakes';

interface Call {
  prompt: CompletionPrompt;
  signal: AbortSignal;
  onText?: (piece: string) => void;
  resolve: (r: CompletionResult) => void;
}

/** An endpoint the test answers by hand. */
function fakeEndpoint() {
  const calls: Call[] = [];
  const complete = (prompt: CompletionPrompt, signal: AbortSignal, onText?: (piece: string) => void) =>
    new Promise<CompletionResult>((resolve) => calls.push({ prompt, signal, onText, resolve }));
  return { calls, complete };
}

const settings = {
  ...DEFAULT_ENGINE_SETTINGS,
  debounce: { ...DEFAULT_ENGINE_SETTINGS.debounce, minMs: 100, maxMs: 100 },
};
const before = 'function add(a, b) {\n  return ';
const at = (typed: string, rest = '\n}\n'): CompletionContext => ({
  documentKey: 'file:///a.ts',
  path: 'src/a.ts',
  languageId: 'typescript',
  text: before + typed + rest,
  offset: before.length + typed.length,
  cursors: 1,
});
const flush = () => new Promise((r) => setImmediate(r));
/** The request starts a microtask after the debounce timer fires. */
async function tick(clock: FakeClock, ms: number) {
  clock.advance(ms);
  await flush();
}

function setup(spend?: DailySpend) {
  const clock = new FakeClock(false);
  const endpoint = fakeEndpoint();
  const engine = new CompletionEngine({ complete: endpoint.complete, clock, spend }, settings);
  return { clock, endpoint, engine };
}

describe('CompletionEngine', () => {
  it('asks once after the debounce and offers the post-processed completion', async () => {
    const { clock, endpoint, engine } = setup();
    const offered = engine.onRequest(at(''), new AbortController().signal);
    await tick(clock, 99);
    assert.equal(endpoint.calls.length, 0);
    await tick(clock, 1);
    assert.equal(endpoint.calls.length, 1);
    assert.equal(endpoint.calls[0].prompt.prefix, before);
    assert.equal(endpoint.calls[0].prompt.suffix, '\n}\n');
    assert.equal(endpoint.calls[0].prompt.multiline, true);
    endpoint.calls[0].resolve({ text: 'a + b;\n}' });
    assert.equal(await offered, 'a + b;');
    assert.equal(engine.stats.requests, 1);
  });

  it('makes no request while the user types the suggestion, and offers the rest', async () => {
    const { clock, endpoint, engine } = setup();
    const first = engine.onRequest(at(''), new AbortController().signal);
    await tick(clock, 100);
    endpoint.calls[0].resolve({ text: 'a + b;' });
    assert.equal(await first, 'a + b;');
    assert.equal(await engine.onRequest(at('a'), new AbortController().signal), ' + b;');
    assert.equal(await engine.onRequest(at('a +'), new AbortController().signal), ' b;');
    await tick(clock, 1000);
    assert.equal(endpoint.calls.length, 1);
    assert.equal(engine.stats.typedAheadHits, 2);
  });

  it('follows a stream still arriving, and aborts it the moment the typing leaves it', async () => {
    const { clock, endpoint, engine } = setup();
    const first = new AbortController();
    void engine.onRequest(at(''), first.signal);
    await tick(clock, 100);
    const call = endpoint.calls[0];
    call.onText?.('a + ');
    first.abort();
    const second = engine.onRequest(at('a'), new AbortController().signal);
    call.onText?.('b');
    call.resolve({ text: 'a + b;' });
    assert.equal(await second, ' + b;');
    assert.equal(call.signal.aborted, false);

    const third = new AbortController();
    void engine.onRequest(at('a + b; '), third.signal);
    await tick(clock, 100);
    const next = endpoint.calls[1];
    next.onText?.('// sum');
    third.abort();
    void engine.onRequest(at('a + b; x'), new AbortController().signal);
    assert.equal(next.signal.aborted, true);
    assert.equal(engine.stats.aborted, 1);
  });

  it('aborts a request nobody waits for any more after the grace period', async () => {
    const { clock, endpoint, engine } = setup();
    const caller = new AbortController();
    const offered = engine.onRequest(at(''), caller.signal);
    await tick(clock, 100);
    caller.abort();
    assert.equal(await offered, undefined);
    await tick(clock, DEFAULT_ENGINE_SETTINGS.orphanGraceMs);
    assert.equal(endpoint.calls[0].signal.aborted, true);
    assert.equal(engine.stats.aborted, 1);
  });

  it('answers from the cache when the user comes back to a place', async () => {
    const { clock, endpoint, engine } = setup();
    const first = engine.onRequest(at(''), new AbortController().signal);
    await tick(clock, 100);
    endpoint.calls[0].resolve({ text: 'a + b;' });
    await first;
    const elsewhere = engine.onRequest(at('x'), new AbortController().signal);
    await tick(clock, 100);
    endpoint.calls[1].resolve({ text: ' * 2;' });
    assert.equal(await elsewhere, ' * 2;');
    assert.equal(await engine.onRequest(at('a '), new AbortController().signal), '+ b;');
    assert.equal(endpoint.calls.length, 2);
    assert.equal(engine.stats.cacheHits, 1);
  });

  it('cancels the pending wait at the next keystroke, so only the last one asks', async () => {
    const { clock, endpoint, engine } = setup();
    const first = engine.onRequest(at('q'), new AbortController().signal);
    await tick(clock, 50);
    void engine.onRequest(at('qu'), new AbortController().signal);
    assert.equal(await first, undefined);
    await tick(clock, 100);
    assert.equal(endpoint.calls.length, 1);
    assert.equal(endpoint.calls[0].prompt.prefix, before + 'qu');
  });

  it('skips with a reason, and stops at the daily budget', async () => {
    const spend = new DailySpend(
      () => 0,
      { dailyBudgetUsd: 0.01, local: false },
      () => 0.01,
    );
    const { clock, endpoint, engine } = setup(spend);
    assert.equal(await engine.onRequest({ ...at(''), cursors: 2 }, new AbortController().signal), undefined);
    const first = engine.onRequest(at('z'), new AbortController().signal);
    await tick(clock, 100);
    endpoint.calls[0].resolve({ text: 'zz;', usage: { promptTokens: 10, completionTokens: 2 } });
    await first;
    assert.equal(await engine.onRequest(at('y'), new AbortController().signal), undefined);
    await flush();
    assert.deepEqual(engine.stats.skipped, {
      multipleCursors: 1,
      textRightOfCursor: 0,
      fileTooLarge: 0,
      excluded: 0,
      minified: 0,
      dailyBudget: 1,
    });
    assert.equal(spend.current.promptTokens, 10);
  });

  it('offers nothing when the request fails', async () => {
    const clock = new FakeClock(false);
    const errors: unknown[] = [];
    const engine = new CompletionEngine(
      {
        complete: () => Promise.reject(new Error('502 from relay')),
        clock,
        log: (e) => e.kind === 'failed' && errors.push(e.error),
      },
      settings,
    );
    const offered = engine.onRequest(at(''), new AbortController().signal);
    await tick(clock, 100);
    assert.equal(await offered, undefined);
    assert.equal(engine.stats.failed, 1);
    assert.equal(String(errors[0]), 'Error: 502 from relay');
  });
});

import assert from 'node:assert/strict';
import {
  AdaptiveDebounce,
  DEFAULT_DEBOUNCE,
} from '../../../../src/common/completion/engine/adaptiveDebounce';
import { FakeClock } from '../../engine/fakes';

const settings = {
  ...DEFAULT_DEBOUNCE,
  minMs: 20,
  maxMs: 1000,
  typingFactor: 2,
  latencyFactor: 0.5,
  smoothing: 1,
};

describe('AdaptiveDebounce', () => {
  it('waits longer for a slow typist and a slow endpoint, within bounds', () => {
    const clock = new FakeClock(false);
    const d = new AdaptiveDebounce(clock, settings);
    d.keystroke();
    clock.advance(100);
    d.keystroke();
    d.observeLatency(40);
    assert.equal(d.delayMs, 2 * 100 + 0.5 * 40);
    d.observeLatency(1200);
    assert.equal(d.delayMs, 800);
    clock.advance(400);
    d.keystroke();
    assert.equal(d.delayMs, 1000);
  });

  it('ignores a long pause when measuring typing speed', () => {
    const clock = new FakeClock(false);
    const d = new AdaptiveDebounce(clock, settings);
    d.observeLatency(0);
    d.keystroke();
    clock.advance(50);
    d.keystroke();
    clock.advance(10_000);
    d.keystroke();
    assert.equal(d.delayMs, 100);
  });

  it('replaces the pending wait at each keystroke and fires only the last', async () => {
    const clock = new FakeClock(false);
    const d = new AdaptiveDebounce(clock, { ...settings, minMs: 100, maxMs: 100 });
    const first = d.wait();
    clock.advance(60);
    const second = d.wait();
    assert.equal(await first, false);
    clock.advance(60);
    assert.equal(clock.pending, 1);
    clock.advance(40);
    assert.equal(await second, true);
    assert.equal(clock.pending, 0);
  });

  it('resolves false when its signal aborts', async () => {
    const clock = new FakeClock(false);
    const d = new AdaptiveDebounce(clock, settings);
    const controller = new AbortController();
    const waiting = d.wait(controller.signal);
    controller.abort();
    assert.equal(await waiting, false);
    assert.equal(clock.pending, 0);
  });
});

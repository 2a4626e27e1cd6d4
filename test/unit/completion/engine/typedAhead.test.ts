import assert from 'node:assert/strict';
import { LiveSuggestion } from '../../../../src/common/completion/engine/typedAhead';

describe('LiveSuggestion', () => {
  const before = 'function f() {\n  return ';

  it('offers the rest of a finished suggestion while its own characters are typed', () => {
    const live = LiveSuggestion.finished('d', before, before.length, 'a + b;');
    assert.deepEqual(live.match('d', before + 'a +', before.length + 3), {
      kind: 'ahead',
      typed: 3,
      remainder: ' b;',
    });
    assert.deepEqual(live.match('d', before + 'a -', before.length + 3), { kind: 'diverged' });
    assert.deepEqual(live.match('d', before + 'a + b;', before.length + 6), { kind: 'diverged' });
  });

  it('does not apply in another document, before its anchor, or after the text before it changed', () => {
    const live = LiveSuggestion.finished('d', before, before.length, 'a + b;');
    assert.deepEqual(live.match('e', before + 'a', before.length + 1), { kind: 'elsewhere' });
    assert.deepEqual(live.match('d', before, before.length - 1), { kind: 'elsewhere' });
    const edited = before.replace('f()', 'g()');
    assert.deepEqual(live.match('d', edited + 'a', edited.length + 1), { kind: 'elsewhere' });
  });

  it('keeps a stream going while its text so far starts with the typing, and waits when typing is ahead', () => {
    const controller = new AbortController();
    const live = new LiveSuggestion('d', before, before.length, controller);
    live.append('a +');
    assert.deepEqual(live.match('d', before + 'a', before.length + 1), {
      kind: 'ahead',
      typed: 1,
      remainder: ' +',
    });
    assert.deepEqual(live.match('d', before + 'a + b', before.length + 5), { kind: 'waiting', typed: 5 });
    assert.deepEqual(live.match('d', before + 'a - b', before.length + 5), { kind: 'diverged' });
    live.finish('a + b;');
    assert.deepEqual(live.match('d', before + 'a + b', before.length + 5), {
      kind: 'ahead',
      typed: 5,
      remainder: ';',
    });
    assert.equal(controller.signal.aborted, false);
  });

  it('aborts the request and settles its waiters; a failed one offers nothing', async () => {
    const controller = new AbortController();
    const live = new LiveSuggestion('d', before, before.length, controller);
    live.append('x');
    live.abort();
    await live.whenDone();
    assert.equal(controller.signal.aborted, true);
    assert.deepEqual(live.match('d', before, before.length), { kind: 'diverged' });
    const failed = new LiveSuggestion('d', before, before.length, new AbortController());
    failed.append('partial');
    failed.fail();
    await failed.whenDone();
    assert.equal(failed.text, '');
  });
});

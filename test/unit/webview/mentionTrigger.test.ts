import assert from 'node:assert/strict';
import { findTrigger, replaceTrigger } from '../../../src/webview/chat/mentions/mentionTrigger';

/** `|` marks the caret. */
function at(text: string) {
  const caret = text.indexOf('|');
  const value = text.replace('|', '');
  return findTrigger(value, caret, caret);
}

describe('the @ trigger in the composer', () => {
  it('starts at an @ at the start of a line or after whitespace, up to the caret', () => {
    assert.deepEqual(at('@|'), { start: 0, query: '' });
    assert.deepEqual(at('explain @que|'), { start: 8, query: 'que' });
    assert.deepEqual(at('explain @que|ry more'), { start: 8, query: 'que' });
    assert.deepEqual(at('first\n@src/a|'), { start: 6, query: 'src/a' });
    assert.deepEqual(at('tab\t@x|'), { start: 4, query: 'x' });
  });

  it('is none inside a word (an e-mail address), after a space, or with text selected', () => {
    assert.equal(at('me@example|'), undefined);
    assert.equal(at('@src a|'), undefined);
    assert.equal(at('@src |'), undefined);
    assert.equal(at('no at here|'), undefined);
    assert.equal(findTrigger('@abc', 1, 3), undefined);
  });

  it('takes the @query out, or replaces it, and says where the caret goes', () => {
    const trigger = { start: 8, query: 'que' };
    assert.deepEqual(replaceTrigger('explain @que tail', trigger, 12), { value: 'explain  tail', caret: 8 });
    assert.deepEqual(replaceTrigger('explain @que', trigger, 12, '@src/'), {
      value: 'explain @src/',
      caret: 13,
    });
  });
});

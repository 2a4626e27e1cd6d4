import assert from 'node:assert/strict';
import { multilineAt, promptWindow } from '../../../../src/common/completion/engine/promptWindow';

describe('promptWindow', () => {
  // Each `lineN;` with its newline is 4 tokens by estimateTokens (word, digit, `;`, newline); `cur = ` is 2.
  const text = ['line1;', 'line2;', 'line3;', 'cur = x', 'line5;', 'line6;', 'line7;'].join('\n');
  const offset = text.indexOf('x');

  it('keeps whole lines nearest the cursor within each budget', () => {
    const w = promptWindow(text, offset, { prefixTokens: 10, suffixTokens: 9 });
    assert.equal(w.prefix, 'line2;\nline3;\ncur = ');
    assert.equal(w.suffix, 'x\nline5;\nline6;');
  });

  it('takes the whole file when it fits', () => {
    const w = promptWindow(text, offset, { prefixTokens: 1000, suffixTokens: 1000 });
    assert.equal(w.prefix + w.suffix, text);
  });

  it('keeps the cursor line alone when no earlier line fits', () => {
    const w = promptWindow(text, offset, { prefixTokens: 3, suffixTokens: 1 });
    assert.equal(w.prefix, 'cur = ');
    assert.equal(w.suffix, 'x');
  });

  it('cuts a single line longer than the budget by characters, next to the cursor', () => {
    const long = 'a '.repeat(100) + '|' + ' b'.repeat(100);
    const w = promptWindow(long, 200, { prefixTokens: 5, suffixTokens: 5 });
    assert.equal(w.prefix, 'a a a a a ');
    assert.equal(w.suffix, '| b b b b ');
  });

  it('allows several lines only with nothing but whitespace after the cursor', () => {
    assert.equal(multilineAt('foo(\n', 4), true);
    assert.equal(multilineAt('foo(  \t\nx', 4), true);
    assert.equal(multilineAt('foo()', 4), false);
    assert.equal(multilineAt('end', 3), true);
  });
});

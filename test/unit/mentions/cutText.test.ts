import assert from 'node:assert/strict';
import { countLines, cutToLines, keepHeadAndTail, leftOutMarker } from '../../../src/common/mentions/cutText';
import { estimateTokens } from '../../../src/common/tokens/estimateTokens';

// Zero-padded, so every line costs the same tokens and a budget of k lines keeps exactly k.
const line = (i: number, eol = '\n') => `line ${String(i).padStart(4, '0')}${eol}`;
const numbered = (n: number, eol = '\n') => Array.from({ length: n }, (_, i) => line(i + 1, eol)).join('');

describe('mentions: cutting text to a budget', () => {
  it('counts lines without an empty one after the last break', () => {
    assert.deepEqual(
      [countLines(''), countLines('a'), countLines('a\n'), countLines('a\r\nb')],
      [0, 1, 1, 2],
    );
  });

  it('keeps whole text that fits, with no note', () => {
    const text = numbered(3);
    assert.deepEqual(cutToLines(text, 1000), {
      text,
      tokens: estimateTokens(text),
      sentLines: 3,
      totalLines: 3,
    });
  });

  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ] as const) {
    it(`cuts ${name} text after whole lines, with the exact note`, () => {
      const text = numbered(9000, eol);
      const perLine = estimateTokens(line(1, eol));
      const cut = cutToLines(text, perLine * 1200);
      assert.equal(cut.note, 'lines 1–1,200 of 9,000 sent');
      assert.equal(cut.text, numbered(1200, eol));
      assert.equal(cut.sentLines, 1200);
      assert.equal(cut.tokens, perLine * 1200);
    });
  }

  it('says when not even the first line fits', () => {
    const cut = cutToLines(numbered(1500), 0);
    assert.equal(cut.text, '');
    assert.equal(cut.note, '0 of 1,500 lines sent');
  });

  it('keeps head and tail with the lines left out counted between them', () => {
    const text = numbered(10);
    const perLine = estimateTokens(line(1));
    const marker = estimateTokens(leftOutMarker(10) + '\n');
    const cut = keepHeadAndTail(text, marker + 4 * perLine);
    assert.equal(cut.text, 'line 0001\nline 0002\n… 6 lines left out …\nline 0009\nline 0010\n');
    assert.equal(cut.leftOutLines, 6);
    assert.equal(cut.totalLines, 10);
  });

  it('keeps CRLF in the marker line, and thousands separators in its count', () => {
    const text = numbered(3404, '\r\n');
    const perLine = estimateTokens(line(1, '\r\n'));
    const marker = estimateTokens(leftOutMarker(3404) + '\r\n');
    const cut = keepHeadAndTail(text, marker + 4 * perLine);
    assert.equal(
      cut.text,
      'line 0001\r\nline 0002\r\n… 3,400 lines left out …\r\nline 3403\r\nline 3404\r\n',
    );
  });

  it('sends text that fits whole and the marker alone when nothing else fits', () => {
    assert.deepEqual(keepHeadAndTail('a\nb\n', 100), {
      text: 'a\nb\n',
      tokens: 4,
      totalLines: 2,
      leftOutLines: 0,
    });
    assert.equal(keepHeadAndTail(numbered(1), 0).text, '… 1 line left out …\n');
  });
});

import assert from 'node:assert/strict';
import { AnsiStripper, applyCarriageReturns, stripAnsi } from '../../../src/common/mentions/ansiText';

describe('mentions: terminal escape sequences', () => {
  it('strips colours, cursor moves, titles and shell integration marks', () => {
    const raw =
      '\x1b]633;C\x07\x1b[1;31merror\x1b[0m: failed\r\n\x1b]0;bash: ~/app\x1b\\\x1b[2K\x1b[1Gdone\x1b(B\x1b=\n\x1b]633;D;1\x07';
    assert.equal(stripAnsi(raw), 'error: failed\r\ndone\n');
  });

  it('drops other control characters but keeps tabs and line breaks', () => {
    assert.equal(stripAnsi('a\tb\x07\x08c\r\nd\x00'), 'a\tbc\r\nd');
  });

  it('holds a sequence split across chunks until it completes', () => {
    const s = new AnsiStripper();
    assert.equal(s.push('red \x1b[3'), 'red ');
    assert.equal(s.push('1mtext\x1b]633;E;npm t'), 'text');
    assert.equal(s.push('est\x07 after\x1b'), ' after');
    assert.equal(s.push('[0m.'), '.');
    assert.equal(s.flush(), '');
  });

  it('an unfinished sequence at the end is dropped', () => {
    assert.equal(stripAnsi('ok\x1b]0;title'), 'ok');
  });

  it('keeps what a progress bar wrote last on its line', () => {
    assert.equal(applyCarriageReturns('10%\r50%\r100%\r\nnext\r\n\rx'), '100%\nnext\nx');
  });
});

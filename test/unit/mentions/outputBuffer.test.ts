import assert from 'node:assert/strict';
import { HeadTailBuffer } from '../../../src/common/mentions/outputBuffer';

describe('mentions: output buffer', () => {
  it('keeps everything under the cap', () => {
    const b = new HeadTailBuffer(10, 10);
    b.push('hello ');
    b.push('world');
    assert.equal(b.text(), 'hello world');
    assert.equal(b.leftOut, 0);
  });

  it('keeps the head and the tail and says how much fell out between them', () => {
    const b = new HeadTailBuffer(4, 6);
    for (const chunk of ['abc\n', 'defgh', 'ijklm', 'nop\n']) b.push(chunk);
    // head "abc\n", tail the last 6 of "defghijklmnop\n"
    assert.equal(b.leftOut, 8);
    assert.equal(b.text(), 'abc\n… 8 characters of output left out …\nlmnop\n');
  });

  it('splits a chunk across head and tail', () => {
    const b = new HeadTailBuffer(3, 3);
    b.push('123456789');
    assert.equal(b.text(), '123\n… 3 characters of output left out …\n789');
  });
});

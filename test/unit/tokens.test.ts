import assert from 'node:assert/strict';
import { estimateTokens } from '../../src/common/tokens/estimateTokens';
import { imageTokens, seenSize } from '../../src/common/images/imageTokens';

describe('estimateTokens', () => {
  it('counts nothing for nothing', () => assert.equal(estimateTokens(''), 0));
  it('counts an English sentence near what a BPE tokenizer does', () => {
    // o200k: "The function adds two numbers and returns their sum." is 11 tokens.
    const n = estimateTokens('The function adds two numbers and returns their sum.');
    assert.ok(n >= 11 && n <= 16, `got ${n}`);
  });
  it('never counts a CJK character as less than one token', () => {
    assert.equal(estimateTokens('你好世界'), 4);
    assert.equal(estimateTokens('こんにちは'), 5);
  });
  it('counts an emoji as two tokens, a CRLF as one', () => {
    assert.equal(estimateTokens('😀'), 2);
    assert.equal(estimateTokens('\r\n'), 1);
  });
});

describe('imageTokens', () => {
  it('costs a 2560×1600 screenshot 1,105 tokens in high detail', () => {
    assert.equal(imageTokens({ width: 2560, height: 1600 }), 1105);
    assert.deepEqual(seenSize({ width: 2560, height: 1600 }), { width: 1229, height: 768 });
  });
  it('never scales up and costs low detail 85', () => {
    assert.deepEqual(seenSize({ width: 300, height: 200 }), { width: 300, height: 200 });
    assert.equal(imageTokens({ width: 300, height: 200 }), 255);
    assert.equal(imageTokens({ width: 5120, height: 3200 }, 'low'), 85);
  });
});

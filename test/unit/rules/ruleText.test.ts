import assert from 'node:assert/strict';
import { capRuleText, normalizeRuleText } from '../../../src/common/rules/ruleText';

describe('normalizeRuleText', () => {
  it('drops a BOM, makes CRLF and CR line breaks LF and trims the ends', () => {
    assert.equal(normalizeRuleText('\uFEFF# Rules\r\n- one\r- two\r\n\r\n'), '# Rules\n- one\n- two');
  });
});

describe('capRuleText', () => {
  it('leaves text within the cap alone and reports no cut', () => {
    assert.deepEqual(capRuleText('short', 5), { text: 'short' });
  });

  it('cuts at the last line break within the cap and reports both sizes', () => {
    const text = 'line one\nline two\nline three';
    assert.deepEqual(capRuleText(text, 20), {
      text: 'line one\nline two',
      cut: { fullBytes: 28, keptBytes: 17 },
    });
  });

  it('cuts a long single line at a character boundary, never inside a UTF-8 sequence', () => {
    const text = 'é'.repeat(10); // 2 bytes each
    const capped = capRuleText(text, 7);
    assert.equal(capped.text, 'ééé');
    assert.deepEqual(capped.cut, { fullBytes: 20, keptBytes: 6 });
  });

  it('keeps a surrogate pair whole', () => {
    const capped = capRuleText('ab😀cd', 5);
    assert.equal(capped.text, 'ab');
    assert.equal(capRuleText('ab😀cd', 6).text, 'ab😀');
  });
});

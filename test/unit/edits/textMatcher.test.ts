import assert from 'node:assert/strict';
import { detectEol, findAndReplace } from '../../../src/common/edits/textMatcher';

function replaced(file: string, oldText: string, newText: string): string {
  const m = findAndReplace(file, oldText, newText);
  assert.equal(m.kind, 'match', JSON.stringify(m));
  if (m.kind !== 'match') throw new Error('no match');
  // The range and replacement say the same as the whole text.
  assert.equal(file.slice(0, m.start) + m.replacement + file.slice(m.end), m.text);
  return m.text;
}

describe('text matcher', () => {
  it('replaces an exact, unique match and reports its lines', () => {
    const m = findAndReplace('a\nb\nc\n', 'b\n', 'B\n');
    assert.equal(m.kind, 'match');
    if (m.kind !== 'match') return;
    assert.equal(m.text, 'a\nB\nc\n');
    assert.equal(m.how, 'exact');
    assert.deepEqual([m.startLine, m.endLine], [2, 2]);
  });

  it('refuses an ambiguous match with the lines of each occurrence', () => {
    assert.deepEqual(findAndReplace('x = 1\ny\nx = 1\n', 'x = 1', 'x = 2'), {
      kind: 'ambiguous',
      lines: [1, 3],
    });
  });

  it('says missing, with the line its first line resembles', () => {
    const m = findAndReplace('function f() {\n  return 1;\n}\n', 'function f() {\n  return 2;\n}', 'x');
    assert.deepEqual(m, { kind: 'missing', closestLine: 1 });
    assert.deepEqual(findAndReplace('abc', '', 'x'), { kind: 'missing' });
  });

  it('matches LF old_text in a CRLF file and writes new_text in CRLF', () => {
    const file = 'one\r\ntwo\r\nthree\r\n';
    assert.equal(replaced(file, 'two\nthree\n', 'TWO\nTHREE\nFOUR\n'), 'one\r\nTWO\r\nTHREE\r\nFOUR\r\n');
    assert.equal(detectEol(file), '\r\n');
  });

  it('writes new_text in LF for an LF file when old_text came in CRLF', () => {
    assert.equal(replaced('a\nb\nc\n', 'b\r\nc\r\n', 'x\r\ny\r\n'), 'a\nx\ny\n');
  });

  it('keeps a BOM, and ignores one at the start of old_text', () => {
    const file = '\uFEFFfirst\nsecond\n';
    assert.equal(replaced(file, 'first\n', 'FIRST\n'), '\uFEFFFIRST\nsecond\n');
    assert.equal(replaced(file, '\uFEFFfirst', 'one'), '\uFEFFone\nsecond\n');
    assert.equal(replaced('\uFEFFa\r\nb\r\n', 'a\nb', 'c\nd'), '\uFEFFc\r\nd\r\n');
  });

  it('tolerates trailing whitespace on either side', () => {
    assert.equal(replaced('a  \nb\t\nc\n', 'a\nb  \n', 'A\nB\n'), 'A\nB\nc\n');
  });

  it("applies a uniform indentation shift to new_text, in the file's own indentation", () => {
    const file = 'class A {\n    run() {\n        go();\n    }\n}\n';
    // The model dropped the class's indentation level.
    const out = replaced(file, 'run() {\n    go();\n}\n', 'run() {\n    go();\n    stop();\n}\n');
    assert.equal(out, 'class A {\n    run() {\n        go();\n        stop();\n    }\n}\n');
    // And the other way: more indentation than the file has.
    const tabs = 'if (x) {\n\ty();\n}\n';
    assert.equal(replaced(tabs, '\t\ty();\n', '\t\tz();\n'), 'if (x) {\n\tz();\n}\n');
  });

  it('refuses a shift that is not the same on every line', () => {
    const file = 'a\n  b\n    c\n';
    assert.equal(findAndReplace(file, '  a\n  b\n  c\n', 'x').kind, 'missing');
  });

  it('handles CJK and emoji text', () => {
    const file = '# 标题\n你好，世界 🌏\n結束\n';
    assert.equal(replaced(file, '你好，世界 🌏', '再见 👋'), '# 标题\n再见 👋\n結束\n');
    assert.equal(replaced(file, '你好，世界 🌏  \n結束', '👋\n終'), '# 标题\n👋\n終\n');
  });

  it('matches at the end of a file without a final newline', () => {
    assert.equal(replaced('a\nlast', 'last', 'LAST'), 'a\nLAST');
    assert.equal(replaced('a\r\n  last', 'last\n', 'end\n'), 'a\r\n  end');
    assert.equal(replaced('a\nb', 'b\n', 'c\n'), 'a\nc');
  });

  it('deletes whole lines, their line ending included, for an empty new_text', () => {
    assert.equal(replaced('a\r\nb\r\nc\r\n', 'b\n', ''), 'a\r\nc\r\n');
    assert.equal(replaced('keep\ndrop\n', 'drop\n', ''), 'keep\n');
  });

  it('refuses an ambiguous tolerant match with its lines', () => {
    assert.deepEqual(findAndReplace('  x\ny\n    x\n', 'x \n', 'z'), { kind: 'ambiguous', lines: [1, 3] });
  });
});

import assert from 'node:assert/strict';
import { postProcess, stripFences } from '../../../../src/common/completion/engine/postProcess';

const multi = (completion: string, suffix: string) => postProcess({ completion, suffix, multiline: true });
const single = (completion: string, suffix: string) => postProcess({ completion, suffix, multiline: false });

describe('postProcess', () => {
  it('drops closers the suffix already has, but not ones the completion opened itself', () => {
    assert.equal(single('a, b)', ');'), 'a, b');
    assert.equal(single('foo(a))', ')'), 'foo(a)');
    assert.equal(single('foo(a)', ')'), 'foo(a)');
    assert.equal(single('hello"', '"'), 'hello');
    assert.equal(single('"hi"', '"'), '"hi"');
  });

  it('stops at the line the suffix starts with, same indentation', () => {
    const suffix = '\n}\n\nfunction next() {}';
    assert.equal(multi('\n  return a;\n}\n\nfunction other() {', suffix), '\n  return a;');
    assert.equal(
      multi('\n  if (a) {\n    b();\n  }\n  return c;\n}', suffix),
      '\n  if (a) {\n    b();\n  }\n  return c;',
    );
  });

  it('drops a repeated closing line', () => {
    assert.equal(multi('x();\n}', '\n}\n'), 'x();');
  });

  it('keeps single-line mode to the line', () => {
    assert.equal(single('value);\nconsole.log(1);', ''), 'value);');
    assert.equal(single('\nnext line', 'x'), undefined);
  });

  it('strips a markdown fence a chat model adds', () => {
    assert.equal(stripFences('```ts\nconst a = 1;\n```'), 'const a = 1;');
    assert.equal(stripFences('```\nx\n```\n'), 'x');
    assert.equal(stripFences('~~~python\nprint(1)\n'), 'print(1)');
    assert.equal(multi('```ts\nreturn 1;\n```', ''), 'return 1;');
  });

  it('trims trailing blank lines and offers nothing for whitespace', () => {
    assert.equal(multi('a();\n\n  \n', ''), 'a();');
    assert.equal(multi('  \n\n', ''), undefined);
    assert.equal(multi('', ''), undefined);
  });
});

import assert from 'node:assert/strict';
import { globToRegExp, splitGlobList } from '../../../src/common/paths/glob';

const matches = (glob: string, path: string, ignoreCase = false) =>
  globToRegExp(glob, { ignoreCase }).test(path);

describe('globToRegExp', () => {
  it('keeps * and ? within one segment and lets ** cross segments', () => {
    assert.equal(matches('src/*.ts', 'src/a.ts'), true);
    assert.equal(matches('src/*.ts', 'src/deep/a.ts'), false);
    assert.equal(matches('src/**/*.ts', 'src/deep/er/a.ts'), true);
    assert.equal(matches('a?.md', 'ab.md'), true);
    assert.equal(matches('a?.md', 'a/.md'), false);
  });

  it('lets **/ stand for no folder at all', () => {
    assert.equal(matches('**/*.ts', 'a.ts'), true);
    assert.equal(matches('src/**/*.ts', 'src/a.ts'), true);
    assert.equal(matches('**/*.ts', 'a.tsx'), false);
  });

  it('reads {a,b} alternatives, nested ones included', () => {
    assert.equal(matches('**/*.{ts,tsx}', 'x/y.tsx'), true);
    assert.equal(matches('**/*.{ts,tsx}', 'x/y.js'), false);
    assert.equal(matches('{src,{test,bench}}/**', 'bench/a.ts'), true);
    assert.equal(matches('{src,{test,bench}}/**', 'docs/a.ts'), false);
  });

  it('treats a comma outside braces as a character, even after **/', () => {
    assert.equal(matches('**/a,b.txt', 'x/a,b.txt'), true);
    assert.equal(matches('**/a,b.txt', 'b.txt'), false);
  });

  it('treats an unclosed brace or bracket as itself instead of throwing', () => {
    assert.equal(matches('notes{.md', 'notes{.md'), true);
    assert.equal(matches('a[b', 'a[b'), true);
    assert.equal(matches('[z-a].md', '[z-a].md'), true);
  });

  it('reads [abc], ranges and [!a] classes within one segment', () => {
    assert.equal(matches('test[123].py', 'test2.py'), true);
    assert.equal(matches('test[123].py', 'test4.py'), false);
    assert.equal(matches('v[0-9].md', 'v7.md'), true);
    assert.equal(matches('[!_]*.ts', '_private.ts'), false);
    assert.equal(matches('[!_]*.ts', 'public.ts'), true);
    assert.equal(matches('a[!x]b', 'a/b'), false);
  });

  it('matches regardless of case only when asked', () => {
    assert.equal(matches('**/*.TS', 'src/a.ts'), false);
    assert.equal(matches('**/*.TS', 'src/a.ts', true), true);
  });

  it('escapes the RegExp characters a file name may hold', () => {
    assert.equal(matches('a.b+(c)$.md', 'a.b+(c)$.md'), true);
    assert.equal(matches('a.b', 'axb'), false);
  });
});

describe('splitGlobList', () => {
  it('splits on commas outside braces and brackets, trimmed, blanks dropped', () => {
    assert.deepEqual(splitGlobList(' src/**/*.ts , **/*.{js,jsx},, [,]x '), [
      'src/**/*.ts',
      '**/*.{js,jsx}',
      '[,]x',
    ]);
  });

  it('gives nothing for an empty list', () => {
    assert.deepEqual(splitGlobList(' , '), []);
  });
});

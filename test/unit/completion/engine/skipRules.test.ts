import assert from 'node:assert/strict';
import {
  charsRightOfCursor,
  DEFAULT_SKIP_SETTINGS,
  looksMinified,
  skipRules,
} from '../../../../src/common/completion/engine/skipRules';
import type { CompletionContext } from '../../../../src/common/completion/engine/types';

const ctx = (over: Partial<CompletionContext> = {}): CompletionContext => ({
  documentKey: 'file:///a.ts',
  path: 'src/a.ts',
  languageId: 'typescript',
  text: 'const a = 1;\n',
  offset: 12,
  cursors: 1,
  ...over,
});

describe('skipRules', () => {
  const rules = skipRules();

  it('lets an ordinary place through', () => {
    assert.equal(rules.check(ctx()), undefined);
  });

  it('skips several cursors', () => {
    assert.equal(rules.check(ctx({ cursors: 2 })), 'multipleCursors');
  });

  it('counts text right of the cursor, closers and whitespace free', () => {
    assert.equal(charsRightOfCursor('foo();\nmore', 4), 0);
    assert.equal(charsRightOfCursor('x = "]} ,\n', 4), 0);
    assert.equal(charsRightOfCursor('x = abcd)\n', 4), 4);
    assert.equal(rules.check(ctx({ text: 'foo(abc);', offset: 4 })), undefined);
    assert.equal(rules.check(ctx({ text: 'foo(abcd);', offset: 4 })), 'textRightOfCursor');
  });

  it('skips a file over the size cap', () => {
    const big = skipRules({ ...DEFAULT_SKIP_SETTINGS, maxFileChars: 10 });
    assert.equal(big.check(ctx({ text: 'x'.repeat(11), offset: 11 })), 'fileTooLarge');
  });

  it('skips secrets, lock files and minified bundles by name, in any folder', () => {
    for (const path of [
      '.env',
      'app/.env.local',
      'certs/server.pem',
      'keys/api.key',
      '.ssh/id_rsa',
      'package-lock.json',
      'web/yarn.lock',
      'pnpm-lock.yaml',
      'Cargo.lock',
      'dist/app.min.js',
      'css/site.MIN.css',
    ]) {
      assert.equal(rules.check(ctx({ path })), 'excluded', path);
    }
    assert.equal(rules.check(ctx({ path: 'src/environment.ts' })), undefined);
    assert.equal(rules.check(ctx({ path: 'src/keyboard.ts' })), undefined);
  });

  it('follows the exclude setting', () => {
    const custom = skipRules({ ...DEFAULT_SKIP_SETTINGS, exclude: ['docs/**'] });
    assert.equal(custom.check(ctx({ path: 'docs/a/b.md' })), 'excluded');
    assert.equal(custom.check(ctx({ path: '.env' })), undefined);
  });

  it('calls a file minified by its average line length, whatever its name', () => {
    const bundle = 'var a=1;'.repeat(200) + '\n' + 'b();'.repeat(300);
    assert.equal(looksMinified(bundle, 300), true);
    assert.equal(
      rules.check(ctx({ path: 'lib/bundle.js', text: bundle, offset: bundle.length })),
      'minified',
    );
    const code = 'const value = compute(input);\n'.repeat(100);
    assert.equal(looksMinified(code, 300), false);
    assert.equal(looksMinified('x'.repeat(500), 300), false);
  });
});

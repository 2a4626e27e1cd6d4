/** Every runtime string and every manifest string has its zh-CN translation. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WEBVIEW_STRINGS } from '../../src/common/panel/webviewStrings';

const root = join(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    return statSync(join(root, rel)).isDirectory() ? files(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
}

/** The first argument of every `t(...)` / `vscode.l10n.t(...)` call that is a string literal. */
function translatedStrings(source: string): string[] {
  const out: string[] = [];
  const re = /\bt\(\s*\n?\s*(['"])((?:\\.|(?!\1).)*)\1/g;
  for (const match of source.matchAll(re)) out.push(match[2].replace(/\\(['"\\])/g, '$1'));
  return out;
}

describe('localisation', () => {
  it('every vscode.l10n.t / t() string has a zh-CN entry', () => {
    const bundle = JSON.parse(read('l10n/bundle.l10n.zh-cn.json')) as Record<string, string>;
    const sources = [...files('src/vscode'), ...files('src/common')].map(read);
    const strings = new Set(sources.flatMap(translatedStrings));
    assert.ok(strings.size > 20, `found ${strings.size} strings`);
    const missing = [...strings].filter((s) => !(s in bundle));
    assert.deepEqual(missing, []);
  });

  it('every chat panel label has a zh-CN entry', () => {
    const bundle = JSON.parse(read('l10n/bundle.l10n.zh-cn.json')) as Record<string, string>;
    const missing = Object.values(WEBVIEW_STRINGS).filter((s) => !(s in bundle));
    assert.deepEqual(missing, []);
    for (const english of Object.values(WEBVIEW_STRINGS)) {
      const placeholders = (text: string) => (text.match(/\{\d\}/g) ?? []).sort().join();
      assert.equal(placeholders(bundle[english] ?? english), placeholders(english), english);
    }
  });

  it('package.nls.zh-cn.json translates every key of package.nls.json, and the manifest uses only known keys', () => {
    const en = JSON.parse(read('package.nls.json')) as Record<string, string>;
    const zh = JSON.parse(read('package.nls.zh-cn.json')) as Record<string, string>;
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    const used = [...read('package.json').matchAll(/"%([^%]+)%"/g)].map((m) => m[1]);
    assert.deepEqual(
      used.filter((k) => !(k in en)),
      [],
    );
  });

  it('every contributed command has a category', () => {
    const manifest = JSON.parse(read('package.json')) as {
      contributes: { commands: { command: string; category?: string }[] };
    };
    for (const c of manifest.contributes.commands) assert.ok(c.category, c.command);
  });
});

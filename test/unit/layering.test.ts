import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const importsOf = (source: string) =>
  [...source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('layering', () => {
  it('src/common never imports vscode', () => {
    const offenders = tsFiles(join(root, 'src/common')).filter((file) =>
      importsOf(readFileSync(file, 'utf8')).includes('vscode'),
    );
    assert.deepEqual(offenders, []);
  });

  it('every src/common module loads in plain Node (where vscode does not exist)', async () => {
    assert.throws(() => require('vscode'), /Cannot find module/);
    for (const file of tsFiles(join(root, 'src/common'))) await import(file);
  });

  it('src/webview imports only src/common and browser-side packages', () => {
    for (const file of tsFiles(join(root, 'src/webview'))) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        assert.ok(spec !== 'vscode' && !spec.includes('/vscode/'), `${file} imports ${spec}`);
        assert.ok(!spec.startsWith('node:'), `${file} imports ${spec}`);
      }
    }
  });
});

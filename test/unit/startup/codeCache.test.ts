import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { requireWithCodeCache } from '../../../src/common/startup/codeCache';

interface Sample {
  answer(): number;
  helper: string;
  file: string;
}

const SOURCE = join(__dirname, '../../../src/common/startup/codeCache.ts');
/** codeCache.ts as plain JavaScript, so that each child process starts in milliseconds. */
let compiled: string;

/**
 * Loads `file` in a fresh Node process, as a new extension host would: within one process V8
 * keeps compiled scripts in memory and would hide whether the cache on disk was used.
 */
function loadInNewProcess(file: string, cacheDir: string): { answer: number; fromCache: boolean } {
  const code = `
    const { requireWithCodeCache } = require(${JSON.stringify(compiled)});
    const loaded = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
    loaded.saveCache();
    process.stdout.write(JSON.stringify({ answer: loaded.exports.answer(), fromCache: loaded.fromCache }));
  `;
  const run = spawnSync(process.execPath, ['--eval', code], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { answer: number; fromCache: boolean };
}

describe('requireWithCodeCache', () => {
  let folder: string;
  let cacheDir: string;
  let file: string;
  const caches = () => readdirSync(cacheDir).sort();
  let build: string;

  before(() => {
    build = mkdtempSync(join(tmpdir(), 'relay-code-cache-build-'));
    compiled = join(build, 'codeCache.js');
    buildSync({
      entryPoints: [SOURCE],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: compiled,
      logLevel: 'error',
    });
  });
  after(() => rmSync(build, { recursive: true, force: true }));

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'relay-code-cache-'));
    cacheDir = join(folder, 'storage', 'global');
    file = join(folder, 'module.js');
    writeFileSync(join(folder, 'helper.js'), "module.exports = 'from helper';\n");
    writeFileSync(
      file,
      "exports.answer = () => 42;\nexports.helper = require('./helper.js');\nexports.file = __filename;\n",
    );
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('loads a module as require does: exports, relative requires, __filename', () => {
    const loaded = requireWithCodeCache<Sample>(file, cacheDir);
    assert.equal(loaded.exports.answer(), 42);
    assert.equal(loaded.exports.helper, 'from helper');
    assert.equal(loaded.exports.file, file);
    assert.equal(loaded.fromCache, false);
  });

  it('writes the cache once, and the next start compiles from it', () => {
    assert.deepEqual(loadInNewProcess(file, cacheDir), { answer: 42, fromCache: false });
    const written = caches();
    assert.equal(written.length, 1);
    assert.match(written[0], /^code-cache-[0-9a-f]{32}\.bin$/);
    const mtime = statSync(join(cacheDir, written[0])).mtimeMs;

    assert.deepEqual(loadInNewProcess(file, cacheDir), { answer: 42, fromCache: true });
    assert.deepEqual(caches(), written);
    assert.equal(statSync(join(cacheDir, written[0])).mtimeMs, mtime);
  });

  it('a changed source gets a cache of its own, and the old one is removed', () => {
    loadInNewProcess(file, cacheDir);
    const [old] = caches();
    writeFileSync(file, 'exports.answer = () => 43;\n');
    assert.deepEqual(loadInNewProcess(file, cacheDir), { answer: 43, fromCache: false });
    assert.equal(caches().length, 1);
    assert.notEqual(caches()[0], old);
    assert.deepEqual(loadInNewProcess(file, cacheDir), { answer: 43, fromCache: true });
  });

  it('a damaged cache is refused by V8: the module still loads, and the cache is written anew', () => {
    loadInNewProcess(file, cacheDir);
    const [name] = caches();
    writeFileSync(join(cacheDir, name), Buffer.from('not bytecode at all'));
    assert.deepEqual(loadInNewProcess(file, cacheDir), { answer: 42, fromCache: false });
    assert.notEqual(readFileSync(join(cacheDir, name)).toString(), 'not bytecode at all');
    assert.deepEqual(loadInNewProcess(file, cacheDir), { answer: 42, fromCache: true });
  });

  it('without a storage folder, or with one that cannot be written, it loads and never throws', () => {
    const none = requireWithCodeCache<Sample>(file, undefined);
    assert.equal(none.exports.answer(), 42);
    none.saveCache();
    const blocked = join(folder, 'a-file');
    writeFileSync(blocked, '');
    const unwritable = requireWithCodeCache<Sample>(file, join(blocked, 'global'));
    assert.equal(unwritable.exports.answer(), 42);
    assert.doesNotThrow(() => unwritable.saveCache());
  });

  it("the module's own errors reach the caller", () => {
    writeFileSync(file, "throw new Error('broken build');\n");
    assert.throws(() => requireWithCodeCache(file, cacheDir), /broken build/);
  });
});

/**
 * Loads a CommonJS file as `require` would, compiled with a V8 code cache: the bytecode of a
 * previous start, kept in the extension's global storage. Parsing and compiling dist/extension.js
 * (240 KB) is about half of what loading it costs; from the cache V8 only checks and deserialises.
 * VS Code does the same for its own code.
 *
 * The cache file is named after a hash of the source and of the V8 version, so a new build or a new
 * VS Code never meets an old cache; V8 checks it again itself, and a cache it rejects is written
 * anew. Any failure to read or write the cache falls back to compiling, as `require` does; only the
 * code's own errors reach the caller.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

const PREFIX = 'code-cache-';
/** Node's own CommonJS wrapper (Module.wrap), written out: a default import of node:module would
 * bring an interop helper into dist/main.js, which is kept to a few lines. */
const WRAP = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];

export interface CachedModule<T> {
  exports: T;
  /** Compiled from a cache V8 accepted. */
  fromCache: boolean;
  /**
   * Writes the cache when there was none or V8 refused it; call once the code has run for a
   * while, since the cache then holds the functions compiled so far too. Does nothing otherwise.
   */
  saveCache(): void;
}

/** `file` as a module, compiled with the cache in `cacheDir` (none: compiled as `require` would). */
export function requireWithCodeCache<T>(file: string, cacheDir: string | undefined): CachedModule<T> {
  const source = readFileSync(file, 'utf8');
  const cacheFile = cacheDir ? join(cacheDir, cacheName(source)) : undefined;
  const cachedData = cacheFile ? readOrUndefined(cacheFile) : undefined;
  const script = new Script(WRAP[0] + source + WRAP[1], { filename: file, cachedData });
  const module = { exports: {} as T };
  // A require rooted at the file itself: relative paths, node_modules and VS Code's own `vscode`
  // module (which finds the extension from the requiring file's path) resolve as for `require`.
  const run = script.runInThisContext() as (
    exports: T,
    require: NodeJS.Require,
    module: { exports: T },
    filename: string,
    dirname: string,
  ) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  const fromCache = !!cachedData && script.cachedDataRejected === false;
  return {
    exports: module.exports,
    fromCache,
    saveCache: () => {
      if (!cacheFile || fromCache) return;
      try {
        writeCache(cacheFile, script.createCachedData());
      } catch {
        // Storage not writable: the next start compiles again, as it would without a cache.
      }
    },
  };
}

function cacheName(source: string): string {
  const hash = createHash('sha256').update(process.versions.v8).update('\0').update(source);
  return `${PREFIX}${hash.digest('hex').slice(0, 32)}.bin`;
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written beside its final name and renamed, so a second window never reads half a cache; older caches go. */
function writeCache(cacheFile: string, data: Buffer): void {
  const folder = dirname(cacheFile);
  mkdirSync(folder, { recursive: true });
  const partial = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(partial, data);
  renameSync(partial, cacheFile);
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (name.startsWith(PREFIX) && path !== cacheFile && !name.endsWith('.tmp'))
      rmSync(path, { force: true });
  }
}

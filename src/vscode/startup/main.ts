/**
 * The extension's entry point (dist/main.js), kept tiny so that activation costs VS Code next to
 * nothing: `activate()` returns at once with a promise, and the extension proper (dist/extension.js:
 * the commands, the chat view, the language models, the start-up checks) is loaded and activated in
 * the extension host's next task.
 *
 * Nothing can reach the extension before that: VS Code waits for this promise before it runs one of
 * our commands, resolves the chat view or asks for our models (they are all activation events), so
 * stand-ins registered here would be code that never runs. What this buys is where the work happens:
 * the extension host's activation call, which other extensions' activations queue behind, stays
 * short, and the load of the rest runs as a task of its own.
 *
 * The rest is compiled with a V8 code cache kept in global storage (codeCache.ts): from the second
 * start on, loading it skips parsing and compiling.
 */
import type * as vscode from 'vscode';
import { join } from 'node:path';
import type * as Extension from '../extension';
import { requireWithCodeCache } from '../../common/startup/codeCache';

/** The cache is written this long after activation, so it also holds what the first commands compiled. */
const SAVE_CACHE_AFTER_MS = 10_000;

let extension: typeof Extension | undefined;

export function activate(context: vscode.ExtensionContext): Promise<void> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        // A separate bundle, loaded by path so that esbuild leaves it out of this one.
        const storage = context.globalStorageUri;
        const loaded = requireWithCodeCache<typeof Extension>(
          join(__dirname, 'extension.js'),
          storage.scheme === 'file' ? storage.fsPath : undefined,
        );
        loaded.exports.activate(context);
        extension = loaded.exports;
        setTimeout(() => loaded.saveCache(), SAVE_CACHE_AFTER_MS).unref();
        resolve();
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

export function deactivate(): Promise<void> | undefined {
  return extension?.deactivate();
}

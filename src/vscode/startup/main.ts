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
 */
import type * as vscode from 'vscode';
import { join } from 'node:path';
import type * as Extension from '../extension';

let extension: typeof Extension | undefined;

export function activate(context: vscode.ExtensionContext): Promise<void> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        // A separate bundle, required by path so that esbuild leaves it out of this one.
        const loaded = require(join(__dirname, 'extension.js')) as typeof Extension;
        loaded.activate(context);
        extension = loaded;
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

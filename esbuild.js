// Builds the bundles from one base config:
//   dist/main.js          the extension's entry point: a few lines that load dist/extension.js in the
//                         extension host's next task, so that activation itself costs next to nothing
//   dist/extension.js     the extension host (Node, CommonJS, `vscode` left external)
//   dist/webview/main.js  the chat panel (browser, ES modules); every highlight.js grammar is a chunk
//                         of its own in dist/webview/, imported only when a code block needs it
//   dist/webview/chat.css the panel's stylesheet, bundled from media/chat/ (one file per component)
// `--watch` rebuilds on change; `--production` minifies and drops source maps.
const { readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const base = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'info',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

const extension = {
  ...base,
  entryPoints: ['src/vscode/extension.ts'],
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
};

/** The entry point VS Code loads (package.json `main`); it requires dist/extension.js by path. */
const entry = {
  ...extension,
  entryPoints: ['src/vscode/startup/main.ts'],
  outfile: 'dist/main.js',
};

const WEBVIEW_DIR = 'dist/webview';

/**
 * Chunk names carry a content hash, so every build would leave the previous build's chunks (and a
 * dev build's maps) behind; after each build, whatever it did not write goes. The pre-chunk
 * dist/webview.js goes too.
 * @type {import('esbuild').Plugin}
 */
const removeStaleChunks = {
  name: 'remove-stale-chunks',
  setup(build) {
    build.onEnd((result) => {
      if (!result.metafile) return;
      const written = new Set(Object.keys(result.metafile.outputs).map((path) => join(path)));
      for (const name of readdirSync(WEBVIEW_DIR)) {
        const path = join(WEBVIEW_DIR, name);
        if (!written.has(path)) rmSync(path, { recursive: true, force: true });
      }
      for (const legacy of ['dist/webview.js', 'dist/webview.js.map']) rmSync(legacy, { force: true });
    });
  },
};

const webview = {
  ...base,
  entryPoints: ['src/webview/main.ts', 'media/chat/chat.css'],
  outdir: WEBVIEW_DIR,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  platform: 'browser',
  format: 'esm',
  splitting: true,
  target: 'chrome120',
  metafile: true,
  plugins: [removeStaleChunks],
};

async function main() {
  const contexts = await Promise.all([
    esbuild.context(entry),
    esbuild.context(extension),
    esbuild.context(webview),
  ]);
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

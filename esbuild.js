// Builds the two bundles from one base config:
//   dist/extension.js  the extension host (Node, CommonJS, `vscode` left external)
//   dist/webview.js    the chat panel (browser, IIFE)
// `--watch` rebuilds on change; `--production` minifies and drops source maps.
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

const webview = {
  ...base,
  entryPoints: ['src/webview/main.ts'],
  outfile: 'dist/webview.js',
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
};

async function main() {
  const contexts = await Promise.all([esbuild.context(extension), esbuild.context(webview)]);
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

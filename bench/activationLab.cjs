// Run by activation.bench.ts in a fresh Node process: requires dist/extension.js with a stand-in
// `vscode` module and calls activate(), timing both, wall and CPU. The stand-in answers every API
// with a do-nothing value, so the figures are the extension's own work, without the extension
// host's messages or a busy neighbour; the workbench figures have those.
// Prints one JSON line: wall and CPU ms of the require, of the activate() call, and until the
// promise it returned (if any) settled.
const Module = require('node:module');
const { join } = require('node:path');

const root = process.argv[2];
// The extension's global storage (its code cache lives there), and how long to stay alive after
// activation: long enough for the extension to write its cache, for a run that primes it.
const storage = process.argv[3] ?? '/tmp/relay-lab';
const keepAliveMs = Number(process.argv[4] ?? 0);

// The extension host has loaded these long before any extension; here they would count as ours.
for (const builtin of [
  'http',
  'https',
  'crypto',
  'zlib',
  'stream',
  'fs',
  'path',
  'os',
  'url',
  'util',
  'events',
]) {
  require(`node:${builtin}`);
}

/** Any property, call or `new` gives another stand-in; a few reads give what the code checks. */
function standIn(name, object = false) {
  const target = object ? {} : function () {};
  return new Proxy(target, {
    set: () => true,
    get(_, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === Symbol.iterator) return [][Symbol.iterator].bind([]);
      if (prop === 'get') return (_key, fallback) => fallback;
      if (prop === 'event') return () => ({ dispose() {} });
      if (typeof prop === 'symbol') return undefined;
      if (Object.hasOwn(target, prop)) return target[prop];
      return standIn(`${name}.${prop}`);
    },
    apply() {
      if (name.endsWith('.t')) return name;
      return standIn(`${name}()`);
    },
    construct() {
      return standIn(`new ${name}`, true);
    },
  });
}

// esbuild's interop copies the module's own enumerable names, so the top level lists them.
const NAMES = [
  'commands',
  'window',
  'workspace',
  'languages',
  'lm',
  'env',
  'l10n',
  'extensions',
  'chat',
  'authentication',
  'Uri',
  'Range',
  'Position',
  'Selection',
  'Disposable',
  'EventEmitter',
  'ThemeIcon',
  'ThemeColor',
  'CodeLens',
  'WorkspaceEdit',
  'ConfigurationTarget',
  'CancellationTokenSource',
  'TextEdit',
  'MarkdownString',
  'LanguageModelTextPart',
  'LanguageModelToolCallPart',
  'LanguageModelToolResultPart',
  'LanguageModelChatMessageRole',
  'LanguageModelChatToolMode',
  'LanguageModelError',
  'LanguageModelDataPart',
  'StatusBarAlignment',
  'ProgressLocation',
  'ViewColumn',
  'QuickPickItemKind',
  'UIKind',
  'TextEditorRevealType',
  'OverviewRulerLane',
  'DecorationRangeBehavior',
  'CodeActionKind',
  'CodeAction',
  'FileType',
  'RelativePattern',
  'TabInputText',
  'TabInputTextDiff',
  'EndOfLine',
];
const top = Object.fromEntries(NAMES.map((name) => [name, standIn(`vscode.${name}`)]));
const vscode = new Proxy(top, {
  get: (target, prop) =>
    prop in target || typeof prop === 'symbol' ? target[prop] : standIn(`vscode.${prop}`),
});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const packageJSON = require(join(root, 'package.json'));
const memento = { get: (_key, fallback) => fallback, update: async () => undefined, keys: () => [] };
const context = {
  subscriptions: [],
  extension: { packageJSON, id: 'relay-chat.relay-chat' },
  globalState: memento,
  workspaceState: memento,
  secrets: {
    get: async () => undefined,
    store: async () => undefined,
    delete: async () => undefined,
    onDidChange: () => ({ dispose() {} }),
  },
  globalStorageUri: { fsPath: storage, path: storage, scheme: 'file' },
  extensionUri: { fsPath: root, path: root, scheme: 'file' },
  extensionPath: root,
};

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main() {
  let t = performance.now();
  let c = cpu();
  const extension = require(join(root, packageJSON.main));
  const requireMs = performance.now() - t;
  const requireCpuMs = cpu() - c;
  t = performance.now();
  c = cpu();
  const result = extension.activate(context);
  const activateMs = performance.now() - t;
  const activateCpuMs = cpu() - c;
  // Until the promise activate() returned settles: what VS Code calls "finish activate".
  await result;
  const resolvedMs = performance.now() - t - activateMs;
  const resolvedCpuMs = cpu() - c - activateCpuMs;
  process.stdout.write(
    JSON.stringify({ requireMs, requireCpuMs, activateMs, activateCpuMs, resolvedMs, resolvedCpuMs }) + '\n',
  );
  if (keepAliveMs) {
    // The stand-in vscode cannot serve the start-up work that runs after activation; only the
    // cache's write is waited for here.
    process.on('uncaughtException', () => undefined);
    process.on('unhandledRejection', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, keepAliveMs));
  }
  // Timers the extension started (a balance refresh, setup checks) must not keep this process.
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

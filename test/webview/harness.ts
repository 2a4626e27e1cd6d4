/**
 * The webview test rig: the real dist/webview/ (main.js and the chunks it imports) in Debian
 * Chromium, served by a local HTTP server with the production HTML (the same CSP, the bundled chat.css and the
 * codicons, the l10n JSON tag, main.js as a nonce'd module) and a stub of acquireVsCodeApi, plus a
 * second "leak" server that counts every request hostile content makes.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import type { HostToWebview } from '../../src/common/panel/protocol';

export const ROOT = join(__dirname, '..', '..');
const WEBVIEW_DIR = join(ROOT, 'dist', 'webview');
const BUNDLE = join(WEBVIEW_DIR, 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The test runner builds first; a standalone mocha run rebuilds only when the bundle is stale. */
export function ensureBuilt(): void {
  let built: number;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(
    newestSource(join(ROOT, 'src', 'webview')),
    newestSource(join(ROOT, 'src', 'common')),
    // chat.css imports the stylesheets of every media/ folder (contextMeter, toolBlocks, …).
    newestSource(join(ROOT, 'media')),
  );
  if (built >= sources) return;
  const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('node esbuild.js failed');
}

export interface PageOptions {
  /** Serve without the CSP, to prove the sanitiser alone keeps hostile output inert. */
  csp?: boolean;
  /** Replace requestAnimationFrame by a queue the test runs with `window.__runFrames()`. */
  manualFrames?: boolean;
  /** Load the rig's extra script after the bundle (the benchmark's baseline). */
  extraScript?: boolean;
  /** Every URL the page requests is pushed here, from the page's own HTML on. */
  requests?: string[];
}

export interface RigOptions {
  /** Serve this build's main.js and chunks instead of dist/webview/ (the benchmark's production build). */
  webviewDir?: string;
  extraScript?: string;
  /** Cross-origin isolate the page: performance.now() then resolves 5 µs instead of 100 µs. */
  isolated?: boolean;
}

export interface Rig {
  browser: Browser;
  origin: string;
  leakOrigin: string;
  leakHits: string[];
  open(options?: PageOptions): Promise<Page>;
  close(): Promise<void>;
}

const L10N = { newChat: 'New chat', send: 'Send' };

function pageHtml(origin: string, query: URLSearchParams): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${origin} data:`,
    `style-src ${origin}`,
    `font-src ${origin}`,
    `script-src 'nonce-${nonce}' ${origin}`,
  ].join('; ');
  const cspTag =
    query.get('csp') === '0' ? '' : `<meta http-equiv="Content-Security-Policy" content="${csp}">`;
  const manualFrames = query.get('frames') === 'manual';
  const extra =
    query.get('extra') === '1' ? `\n<script defer nonce="${nonce}" src="${origin}/extra.js"></script>` : '';
  // The same globals VS Code's webview gives the bundle; state survives a reload like getState does.
  // tsx compiles the test's page.evaluate callbacks with esbuild's keepNames, which calls __name.
  const stub = `
window.__name = (fn) => fn;
window.__posted = [];
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(m),
  getState: () => JSON.parse(sessionStorage.getItem('relay-state') || 'null') ?? undefined,
  setState: (s) => s === undefined ? sessionStorage.removeItem('relay-state') : sessionStorage.setItem('relay-state', JSON.stringify(s)),
});
${
  manualFrames
    ? `const frames = []; let frameId = 0;
window.requestAnimationFrame = (cb) => { frames.push(cb); return ++frameId; };
window.__runFrames = () => { const due = frames.splice(0); for (const cb of due) cb(performance.now()); return due.length; };`
    : ''
}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
${cspTag}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/media/codicons/codicon.css">
<link rel="stylesheet" href="${origin}/dist/webview/chat.css">
<title>Relay Chat</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" id="relay-l10n" type="application/json">${JSON.stringify(L10N)}</script>
<script nonce="${nonce}">${stub}</script>
<script type="module" nonce="${nonce}" src="${origin}/dist/webview/main.js"></script>${extra}
</body>
</html>`;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  if (!options.webviewDir) ensureBuilt();
  const webviewDir = options.webviewDir ?? WEBVIEW_DIR;
  const leakHits: string[] = [];
  const leak = createServer((req, res) => {
    leakHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('leaked');
  });
  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const isolation = options.isolated
      ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
      : {};
    const send = (type: string, body: string | Buffer) =>
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...isolation }).end(body);
    const files: Record<string, () => [string, string | Buffer]> = {
      '/': () => ['text/html; charset=utf-8', pageHtml(origin, url.searchParams)],
      '/media/codicons/codicon.css': () => [
        'text/css',
        readFileSync(join(ROOT, 'media', 'codicons', 'codicon.css')),
      ],
      '/media/codicons/codicon.ttf': () => [
        'font/ttf',
        readFileSync(join(ROOT, 'media', 'codicons', 'codicon.ttf')),
      ],
    };
    // main.js, the chunks it imports and chat.css, by name only: nothing outside the build's folder.
    const chunk = /^\/dist\/webview\/([\w-]+\.(js|css))$/.exec(url.pathname);
    if (chunk && existsSync(join(webviewDir, chunk[1]))) {
      const type = chunk[2] === 'css' ? 'text/css' : 'text/javascript';
      files[url.pathname] = () => [type, readFileSync(join(webviewDir, chunk[1]))];
    }
    if (options.extraScript) {
      const extra = options.extraScript;
      files['/extra.js'] = () => ['text/javascript', readFileSync(extra)];
    }
    const file = files[url.pathname];
    if (file) send(...file());
    else res.writeHead(404).end();
  });
  origin = await listen(server);
  const leakOrigin = await listen(leak);
  const browser = await launchChromium();
  return {
    browser,
    origin,
    leakOrigin,
    leakHits,
    async open(pageOptions: PageOptions = {}) {
      const page = await browser.newPage();
      const requests = pageOptions.requests;
      if (requests) page.on('request', (request) => requests.push(request.url()));
      const query = new URLSearchParams();
      if (pageOptions.csp === false) query.set('csp', '0');
      if (pageOptions.manualFrames) query.set('frames', 'manual');
      if (pageOptions.extraScript) query.set('extra', '1');
      await page.goto(`${origin}/?${query}`);
      await page.waitForFunction(() => (window as unknown as TestWindow).__posted.length > 0);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await new Promise((resolve) => leak.close(resolve));
    },
  };
}

/** What the stub and the manual frame queue add to the page's window. */
/**
 * Registers a file's mocha hooks: one rig for the file, a fresh page for every test, handed to
 * `set` (with the options `options()` returns at that moment), closed after it.
 */
export function pagePerTest(set: (page: Page) => void, options: () => PageOptions = () => ({})): void {
  let rig: Rig | undefined;
  let page: Page | undefined;
  before(async () => {
    rig = await startRig();
  });
  after(async () => rig?.close());
  beforeEach(async () => {
    page = await rig!.open(options());
    set(page);
  });
  afterEach(async () => page?.close());
}

export interface TestWindow {
  __posted: unknown[];
  __runFrames(): number;
  __pwned?: unknown;
}

/** As the host does it: an asynchronous postMessage. */
export async function post(page: Page, ...messages: HostToWebview[]): Promise<void> {
  await page.evaluate((list) => {
    for (const m of list) window.postMessage(m, '*');
  }, messages);
}

/** Synchronous delivery, for tests that must control exactly which frame sees which delta. */
export async function deliver(page: Page, ...messages: HostToWebview[]): Promise<void> {
  await page.evaluate((list) => {
    for (const m of list) window.dispatchEvent(new MessageEvent('message', { data: m }));
  }, messages);
}

export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

export async function posted(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as TestWindow).__posted);
}

/**
 * Fetches the grammars for these fence names ahead of a test and waits until the page has
 * highlighted a block of each (every snippet must give at least one token), so that nothing the
 * test compares can race a grammar arriving.
 */
export async function loadLanguages(page: Page, snippets: Record<string, string>): Promise<void> {
  const text = Object.entries(snippets)
    .map(([language, code]) => '```' + language + '\n' + code + '\n```')
    .join('\n\n');
  const id = 'load-languages';
  await deliver(page, { type: 'append', message: { id, role: 'assistant', text, status: 'complete' } });
  await page.waitForFunction(
    (id) =>
      Array.from(document.querySelectorAll(`[data-id="${id}"] pre > code`)).every(
        (code) => code.childElementCount > 0,
      ),
    id,
    // Playwright polls on requestAnimationFrame by default, which a manual-frames page never runs.
    { polling: 50 },
  );
  await deliver(page, { type: 'remove', messageId: id });
}

/** A small seeded PRNG so random splits are reproducible from the seed printed on failure. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

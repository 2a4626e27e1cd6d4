/**
 * The API key survives quitting VS Code: stored with "Set API Key", code-server stopped and started
 * again on the same user data, and the next request carries it. Same port and same browser profile
 * across the restart, as for a person who reopens the same address: code-server keeps secrets sealed
 * in the browser's storage, with the key to them on the server's side.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sse, startFakeServer, type FakeServer } from '../fakeServer/fakeServer';
import { freePort, startCodeServer, type RunningCodeServer } from '../support/codeServer';
import { answerInputBox, chatPanel, ensurePanel, launchChromium, runCommand } from './workbench';

const KEY = 'sk-restart-e2e-key-0123456789';

/** The V8 code cache the extension keeps in its global storage (src/common/startup/codeCache.ts). */
function codeCaches(userDataDir: string): { name: string; mtimeMs: number }[] {
  const folder = join(userDataDir, 'User', 'globalStorage', 'relay-chat.relay-chat');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => /^code-cache-[0-9a-f]{32}\.bin$/.test(name))
    .map((name) => ({ name, mtimeMs: statSync(join(folder, name)).mtimeMs }));
}

/** Polls `check` until it holds; the cache is written a while after activation. */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('The API key across a VS Code restart', function () {
  this.timeout(300_000);
  let server: FakeServer;
  let browser: Browser;
  let profile: BrowserContext;
  let vscode: RunningCodeServer | undefined;
  const userDataDir = mkdtempSync(join(tmpdir(), 'relay-key-restart-'));
  let port: number;

  before(async () => {
    server = await startFakeServer();
    browser = await launchChromium();
    // One browser profile for both starts: a new one would be a different browser, with no secrets.
    profile = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    port = await freePort();
  });
  after(async () => {
    await browser?.close();
    await vscode?.stop();
    await server?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  const open = async (): Promise<Page> => {
    vscode = await startCodeServer({
      userDataDir,
      port,
      settings: { 'relayChat.baseUrl': server.baseUrl, 'relayChat.model': 'fake-model' },
    });
    const page = await profile.newPage();
    await page.goto(vscode.folderUrl);
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
    return page;
  };

  const ask = async (page: Page, question: string, answer: string) => {
    server.enqueue({ body: sse(answer) });
    await ensurePanel(page);
    const composer = chatPanel(page).locator('textarea[data-testid="composer"]');
    await composer.fill(question);
    await composer.press('Enter');
    await chatPanel(page)
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: answer })
      .waitFor({ timeout: 30_000 });
    const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    return chats.at(-1)!;
  };

  it('is sent as Authorization: Bearer <key> after code-server is stopped and started again', async () => {
    let page = await open();
    // Without a key the request goes out bare: what the restart must change is the key, nothing else.
    assert.equal((await ask(page, 'Before the key', 'No key yet.')).headers.authorization, undefined);

    await runCommand(page, 'Relay Chat: Set API Key');
    await answerInputBox(page, 'Secret Storage', KEY);
    await page
      .locator('.notifications-toasts', { hasText: 'API key was saved' })
      .waitFor({ timeout: 15_000 });
    // The first start compiled the extension and, a little later, saved its code cache.
    await until(() => codeCaches(userDataDir).length === 1, 'the code cache');
    const [cache] = codeCaches(userDataDir);
    await page.close();
    await vscode!.stop();
    vscode = undefined;
    // Secret Storage, never settings or any other file VS Code keeps in its user data.
    const leaks = filesUnder(userDataDir).filter((file) => readFileSync(file).includes(KEY));
    assert.deepEqual(leaks, []);

    server.reset();
    page = await open();
    const restarted = Date.now();
    const sent = await ask(page, 'After the restart', 'Key received.');
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
    // The second start loaded that cache: V8 accepted it, so it is not written again (a rejected
    // or missing cache would be rewritten 10 s after activation).
    await until(() => Date.now() - restarted > 15_000, '15 s after the restart');
    assert.deepEqual(codeCaches(userDataDir), [cache]);
    await page.close();
  });
});

/** Conversations survive quitting VS Code: stop the server, start it again on the same user data. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { sse, startFakeServer, type FakeServer } from '../fakeServer/fakeServer';
import { startCodeServer, type RunningCodeServer } from '../support/codeServer';
import { savedConversationHolds } from './fixture';
import { chatPanel, ensurePanel, launchChromium, openWorkbench, textOf } from './workbench';

describe('A conversation across a VS Code restart', function () {
  this.timeout(240_000);
  let server: FakeServer;
  let browser: Browser;
  let vscode: RunningCodeServer | undefined;
  const userDataDir = mkdtempSync(join(tmpdir(), 'relay-restart-'));

  before(async () => {
    server = await startFakeServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await vscode?.stop();
    await server?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  const open = async () => {
    vscode = await startCodeServer({
      userDataDir,
      settings: { 'relayChat.baseUrl': server.baseUrl, 'relayChat.model': 'fake-model' },
    });
    const page = await openWorkbench(browser, vscode.folderUrl);
    await ensurePanel(page);
    return page;
  };

  it('is still there, and carries on, after VS Code is stopped and started again', async () => {
    let page = await open();
    server.enqueue({ body: sse('Saved before the restart.') });
    const composer = chatPanel(page).locator('textarea[data-testid="composer"]');
    await composer.fill('Will you remember this?');
    await composer.press('Enter');
    await chatPanel(page)
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'Saved before the restart.' })
      .waitFor({ timeout: 30_000 });
    // Stop only once the answer is on disk: what this test checks is the restore, not a race with
    // the save (quitting mid-save is the shutdown path's own test, in lifecycle.test.ts).
    await savedConversationHolds(userDataDir, 'Saved before the restart.');
    await page.close();
    await vscode!.stop();
    vscode = undefined;

    page = await open();
    await chatPanel(page)
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'Saved before the restart.' })
      .waitFor({ timeout: 30_000 });
    assert.match(await textOf(chatPanel(page).locator('[data-role="user"]')), /Will you remember this\?/);

    server.reset();
    server.enqueue({ body: sse('Yes, I do.') });
    await chatPanel(page).locator('textarea[data-testid="composer"]').fill('Do you?');
    await chatPanel(page).locator('textarea[data-testid="composer"]').press('Enter');
    await chatPanel(page)
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'Yes, I do.' })
      .waitFor({ timeout: 30_000 });
    // The last chat request: balance and model-list reads may come after it.
    const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    const body = chats.at(-1)!.body as { messages: { role: string }[] };
    assert.deepEqual(
      body.messages.map((m) => m.role),
      ['user', 'assistant', 'user'],
    );
    await page.close();
  });
});

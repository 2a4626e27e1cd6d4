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
  const interruptedDir = mkdtempSync(join(tmpdir(), 'relay-restart-'));

  before(async () => {
    server = await startFakeServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await vscode?.stop();
    await server?.close();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(interruptedDir, { recursive: true, force: true });
  });

  const open = async (dir = userDataDir) => {
    // One VS Code at a time: the last test's is stopped first, or it would hold the fake server open.
    await vscode?.stop();
    vscode = await startCodeServer({
      userDataDir: dir,
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

  it('shows an answer that had not begun when VS Code stopped as interrupted, and Retry asks again', async () => {
    let page = await open(interruptedDir);
    // The relay takes the question and says nothing: VS Code goes away while it waits.
    server.reset();
    server.enqueue({ hang: true });
    const composer = chatPanel(page).locator('textarea[data-testid="composer"]');
    await composer.fill('Why does my build fail?');
    await composer.press('Enter');
    await chatPanel(page).locator('[data-role="assistant"][data-streaming]').waitFor({ timeout: 30_000 });
    await savedConversationHolds(interruptedDir, 'No answer: it was interrupted before any of it arrived');
    await page.close();
    await vscode!.stop();
    vscode = undefined;

    page = await open(interruptedDir);
    const panel = chatPanel(page);
    const error = panel.locator('[data-role="error"]');
    await error.waitFor({ timeout: 30_000 });
    assert.deepEqual(
      await panel
        .locator('[data-role]')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-role'))),
      ['user', 'error'],
    );
    assert.equal(await textOf(panel.locator('[data-role="user"] .body')), 'Why does my build fail?');
    assert.match(await textOf(error), /^No answer: it was interrupted before any of it arrived/);
    assert.match(await textOf(error), /VS Code closed, or another conversation was opened/);

    server.reset();
    server.enqueue({ body: sse('Because of X.') });
    await error.locator('[data-testid="retry"]').click();
    await panel
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'Because of X.' })
      .waitFor({ timeout: 30_000 });
    assert.equal(await panel.locator('[data-role="error"]').count(), 0);
    const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.deepEqual((chats.at(-1)!.body as { messages: unknown[] }).messages, [
      { role: 'user', content: 'Why does my build fail?' },
    ]);
    await page.close();
  });
});

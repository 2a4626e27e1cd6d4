/**
 * Settings mistakes in a real VS Code: each is named in the panel as a settings problem (not as a
 * network error or a JavaScript message), "Open Settings" opens settings.json at that very setting,
 * and nothing invalid reaches the endpoint.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { sse } from '../fakeServer/fakeServer';
import { useWorkbench } from './fixture';
import { answerInputBox, ensurePanel, runCommand, saveUserSettingsJson, textOf } from './workbench';

const NO_URL_PROFILE = { id: 'no-url', name: 'Mine' };

describe('Settings mistakes in a real VS Code', function () {
  this.timeout(180_000);
  // Started with the first mistake in place, so activation has something to say.
  const wb = useWorkbench({
    'relayChat.profiles': [NO_URL_PROFILE],
    'relayChat.activeProfile': 'no-url',
    // settings.json is rewritten through the editor; text arrives as typed, not re-indented or closed.
    'editor.autoIndent': 'none',
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.autoSurround': 'never',
  });
  let base: Record<string, unknown> | undefined;

  /**
   * Edits the user settings.json in the editor, as a person would, saves, and waits until the panel
   * shows `profile` (the extension has read the new settings).
   */
  async function writeSettings(settings: Record<string, unknown>, profile: string): Promise<void> {
    if (!base) {
      // The workbench's own settings, without the mistake it started with.
      base = JSON.parse(readFileSync(wb.settingsFile, 'utf8')) as Record<string, unknown>;
      delete base['relayChat.profiles'];
      delete base['relayChat.activeProfile'];
    }
    const next = { ...base, ...settings };
    for (const [key, value] of Object.entries(next)) if (value === undefined) delete next[key];
    await saveUserSettingsJson(wb.page, wb.settingsFile, next);
    await ensurePanel(wb.page);
    await wb
      .panel()
      .locator('[data-testid="profile-picker"]', { hasText: profile })
      .waitFor({ timeout: 30_000 });
  }

  /** The 1-based line of `"key"` in the user settings file. */
  function lineOf(key: string): number {
    const lines = readFileSync(wb.settingsFile, 'utf8').split('\n');
    const index = lines.findIndex((line) => line.includes(`"${key}"`));
    assert.ok(index >= 0, `${key} is in settings.json`);
    return index + 1;
  }

  /** settings.json is open (VS Code 1.139 shows it as a modal editor) with the cursor on `key`'s line. */
  async function assertSettingsJsonAt(page: Page, key: string): Promise<void> {
    const title = page.locator('.modal-editor-title, .tab.active', { hasText: 'settings.json' });
    await title.first().waitFor({ timeout: 20_000 });
    const cursorLine = page.locator('.monaco-editor.focused .line-numbers.active-line-number');
    await cursorLine.filter({ hasText: String(lineOf(key)) }).waitFor({ timeout: 20_000 });
    assert.equal((await textOf(cursorLine)).trim(), String(lineOf(key)));
    await page.keyboard.press('Control+W');
    await title.first().waitFor({ state: 'detached', timeout: 20_000 });
  }

  async function expectSettingsProblem(title: string, detail: string, setting: string): Promise<void> {
    await wb.newChat();
    await wb.ask('Hello?');
    const error = wb.panel().locator('[data-role="error"]');
    await error.waitFor({ timeout: 30_000 });
    assert.equal(await error.getAttribute('data-error-kind'), 'settings');
    assert.equal(await textOf(error.locator('.error-title')), title);
    assert.equal(await textOf(error.locator('.error-detail')), detail);
    assert.equal(
      await textOf(error.locator('.error-hint')),
      'Correct it in the settings; the next message uses the new value.',
    );
    assert.equal(await error.locator('[data-testid="retry"]').count(), 0, 'a retry would fail the same way');
    assert.equal(wb.chatRequests().length, 0, 'nothing was sent');
    await error.locator('[data-testid="open-settings"]').click();
    await assertSettingsJsonAt(wb.page, setting);
  }

  it('tells at activation, once, that the active profile cannot work, with Open Settings', async () => {
    const toast = wb.page.locator('.notifications-toasts .notification-toast', {
      hasText: 'relayChat.profiles[0].baseUrl is missing',
    });
    await toast.waitFor({ timeout: 30_000 });
    assert.equal(
      await textOf(toast.locator('.notification-list-item-message')),
      'Relay Chat settings: relayChat.profiles[0].baseUrl is missing; expected text, such as "https://relay.example.com/v1". ' +
        'relayChat.profiles[0].defaultModel is missing; expected text, such as "gpt-4o-mini".',
    );
    await toast.locator('.monaco-button', { hasText: 'Open Settings' }).click();
    await assertSettingsJsonAt(wb.page, 'relayChat.profiles');
  });

  it('a profile without baseUrl: named in the panel, not "Cannot read properties of undefined"', async () => {
    await writeSettings(
      { 'relayChat.profiles': [NO_URL_PROFILE], 'relayChat.activeProfile': 'no-url' },
      'Mine',
    );
    await expectSettingsProblem(
      'Settings problem: relayChat.profiles[0].baseUrl',
      'relayChat.profiles[0].baseUrl is missing; expected text, such as "https://relay.example.com/v1".\n' +
        'relayChat.profiles[0].defaultModel is missing; expected text, such as "gpt-4o-mini".',
      'relayChat.profiles',
    );
  });

  it('profiles that are not a list: named in the panel', async () => {
    await writeSettings(
      { 'relayChat.profiles': 'oops', 'relayChat.activeProfile': 'not-a-list' },
      'not-a-list',
    );
    await expectSettingsProblem(
      'Settings problem: relayChat.profiles',
      'relayChat.profiles is the text "oops"; expected a list of objects with id, name, baseUrl, defaultModel.\n' +
        'relayChat.activeProfile is "not-a-list", which is not the id of any profile; expected one of "default".',
      'relayChat.profiles',
    );
  });

  it('two profiles with the same id: named in the panel, neither used in silence', async () => {
    const profile = (name: string) => ({
      id: 'twin',
      name,
      baseUrl: `${wb.server.url}/v1`,
      defaultModel: 'fake-model',
    });
    await writeSettings(
      { 'relayChat.profiles': [profile('First'), profile('Second')], 'relayChat.activeProfile': 'twin' },
      'Second',
    );
    await expectSettingsProblem(
      'Settings problem: relayChat.profiles[1].id',
      'relayChat.profiles[1].id is "twin", the same as relayChat.profiles[0].id; expected an id no other profile has.',
      'relayChat.profiles',
    );
  });

  it('a bad request option: left out of the request, named on the answer, Open Settings in the notice', async () => {
    await writeSettings(
      {
        'relayChat.profiles': [
          { id: 'opts', name: 'Options', baseUrl: `${wb.server.url}/v1`, defaultModel: 'fake-model' },
        ],
        'relayChat.activeProfile': 'opts',
        'relayChat.requestOptions': { temperature: 'hot', topP: 0.5 },
      },
      'Options',
    );
    await wb.newChat();
    wb.server.enqueue({ body: sse('Hello from the relay.') });
    await wb.ask('Hello?');
    await wb
      .panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'Hello from the relay.' })
      .waitFor({ timeout: 30_000 });
    await wb.waitForRequests(1);
    const body = wb.lastBody();
    assert.equal('temperature' in body, false, 'the bad option is not sent');
    assert.equal(body.top_p, 0.5, 'the valid option is');
    const message =
      'relayChat.requestOptions.temperature is the text "hot"; expected a number from 0 to 2. It was left out of the request.';
    assert.deepEqual(await wb.panel().locator('[data-role="assistant"] .notice').allTextContents(), [
      message,
    ]);
    const toast = wb.page.locator('.notifications-toasts .notification-toast', {
      hasText: 'relayChat.requestOptions.temperature',
    });
    await toast.waitFor({ timeout: 30_000 });
    assert.equal(
      await textOf(toast.locator('.notification-list-item-message')),
      `Relay Chat settings: ${message}`,
    );
    await toast.locator('.monaco-button', { hasText: 'Open Settings' }).click();
    await assertSettingsJsonAt(wb.page, 'relayChat.requestOptions');
  });

  it('a key in a header: warned once, moved into Secret Storage, gone from settings.json, still sent', async () => {
    const key = 'sk-e2e-header-key-0123456789';
    await writeSettings(
      { 'relayChat.requestOptions': undefined, 'relayChat.headers': { Authorization: `Bearer ${key}` } },
      'Default',
    );
    const toast = wb.page.locator('.notifications-toasts .notification-toast', {
      hasText: 'relayChat.headers.Authorization',
    });
    await toast.waitFor({ timeout: 30_000 });
    assert.equal(
      await textOf(toast.locator('.notification-list-item-message')),
      'Relay Chat: relayChat.headers.Authorization looks like a key. settings.json is plain text and may sync to ' +
        'other machines. Moved to Secret Storage, it becomes this profile\'s API key, sent as "Authorization: Bearer".',
    );
    await toast.locator('.monaco-button', { hasText: 'Move to Secret Storage' }).click();
    await wb.page
      .locator('.notifications-toasts', { hasText: 'is now in Secret Storage' })
      .waitFor({ timeout: 20_000 });
    const saved = JSON.parse(readFileSync(wb.settingsFile, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(saved['relayChat.headers'] ?? {}, {}, 'the header is gone from settings.json');
    assert.doesNotMatch(readFileSync(wb.settingsFile, 'utf8'), new RegExp(key));

    await wb.newChat();
    wb.server.enqueue({ body: sse('Key moved.') });
    await wb.ask('Is my key still sent?');
    await wb.waitForRequests(1);
    assert.equal(wb.chatRequests()[0].headers.authorization, `Bearer ${key}`, 'sent from Secret Storage');
  });

  it('"Set API Key" submitted empty keeps the stored key', async () => {
    const key = 'sk-e2e-header-key-0123456789';
    await runCommand(wb.page, 'Relay Chat: Set API Key');
    await answerInputBox(wb.page, 'Secret Storage', '');
    await wb.page
      .locator('.notifications-toasts', { hasText: 'the API key was kept' })
      .waitFor({ timeout: 20_000 });
    await wb.newChat();
    wb.server.enqueue({ body: sse('Still here.') });
    await wb.ask('And now?');
    await wb.waitForRequests(1);
    assert.equal(wb.chatRequests()[0].headers.authorization, `Bearer ${key}`);
  });
});

/**
 * What a person does in the workbench, as playwright steps: open a file, select lines, run a
 * command from the palette, type into the chat panel. Selectors are VS Code's own DOM.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { REPO_ROOT } from '../support/codeServer';

export { launchChromium } from '../support/chromium';

export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The explorer shows the folder once the workbench is really ready for input.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  return page;
}

const OPEN_QUICK_INPUT = '.quick-input-widget:not([style*="display: none"]) input';

async function quickInput(page: Page, timeout = 15_000): Promise<boolean> {
  return page
    .waitForSelector(OPEN_QUICK_INPUT, { timeout })
    .then(() => true)
    .catch(() => false);
}

/**
 * Types `text` into Quick Open ('>' first for commands) and waits for `row` to be listed. F1
 * opens it, as a person would. While the workbench moves focus (an editor closing, a webview
 * taking focus back) the keypress can be swallowed or the widget close again on blur; then the
 * title bar's Command Center opens it, and the whole step is tried again.
 */
async function quickOpen(page: Page, text: string, row: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // The previous command's widget may still be closing; a key or click now would land on it.
    const closed = await page
      .waitForSelector(OPEN_QUICK_INPUT, { state: 'hidden', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (!closed) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    if (!(await quickInput(page, 2_000))) {
      // The key was swallowed, or the widget is only slow to show (a loaded machine). The Command
      // Center hides while the widget shows: a slow widget that appears now wins, not a 30 s wait
      // for a button that went away.
      await page
        .locator('.command-center .command-center-quick-pick')
        .first()
        .click({ timeout: 5_000 })
        .catch(() => undefined);
      await quickInput(page);
    }
    const input = page.locator(OPEN_QUICK_INPUT).first();
    try {
      // Into the widget's own input, wherever the keyboard focus was left.
      await input.focus({ timeout: 2_000 });
      await page.keyboard.press('Control+A');
      await page.keyboard.type(text);
      await row.first().waitFor({ timeout: attempt === 3 ? 15_000 : 5_000 });
      if ((await input.inputValue({ timeout: 1_000 })) === text) return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
    if (attempt === 3) throw new Error(`Quick Open did not keep "${text}"`);
    await page.keyboard.press('Escape');
  }
}

/** A row of the open quick pick (palette, a command's picker) that shows `text`. */
export function quickItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.quick-input-list .monaco-list-row', { hasText: text });
}

/** Clicks the quick pick's row that shows `text`, once the picker lists it. */
export async function pickQuickItem(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  const row = quickItem(page, text).first();
  await row.waitFor({ timeout });
  await row.click();
}

export async function runCommand(page: Page, title: string): Promise<void> {
  // Accept only once the palette lists the command.
  await quickOpen(page, `>${title}`, quickItem(page, title));
  await page.keyboard.press('Enter');
}

/** Answers the `showInputBox` the extension opened, recognised by its title or prompt. */
export async function answerInputBox(page: Page, showing: string, text: string): Promise<void> {
  const box = page.locator('.quick-input-widget', { hasText: showing });
  await box.waitFor({ timeout: 20_000 });
  await box.locator('input').first().focus();
  if (text) await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * VS Code may open its Welcome page a moment after start-up, once it registers the walkthrough of a
 * newly installed extension (ours), in front of the file a test opened: put it away.
 */
const welcomeWatched = new WeakSet<Page>();

async function closeWelcome(page: Page): Promise<boolean> {
  // The tab's own close button: a palette command would close whichever editor is active.
  const welcome = page.locator('.tabs-container .tab', {
    has: page.locator('.label-name', { hasText: /^(Welcome|Walkthrough)/ }),
  });
  let closed = false;
  for (let i = 0; i < 3 && (await welcome.count()); i++) {
    await welcome.first().hover();
    await welcome.first().locator('.tab-actions .action-label').first().click({ force: true });
    await welcome
      .first()
      .waitFor({ state: 'detached', timeout: 5_000 })
      .catch(() => undefined);
    closed = true;
  }
  return closed;
}

export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.split('/').pop()!;
  await closeWelcome(page);
  // The row whose name is exactly the file's is clicked, not the first row: under load, file search
  // results can arrive after the editor history's and reorder the list between the wait and the key
  // (and `lens.ts` must not open `undo-lens.ts`). Should the editor still not open (focus taken by a
  // toast or the panel), a person tries again.
  const exact = page.locator('.label-name', {
    hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  });
  const row = page.locator('.quick-input-list .monaco-list-row', { has: exact });
  // A tab's label holds more than the name (its description, decorations): the name is enough there.
  const tab = page.locator('.tab.active', { hasText: name });
  for (let attempt = 1; ; attempt++) {
    await quickOpen(page, relativePath, row);
    await row.first().click();
    const opened = await tab
      .waitFor({ timeout: attempt === 3 ? 15_000 : 5_000 })
      .then(() => true)
      .catch((err: unknown) => {
        if (attempt === 3) throw err;
        return false;
      });
    if (opened) break;
  }
  await page.locator('.monaco-editor .view-lines').first().waitFor();
  // The Welcome page comes, if it comes, within seconds of the first editor a page opens: give
  // the first one that time.
  const welcome = page.locator('.tabs-container .tab .label-name', { hasText: /^(Welcome|Walkthrough)/ });
  const first = !welcomeWatched.has(page);
  welcomeWatched.add(page);
  await welcome
    .first()
    .waitFor({ timeout: first ? 12_000 : 1_000 })
    .catch(() => undefined);
  if (await closeWelcome(page)) {
    await page.locator('.tabs-container .tab', { hasText: name }).first().click();
    await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
  }
}

/** Selects whole lines `from`..`to` (1-based) in the active editor. */
export async function selectLines(page: Page, from: number, to: number, attempt = 1): Promise<void> {
  const file = (await page.locator('.tabs-container .tab.active').first().textContent()) ?? '';
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  if (!(await quickInput(page))) throw new Error('Go to Line did not open');
  await page.keyboard.type(String(from));
  await page.keyboard.press('Enter');
  // Keys typed before Go to Line has closed would go to its box, not the editor.
  await page.waitForSelector(OPEN_QUICK_INPUT, { state: 'hidden', timeout: 15_000 });
  await page.keyboard.press('Home');
  await page.keyboard.press('Home');
  for (let line = from; line <= to; line++) await page.keyboard.press('Shift+ArrowDown');
  // The Welcome page came up meanwhile: the selection is behind it. Close it and select again.
  if (attempt < 3 && (await closeWelcome(page))) {
    await page.locator('.tabs-container .tab', { hasText: file }).first().click();
    await selectLines(page, from, to, attempt + 1);
  }
}

/** The text of the active editor as shown (Monaco renders spaces as no-break spaces). */
export async function activeEditorText(page: Page): Promise<string> {
  const text = await page
    .locator('.editor-group-container.active .monaco-editor .view-lines')
    .first()
    .innerText();
  return text.replace(/\u00a0/g, ' ');
}

/**
 * A panel element's text. `textContent`, not `innerText`: the panel's messages use
 * `content-visibility: auto`, and before their first paint `innerText` reads them as empty.
 */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

/** The chat webview's document: two iframes down (VS Code's webview host, then our page). */
export function chatPanel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Opens the Relay Chat sidebar if it is not showing, with the view's own focus command. */
export async function ensurePanel(page: Page): Promise<void> {
  const composer = chatPanel(page).locator('[data-testid="composer"]');
  if (await composer.isVisible().catch(() => false)) return;
  // A command, not the activity bar icon: clicking the icon of an open container closes it. Right
  // after start-up the palette may not list the view's command yet, so ask again.
  for (let attempt = 1; ; attempt++) {
    try {
      await runCommand(page, 'Relay Chat: Focus on Chat View');
      break;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt === 3) throw err;
      // Right after start-up: ask again once the extension's views are registered.
      await page
        .locator('.activitybar [aria-label*="Relay Chat"]')
        .first()
        .waitFor({ timeout: 15_000 })
        .catch(() => undefined);
    }
  }
  await composer.waitFor({ timeout: 30_000 });
}

/**
 * Developer: Reload Window, then waits for the *new* page: the old document is marked first, since
 * it also matches `.monaco-workbench` until it goes.
 */
export async function reloadWindow(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __relayOldPage?: boolean }).__relayOldPage = true));
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForFunction(
    () =>
      !(window as unknown as { __relayOldPage?: boolean }).__relayOldPage &&
      !!document.querySelector('.monaco-workbench'),
    undefined,
    { timeout: 60_000 },
  );
  // Ready for input once the activity bar lists its views (whichever side bar view comes back).
  await page.waitForSelector('.part.activitybar .action-item', { timeout: 60_000 });
}

/** Hides the primary side bar and shows it again: the chat webview is torn down and rebuilt. */
export async function hideAndShowSideBar(page: Page): Promise<void> {
  const frame = page.locator('iframe.webview.ready');
  await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  await frame.first().waitFor({ state: 'detached', timeout: 15_000 });
  await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  await chatPanel(page).locator('[data-testid="composer"]').waitFor({ timeout: 30_000 });
}

/**
 * View: Move View, the way a person does it from the palette: pick the Relay Chat view, then where
 * it goes. The webview is torn down and rebuilt in its new place.
 */
export async function moveChatView(
  page: Page,
  to: 'New Panel Entry' | 'New Secondary Side Bar Entry',
): Promise<void> {
  const row = (text: string | RegExp) => quickItem(page, text);
  await quickOpen(page, '>View: Move View', row(/^View: Move View(?!s)/));
  // Enter would run the first row ("Move Panel Views …"): click the command itself.
  await row(/^View: Move View(?!s)/).click();
  // "Chat | Side Bar / Relay Chat", or "… Panel / Relay Chat" once it has moved.
  await row(/\/ Relay Chat$/).click();
  await row(new RegExp(`^${to}`)).click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
  await chatPanel(page).locator('[data-testid="composer"]').waitFor({ timeout: 30_000 });
}

/**
 * Changes a setting the way a person does: the Settings editor, search, type. Waits until the
 * user settings file on disk holds the new value (the editor writes it after a short debounce).
 */
export async function setSetting(page: Page, id: string, value: string, settingsFile: string): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings');
  await page.locator('.settings-editor .search-container').waitFor({ timeout: 15_000 });
  await page.locator('.settings-editor .search-container').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(id);
  const keyed = page.locator(`.settings-editor [data-key="${id}"]`).first();
  await keyed.waitFor({ timeout: 15_000 });
  // The data-key sits on a child of the row; mark the row's text box so a locator can reach it.
  await keyed.evaluate((el) => {
    const row = el.closest('.setting-item') ?? el;
    row.querySelector('input')?.setAttribute('data-e2e-setting', 'target');
  });
  const box = page.locator('.settings-editor input[data-e2e-setting="target"]');
  await box.fill(value);
  await box.press('Enter');
  await box.evaluate((el) => el.removeAttribute('data-e2e-setting'));
  // VS Code drops a setting from the file when it is set back to its default.
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
  };
  const fallback = manifest.contributes.configuration.properties[id]?.default;
  const deadline = Date.now() + 15_000;
  for (;;) {
    let saved: unknown;
    try {
      saved = (JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)[id] ?? fallback;
    } catch {
      saved = undefined; // caught mid-write
    }
    if (String(saved) === value) break;
    if (Date.now() > deadline) throw new Error(`${id} was not saved as ${value} (found ${String(saved)})`);
    await page.waitForTimeout(100);
  }
  await page.keyboard.press('Control+W');
}

/**
 * Replaces the user settings.json in its JSON editor, as a person would, saves, waits until the
 * file on disk holds exactly `next`, and closes the editor.
 */
export async function saveUserSettingsJson(
  page: Page,
  settingsFile: string,
  next: Record<string, unknown>,
): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const title = page.locator('.modal-editor-title, .tab.active', { hasText: 'settings.json' });
  await title.first().waitFor({ timeout: 20_000 });
  await page.locator('.monaco-editor.focused').waitFor({ timeout: 20_000 });
  await page.keyboard.press('Control+A');
  // One input event: no auto-closed quotes or brackets, unlike typing key by key.
  await page.keyboard.insertText(JSON.stringify(next, null, 2));
  await page.keyboard.press('Control+S');
  for (let i = 0; ; i++) {
    let saved: unknown;
    try {
      saved = JSON.parse(readFileSync(settingsFile, 'utf8'));
    } catch {
      saved = undefined; // caught mid-write
    }
    if (JSON.stringify(saved) === JSON.stringify(next)) break;
    if (i === 200) assert.deepEqual(saved, next, 'settings.json was saved as typed');
    await page.waitForTimeout(100);
  }
  await page.keyboard.press('Control+W');
  await title.first().waitFor({ state: 'detached', timeout: 20_000 });
}

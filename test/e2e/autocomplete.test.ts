/**
 * Issue 27 in the real VS Code: code completion as you type through the user's relay. Ghost text
 * appears and Tab inserts it; typing the suggestion's own characters asks for nothing new; a
 * keystroke that diverges closes the request in flight; several cursors ask for nothing; the relay
 * that drops `suffix` is found by the probe and the template path used; the daily budget stops
 * requests and says so.
 *
 * The relay is `relay.invalid`, reached through a forward proxy (`http.proxy`): a 127.0.0.1 URL
 * would be a local server, which is free and has no budget. The tests run in order and share the
 * spend of the day; the budget test comes last, since it stops completion for the rest of the day.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CompletionBody, CompletionRecord } from '../fakeServer/completions';
import { startForwardProxy, type ForwardProxy } from '../fakeServer/forwardProxy';
import { formatMoney } from '../../src/common/billing/money';
import { costOf, pricingFor } from '../../src/common/billing/pricing';
import { useWorkbench } from './fixture';
import { activeEditorText, openFile, runCommand, setSetting } from './workbench';

const FILES: Record<string, string> = {
  'src/add.ts': 'export function add(a: number, b: number): number {\n  \n}',
  'src/greet.ts': 'export const greeting = ',
  'src/cancel.ts': 'export const answer = ',
  'src/cursors.ts': 'let a = \nlet b = ',
  'src/drop.ts': 'export function double(n: number): number {\n  \n}',
  'src/budget.ts': 'export const budget = ',
};
const PRICES = { 'qwen2.5-coder*': { input: 1, output: 2 } };
const MODEL = 'qwen2.5-coder:7b';
/** A second model on the same relay: the ladder is learnt per endpoint + model, so it is probed afresh. */
const DROP_MODEL = 'qwen2.5-coder:1.5b';

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The ghost text shown in the active editor (Monaco's inline decoration), '' when there is none. */
async function ghostText(page: Page): Promise<string> {
  const spans = page.locator('.editor-group-container.active .monaco-editor .ghost-text-decoration');
  return (await spans.allTextContents()).join('').replace(/\u00a0/g, ' ');
}

async function showsGhost(page: Page, expected: string): Promise<void> {
  await until(`ghost text "${expected}"`, async () => (await ghostText(page)) === expected).catch(async () =>
    assert.equal(await ghostText(page), expected, 'the ghost text'),
  );
}

/** Puts the cursor at the end of line `line` (1-based) of the active editor. */
async function cursorAtEndOf(page: Page, line: number): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').first().waitFor({ timeout: 15_000 });
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page
    .locator('.quick-input-widget:not([style*="display: none"]) input')
    .waitFor({ state: 'hidden', timeout: 15_000 });
  await page.keyboard.press('End');
}

describe('code completion as you type (e2e)', function () {
  this.timeout(240_000);
  let proxy: ForwardProxy | undefined;
  const wb = useWorkbench(
    async (server) => {
      proxy = await startForwardProxy(server);
      return {
        'relayChat.baseUrl': 'http://relay.invalid/v1',
        'http.proxy': proxy.url,
        'http.proxySupport': 'override',
        'relayChat.autocomplete.enabled': true,
        'relayChat.autocomplete.model': MODEL,
        'relayChat.prices': PRICES,
        'files.autoSave': 'off',
        // Only inline completions: no suggest widget to take Tab, nothing typed for the user.
        'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
        'editor.suggestOnTriggerCharacters': false,
        'editor.wordBasedSuggestions': 'off',
        'editor.autoClosingBrackets': 'never',
        'editor.autoClosingQuotes': 'never',
        'editor.autoIndent': 'none',
      };
    },
    {
      prepareWorkspace: (dir) => {
        mkdirSync(join(dir, 'src'), { recursive: true });
        for (const [path, text] of Object.entries(FILES)) writeFileSync(join(dir, path), text);
      },
    },
  );
  after(async () => {
    await proxy?.close();
  });

  const file = (rel: string) => join(wb.vscode.workspace, rel);
  const requests = () => wb.server.completions.filter((r) => !r.probe);
  const probes = () => wb.server.completions.filter((r) => r.probe);
  const bodyOf = (r: CompletionRecord) => r.body as CompletionBody;
  /** Waits for the `n`th completion request (0-based, probes not counted). */
  const request = async (n: number) => {
    await until(`completion request ${n + 1}`, () => requests().length > n);
    return requests()[n];
  };
  /** No new completion request over a while: absence can only be watched for a time. */
  const noRequestAfter = async (count: number, what: string) => {
    const deadline = Date.now() + 2_000;
    while (Date.now() < deadline) {
      assert.equal(requests().length, count, what);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** The status bar item `relayChat.autocomplete` (VS Code prefixes the extension's id). */
  const statusItem = () => wb.page.locator('.statusbar-item[id$=".relayChat.autocomplete"]').first();
  /** What today's completions cost, priced from the usage the relay sent (probes included). */
  const spentToday = () =>
    wb.server.completions
      .filter((r) => r.finished && r.usageSent)
      .reduce((sum, r) => sum + costOf(pricingFor(bodyOf(r).model, PRICES)!, r.usageSent!), 0);

  it('shows ghost text while typing, and Tab inserts it: the editor and the saved file hold it', async () => {
    await openFile(wb.page, 'src/add.ts');
    await cursorAtEndOf(wb.page, 2);
    wb.server.enqueueCompletion({ text: 'a + b;', pieceSize: 2 });
    await wb.page.keyboard.type('return ');
    await showsGhost(wb.page, 'a + b;');
    // The relay keeps suffix: the probe pair saw it counted, and native FIM carries it.
    assert.deepEqual(
      probes().map((r) => 'suffix' in bodyOf(r)),
      [false, true],
    );
    const sent = bodyOf(requests().at(-1)!);
    assert.equal(sent.prompt, 'export function add(a: number, b: number): number {\n  return ');
    assert.equal(sent.suffix, '\n}');
    assert.equal(sent.stream, true);
    await wb.page.keyboard.press('Tab');
    const expected = 'export function add(a: number, b: number): number {\n  return a + b;\n}';
    await until(
      'the editor to hold the completion',
      async () => (await activeEditorText(wb.page)) === expected,
    );
    assert.equal(await ghostText(wb.page), '');
    await wb.page.keyboard.press('Control+S');
    await until('the saved file', () => readFileSync(file('src/add.ts'), 'utf8') === expected);
    await until('the status bar to show the spend', async () => {
      const text = (await statusItem().textContent())?.trim();
      return text === `Relay Chat: completion on · ${MODEL} · ${formatMoney(spentToday())}`;
    });
  });

  it("makes no new request while the user types the suggestion's own characters", async () => {
    await openFile(wb.page, 'src/greet.ts');
    await cursorAtEndOf(wb.page, 1);
    wb.server.enqueueCompletion({ text: "hello, world';" });
    await wb.page.keyboard.type("'");
    await showsGhost(wb.page, "hello, world';");
    const before = requests().length;
    await wb.page.keyboard.type('hel', { delay: 80 });
    await showsGhost(wb.page, "lo, world';");
    await noRequestAfter(before, 'requests after typing the suggested characters');
    await wb.page.keyboard.press('Tab');
    await wb.page.keyboard.press('Control+S');
    await until(
      'the saved file',
      () => readFileSync(file('src/greet.ts'), 'utf8') === "export const greeting = 'hello, world';",
    );
  });

  it('closes the request in flight when a keystroke diverges from it', async () => {
    await openFile(wb.page, 'src/cancel.ts');
    await cursorAtEndOf(wb.page, 1);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const before = requests().length;
    wb.server.enqueueCompletion({ text: '42;', pieceSize: 1, gate: { afterPieces: 1, open: gate } });
    await wb.page.keyboard.type('4');
    const inFlight = await request(before);
    try {
      await until('the first piece to be sent', () => inFlight.piecesSent === 1);
      assert.equal(inFlight.closedEarly, false);
      // The stream says "2" comes next; the user types something else.
      await wb.page.keyboard.type('x');
      await until('the server to see the request closed', () => inFlight.closedEarly);
      assert.equal(inFlight.finished, false);
      assert.equal(inFlight.piecesSent, 1);
    } finally {
      open();
    }
    assert.equal(await ghostText(wb.page).then((t) => t.startsWith('2')), false, 'no stale ghost text');
    await wb.page.keyboard.press('Control+Z');
    await wb.page.keyboard.press('Control+Z');
  });

  it('makes no request with two cursors', async () => {
    await openFile(wb.page, 'src/cursors.ts');
    await cursorAtEndOf(wb.page, 1);
    await runCommand(wb.page, 'Add Cursor Below');
    const cursors = wb.page.locator('.editor-group-container.active .monaco-editor .cursors-layer .cursor');
    await until('two cursors', async () => (await cursors.count()) === 2);
    // The palette gives the keyboard back to the editor, both cursors in it.
    await wb.page.locator('.quick-input-widget input').first().waitFor({ state: 'hidden', timeout: 15_000 });
    const before = requests().length;
    await wb.page.keyboard.type('1');
    await until('both lines typed', async () => (await activeEditorText(wb.page)) === 'let a = 1\nlet b = 1');
    await noRequestAfter(before, 'requests with two cursors');
    assert.equal(await ghostText(wb.page), '');
    await wb.page.keyboard.press('Escape');
  });

  it('finds the relay that drops suffix with the probe pair, and then sends the FIM template', async () => {
    wb.server.completionRelay = 'drops-suffix';
    await setSetting(wb.page, 'relayChat.autocomplete.model', DROP_MODEL, wb.settingsFile);
    const probesBefore = probes().length;
    const before = requests().length;
    await openFile(wb.page, 'src/drop.ts');
    await cursorAtEndOf(wb.page, 2);
    wb.server.enqueueCompletion({ text: 'n * 2;' });
    await wb.page.keyboard.type('return ');
    const sent = bodyOf(await request(before));
    const pair = probes().slice(probesBefore);
    assert.deepEqual(
      pair.map((r) => [bodyOf(r).model, 'suffix' in bodyOf(r), r.usageSent!.prompt_tokens]),
      [
        [DROP_MODEL, false, pair[0].usageSent!.prompt_tokens],
        [DROP_MODEL, true, pair[0].usageSent!.prompt_tokens],
      ],
      'the probe pair, counted the same: the suffix never reached the model',
    );
    // The template path: Qwen's sentinels in `prompt`, no `suffix` field for the relay to drop.
    // (Other files and the path may come before the hole, as Qwen's repo-level format puts them.)
    assert.equal('suffix' in sent, false);
    const hole =
      '<|fim_prefix|>export function double(n: number): number {\n  return <|fim_suffix|>\n}<|fim_middle|>';
    assert.ok(sent.prompt.endsWith(hole), `the prompt ends with the hole: ${JSON.stringify(sent.prompt)}`);
    assert.equal(sent.model, DROP_MODEL);
    await showsGhost(wb.page, 'n * 2;');
    await wb.page.keyboard.press('Tab');
    await wb.page.keyboard.press('Control+S');
    await until(
      'the saved file',
      () =>
        readFileSync(file('src/drop.ts'), 'utf8') ===
        'export function double(n: number): number {\n  return n * 2;\n}',
    );
  });

  it("stops requests once the day's budget is spent, says so, and shows it in the status bar", async () => {
    const budget = 0.05;
    assert.ok(spentToday() < budget, `spent so far: ${spentToday()}`);
    await setSetting(wb.page, 'relayChat.autocomplete.dailyBudget', String(budget), wb.settingsFile);
    await openFile(wb.page, 'src/budget.ts');
    await cursorAtEndOf(wb.page, 1);
    // $0.10 at $1 per million prompt tokens: over the budget in one request.
    wb.server.enqueueCompletion({ text: '1;', usage: { prompt_tokens: 100_000, completion_tokens: 1 } });
    const before = requests().length;
    await wb.page.keyboard.type('0.');
    await request(before);
    const toast = wb.page.locator('.notifications-toasts .notification-toast', {
      hasText: 'completion budget',
    });
    await toast.first().waitFor({ timeout: 30_000 });
    assert.equal(
      await toast.first().locator('.notification-list-item-message').textContent(),
      `Relay Chat: today's completion budget of ${formatMoney(budget)} is spent; completions pause until tomorrow.`,
    );
    assert.deepEqual(
      await toast
        .first()
        .locator('.notification-list-item-buttons-container .monaco-button')
        .allTextContents(),
      [`Raise to ${formatMoney(budget * 2)}`, 'Open Settings'],
    );
    await until('the status bar to say the budget is reached', async () => {
      const text = (await statusItem().textContent())?.trim();
      return (
        text === `Relay Chat: completion on · ${DROP_MODEL} · ${formatMoney(spentToday())} · budget reached`
      );
    });
    const after = requests().length;
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.type('5', { delay: 80 });
    await noRequestAfter(after, 'requests once the budget is spent');
  });

  it('turns completion off and on from the palette, and the status bar says so', async () => {
    await runCommand(wb.page, 'Relay Chat: Toggle Code Completion');
    await until(
      'the status bar to say off',
      async () => (await statusItem().textContent())?.trim() === 'Relay Chat: completion off',
    );
    await runCommand(wb.page, 'Relay Chat: Toggle Code Completion');
    // Still today, still over the budget: on, and paused.
    const on = `Relay Chat: completion on · ${DROP_MODEL} · ${formatMoney(spentToday())} · budget reached`;
    await until('the status bar to say on', async () => (await statusItem().textContent())?.trim() === on);
  });
});

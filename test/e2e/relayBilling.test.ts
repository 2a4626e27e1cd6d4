/**
 * Issue 13 in the real VS Code: the relay's balance in the status bar, what each answer cost, and
 * a relay with no billing API at all. One fake server plays three relays by path prefix: new-api at
 * the root, an OpenAI-style dashboard under /dash, nothing under /bare.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { sse } from '../fakeServer/fakeServer';
import { serveDashboard, serveNewApi } from '../fakeServer/relayBilling';
import { estimateTokens } from '../../src/common/tokens/estimateTokens';
import { MESSAGE_OVERHEAD, REQUEST_OVERHEAD } from '../../src/common/context/requestTokens';
import { formatMoney } from '../../src/common/billing/money';
import { useWorkbench } from './fixture';
import { ensurePanel, runCommand, saveUserSettingsJson, textOf } from './workbench';

const BALANCE = '[aria-label^="Relay Chat balance: "]';

/** The balance the status bar shows: its accessible label and the text beside the icon. */
async function shownBalance(page: Page, expected: string): Promise<void> {
  const item = page.locator(`.statusbar-item ${BALANCE}`).first();
  await page
    .locator(`.statusbar-item [aria-label="Relay Chat balance: ${expected}"]`)
    .first()
    .waitFor({ timeout: 30_000 })
    .catch(async () => {
      const label = await item.getAttribute('aria-label').catch(() => 'no item');
      assert.fail(`the status bar shows ${label}, expected ${expected}`);
    });
  assert.equal((await item.textContent())?.trim(), expected);
}

describe('relay billing: balance and cost (e2e)', function () {
  this.timeout(240_000);
  let newApi: ReturnType<typeof serveNewApi>;
  const wb = useWorkbench((server) => {
    // $20 granted, $7.66 used: $12.34 left; each answer costs 3,750 units ($0.0075).
    newApi = serveNewApi(server, {
      grantedUnits: 10_000_000,
      usedUnits: 3_830_000,
      costPerAnswerUnits: 3750,
    });
    serveDashboard(server, { prefix: '/dash', limitUsd: 50, usedCents: 1234, costPerAnswerCents: 1 });
    return {
      // settings.json is rewritten through the editor; text arrives as typed, not re-indented or closed.
      'editor.autoIndent': 'none',
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      'editor.autoSurround': 'never',
      'relayChat.model': 'gpt-4o',
      'relayChat.profiles': [
        { id: 'dash', name: 'Dashboard relay', baseUrl: `${server.url}/dash/v1`, defaultModel: 'gpt-4o' },
        { id: 'bare', name: 'Bare relay', baseUrl: `${server.url}/bare/v1`, defaultModel: 'gpt-4o' },
      ],
    };
  });

  /** Edits the user settings.json in the editor, as a person would, and saves. */
  async function writeSettings(changes: Record<string, unknown>): Promise<void> {
    const next = JSON.parse(readFileSync(wb.settingsFile, 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    await saveUserSettingsJson(wb.page, wb.settingsFile, next);
  }

  async function answer(id: number) {
    const message = wb.panel().locator('[data-role="assistant"]').nth(id);
    await message.locator('[data-testid="usage"]').waitFor({ timeout: 30_000 });
    await wb.panel().locator('[data-streaming]').waitFor({ state: 'detached', timeout: 30_000 });
    return message;
  }

  it("shows new-api's balance, and reads it again, lower, after an answer costed by the relay's price table", async () => {
    await shownBalance(wb.page, '$12.34');
    await wb.newChat();
    wb.server.enqueue({
      body: sse('Costed answer.', { usage: { prompt_tokens: 1000, completion_tokens: 500 } }),
    });
    await wb.ask('What does this cost?');
    const message = await answer(0);
    assert.equal(await textOf(message.locator('[data-testid="usage"]')), '1,000 → 500 tokens · $0.0075');
    assert.equal(await textOf(wb.panel().locator('[data-testid="usage-total"]')), '1,500 tokens · $0.0075');
    assert.equal(newApi.answered(), 1);
    await shownBalance(wb.page, '$12.33');
  });

  it('marks tokens and cost with ≈ where the relay sends no usage', async () => {
    await wb.newChat();
    const question = 'How many tokens is this question?';
    const text = 'An answer the relay did not count.';
    wb.server.enqueue({ body: sse(text) });
    await wb.ask(question);
    const message = await answer(0);
    // The question alone went out: its text, its message's overhead and the request's.
    assert.deepEqual(wb.lastBody().messages, [{ role: 'user', content: question }]);
    const prompt = estimateTokens(question) + MESSAGE_OVERHEAD + REQUEST_OVERHEAD;
    const completion = estimateTokens(text);
    const cost = formatMoney(Math.round((prompt + completion * 4) * 1.25) / 500_000);
    assert.equal(
      await textOf(message.locator('[data-testid="usage"]')),
      `≈${prompt} → ${completion} tokens · ≈${cost}`,
    );
    assert.equal(
      await textOf(wb.panel().locator('[data-testid="usage-total"]')),
      `≈${prompt + completion} tokens · ≈${cost}`,
    );
  });

  it("costs by relayChat.prices over the relay's table, and turns the balance to the warning colour below relayChat.balanceWarning", async () => {
    await writeSettings({
      'relayChat.prices': { 'gpt-4*': { input: 10, output: 40 } },
      'relayChat.balanceWarning': 100,
    });
    await wb.page
      .locator(`.statusbar-item.has-background-color ${BALANCE}`)
      .first()
      .waitFor({ timeout: 30_000 });
    await wb.newChat();
    wb.server.enqueue({
      body: sse('Priced by you.', { usage: { prompt_tokens: 1000, completion_tokens: 500 } }),
    });
    await wb.ask('And now?');
    const message = await answer(0);
    assert.equal(await textOf(message.locator('[data-testid="usage"]')), '1,000 → 500 tokens · $0.03');
  });

  it('reads the OpenAI-style dashboard pair of another profile, in cents, and again after an answer', async () => {
    await writeSettings({
      'relayChat.prices': undefined,
      'relayChat.balanceWarning': undefined,
      'relayChat.activeProfile': 'dash',
    });
    await shownBalance(wb.page, '$37.66');
    assert.equal(await wb.page.locator(`.statusbar-item.has-background-color ${BALANCE}`).count(), 0);
    await ensurePanel(wb.page);
    await wb.panel().locator('[data-testid="profile-picker"]', { hasText: 'Dashboard relay' }).waitFor();
    await wb.newChat();
    wb.server.enqueue({
      body: sse('From the dashboard relay.', { usage: { prompt_tokens: 10, completion_tokens: 5 } }),
    });
    await wb.ask('Hello dashboard');
    const message = await answer(0);
    // No price table there and none of the user's: tokens only.
    assert.equal(await textOf(message.locator('[data-testid="usage"]')), '10 → 5 tokens');
    await shownBalance(wb.page, '$37.65');
  });

  it('shows no balance and no error for a relay without any billing endpoint, and stops asking it after answers', async () => {
    await writeSettings({ 'relayChat.activeProfile': 'bare' });
    await ensurePanel(wb.page);
    await wb.panel().locator('[data-testid="profile-picker"]', { hasText: 'Bare relay' }).waitFor();
    await wb.page.locator(`.statusbar-item ${BALANCE}`).first().waitFor({ state: 'hidden', timeout: 30_000 });
    await wb.newChat();
    wb.server.enqueue({
      body: sse('Still answering.', { usage: { prompt_tokens: 3, completion_tokens: 4 } }),
    });
    await wb.ask('Anyone there?');
    const message = await answer(0);
    assert.equal(await textOf(message.locator('[data-testid="usage"]')), '3 → 4 tokens');
    // The switch found every balance endpoint missing (404), so the answer asks none of them again.
    // The relay gains one, and Refresh Balance (what a click on the item runs) reads it: that read,
    // shown in the status bar, is the only one since the answer. A read after the answer began
    // before the refresh and would have asked /api/usage/token first.
    const asked = () => wb.server.requests.filter((r) => r.path === '/bare/api/usage/token').length;
    const bare = serveNewApi(wb.server, {
      prefix: '/bare',
      grantedUnits: 1_000_000,
      usedUnits: 0,
      costPerAnswerUnits: 0,
    });
    try {
      await runCommand(wb.page, 'Relay Chat: Refresh Balance');
      await shownBalance(wb.page, '$2.00');
      assert.equal(asked(), 1, 'the balance was read by the refresh only, not after the answer');
    } finally {
      bare.stop();
    }
    assert.equal(await wb.page.locator('.notifications-toasts .notification-toast').count(), 0);
  });
});

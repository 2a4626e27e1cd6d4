/**
 * Issue 13, export: after an answer priced by the relay's table and a compare turn of two relays
 * (one shows yuan), Export Conversation as Markdown and as JSON in the real VS Code, saved as a
 * person would (Save As), carries every answer's usage and cost, every compare answer by model with
 * the pick marked, and the total.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sse } from '../fakeServer/fakeServer';
import { serveNewApi } from '../fakeServer/relayBilling';
import { useWorkbench } from './fixture';
import { ensurePanel, pickQuickItem, quickItem, textOf } from './workbench';

const FIRST = 'default/fake-model';
const SECOND = 'p2/fake-reasoner';

describe('export: usage, cost and compare turns (e2e)', function () {
  this.timeout(300_000);
  const wb = useWorkbench((server) => {
    serveNewApi(server, { grantedUnits: 10_000_000, usedUnits: 0, costPerAnswerUnits: 3750 });
    serveNewApi(server, {
      prefix: '/p2',
      grantedUnits: 10_000_000,
      usedUnits: 0,
      costPerAnswerUnits: 0,
      status: { quota_display_type: 'CNY', usd_exchange_rate: 7.2, display_in_currency: true },
    });
    return {
      'relayChat.retries': 0,
      'relayChat.model': 'gpt-4o',
      // The compared models are priced by the user ($2 / $8 per million); gpt-4o by the relay's table.
      'relayChat.prices': { 'fake-*': { input: 2, output: 8 } },
      'relayChat.profiles': [
        { id: 'p2', name: 'Yuan relay', baseUrl: `${server.url}/p2/v1`, defaultModel: 'fake-reasoner' },
      ],
    };
  });
  const answerOf = (model: string) =>
    wb.panel().locator(`[data-testid="compare-answer"][data-model="${model}"]`);

  /** Runs the panel's Export, picks the format, saves the new editor to `file` and returns its text. */
  async function exportAs(format: 'Markdown' | 'JSON', file: string): Promise<string> {
    await ensurePanel(wb.page);
    await wb.panel().locator('[data-testid="export"]').click();
    await quickItem(wb.page, format).first().waitFor({ timeout: 15_000 });
    assert.equal(await quickItem(wb.page, /./).count(), 2);
    await pickQuickItem(wb.page, format);
    const opened = format === 'JSON' ? '"format": "relay-chat.conversation"' : '# What does this cost?';
    await wb.page
      .locator('.editor-group-container.active .monaco-editor.focused .view-lines', { hasText: opened })
      .waitFor({ timeout: 15_000 });
    await wb.page.keyboard.press('Control+S');
    // The Save As box: wait for the path it suggests before typing over it, or the suggestion lands after.
    const input = wb.page.locator('.quick-input-widget input').first();
    await input.waitFor({ timeout: 15_000 });
    for (let i = 0; !/\/[^/]+\.(md|json)$/.test(await input.inputValue()); i++) {
      if (i === 200) assert.fail(`Save As suggested ${await input.inputValue()}`);
      await wb.page.waitForTimeout(50);
    }
    await input.fill(file);
    assert.equal(await input.inputValue(), file);
    await input.press('Enter');
    await wb.page.locator('.tab.active', { hasText: file.split('/').at(-1)! }).waitFor({ timeout: 15_000 });
    for (let i = 0; !existsSync(file); i++) {
      if (i === 200) assert.fail(`${file} was not saved`);
      await wb.page.waitForTimeout(50);
    }
    const text = readFileSync(file, 'utf8');
    await wb.page.keyboard.press('Control+W');
    return text;
  }

  it('shows each cost in its relay’s currency, then exports Markdown and JSON with usage, cost and both compare answers', async () => {
    await wb.newChat();
    wb.server.enqueue({
      body: sse('Priced answer.', {
        model: 'gpt-4o',
        usage: { prompt_tokens: 1000, completion_tokens: 500 },
      }),
    });
    await wb.ask('What does this cost?');
    const first = wb.panel().locator('[data-role="assistant"]').first();
    await first.locator('[data-testid="usage"]', { hasText: '$0.0075' }).waitFor({ timeout: 30_000 });
    assert.equal(await textOf(first.locator('[data-testid="usage"]')), '1,000 → 500 tokens · $0.0075');

    await wb.panel().locator('[data-testid="compare"]').click();
    await wb
      .panel()
      .locator(`input[data-testid="compare-model"][value="${FIRST}"]`)
      .check({ timeout: 30_000 });
    await wb.panel().locator(`input[data-testid="compare-model"][value="${SECOND}"]`).check();
    await wb.panel().locator('[data-testid="compare"][aria-pressed="true"]').waitFor();
    await wb.panel().locator('[data-testid="compare"]').click();

    wb.server.enqueueFor('fake-model', {
      body: sse('First model answer.', {
        model: 'fake-model',
        usage: { prompt_tokens: 100, completion_tokens: 50 },
      }),
    });
    wb.server.enqueueFor('fake-reasoner', {
      body: sse('Second model answer.', {
        model: 'fake-reasoner',
        usage: { prompt_tokens: 200, completion_tokens: 100 },
      }),
    });
    await wb.ask('Which is best?');
    for (const model of [FIRST, SECOND])
      await answerOf(model).locator('[data-testid="pick-answer"]').waitFor({ timeout: 30_000 });
    // $0.0006 at the default relay; $0.0012 at the one that shows yuan at 7.2: ¥0.00864.
    await answerOf(SECOND).locator('[data-testid="usage"]', { hasText: '¥' }).waitFor({ timeout: 30_000 });
    assert.equal(await textOf(answerOf(FIRST).locator('[data-testid="usage"]')), '100 → 50 tokens · $0.0006');
    assert.equal(
      await textOf(answerOf(SECOND).locator('[data-testid="usage"]')),
      '200 → 100 tokens · ¥0.0086',
    );
    await answerOf(SECOND).locator('[data-testid="pick-answer"]').click();
    await answerOf(FIRST).waitFor({ state: 'detached' });
    // The answer not picked was billed too: the total keeps it.
    assert.equal(await textOf(wb.panel().locator('[data-testid="usage-total"]')), '1,950 tokens · $0.0093');

    const markdown = await exportAs('Markdown', join(wb.vscode.workspace, 'exported.md'));
    assert.equal(
      markdown,
      [
        '# What does this cost?',
        '',
        '## You',
        '',
        'What does this cost?',
        '',
        '## Assistant',
        '',
        'Priced answer.',
        '',
        '_gpt-4o: 1,000 → 500 tokens · $0.0075_',
        '',
        '## You',
        '',
        'Which is best?',
        '',
        '## Compare',
        '',
        `### ${SECOND} ✓ picked`,
        '',
        'Second model answer.',
        '',
        '_fake-reasoner: 200 → 100 tokens · ¥0.0086_',
        '',
        `### ${FIRST}`,
        '',
        'First model answer.',
        '',
        '_fake-model: 100 → 50 tokens · $0.0006_',
        '',
        '---',
        '',
        '_Total: 1,300 → 650 tokens · $0.0093_',
        '',
      ].join('\n'),
    );

    const json = JSON.parse(await exportAs('JSON', join(wb.vscode.workspace, 'exported.json'))) as Record<
      string,
      unknown
    >;
    for (const key of ['createdAt', 'updatedAt']) {
      assert.match(String(json[key]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      delete json[key];
    }
    const usage = (prompt: number, completion: number) => ({
      promptTokens: prompt,
      completionTokens: completion,
      totalTokens: prompt + completion,
      cachedTokens: 0,
      reasoningTokens: 0,
      estimated: false,
    });
    assert.deepEqual(json, {
      format: 'relay-chat.conversation',
      version: 1,
      title: 'What does this cost?',
      messages: [
        { role: 'user', text: 'What does this cost?' },
        {
          role: 'assistant',
          model: 'gpt-4o',
          text: 'Priced answer.',
          usage: usage(1000, 500),
          cost: { amount: 0.0075, currency: 'USD', usd: 0.0075 },
        },
        { role: 'user', text: 'Which is best?' },
        {
          role: 'compare',
          picked: SECOND,
          answers: [
            {
              label: SECOND,
              model: 'fake-reasoner',
              text: 'Second model answer.',
              usage: usage(200, 100),
              cost: { amount: 0.00864, currency: 'CNY', usd: 0.0012 },
            },
            {
              label: FIRST,
              model: 'fake-model',
              text: 'First model answer.',
              usage: usage(100, 50),
              cost: { amount: 0.0006, currency: 'USD', usd: 0.0006 },
            },
          ],
        },
      ],
      total: { usage: usage(1300, 650), cost: { amount: 0.0093, currency: 'USD', usd: 0.0093 } },
    });
  });
});

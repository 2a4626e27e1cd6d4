import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ViewMessage } from '../../src/common/panel/protocol';
import { deliver, posted, pagePerTest } from './harness';
import { update } from './updates';

const answer = (extra: Partial<ViewMessage> = {}): ViewMessage => ({
  id: 'a',
  role: 'assistant',
  text: 'Changing it.',
  status: 'complete',
  toolCalls: [
    { id: 'c1', type: 'function', function: { name: 'replace_in_file', arguments: '{"path":"src/a.ts"}' } },
    { id: 'c2', type: 'function', function: { name: 'read_file', arguments: '{"path":".env"}' } },
  ],
  ...extra,
});

describe('webview edit mode (Chromium)', function () {
  this.timeout(30_000);
  let page: Page;
  pagePerTest((p) => (page = p));

  it('switches the mode from the header and shows the remembered one', async () => {
    await deliver(page, {
      type: 'config',
      config: { model: 'm', profile: 'p', sendOn: 'enter', mode: 'edit' },
    });
    const mode = page.locator('header select[data-testid="mode"]');
    assert.equal(await mode.inputValue(), 'edit');
    await mode.selectOption('ask');
    assert.deepEqual((await posted(page)).at(-1), { type: 'setMode', mode: 'ask' });
  });

  it('shows each call with its target and outcome, and Keep/Undo while changes wait', async () => {
    await deliver(page, { type: 'append', message: answer() });
    await deliver(
      page,
      update('a', {
        op: 'toolResult',
        index: 0,
        result: { status: 'applied', target: 'src/a.ts:2-4', result: 'Replaced lines 2-4 of src/a.ts.' },
      }),
      update('a', {
        op: 'toolResult',
        index: 1,
        result: { status: 'refused', result: '".env" is protected.' },
      }),
    );
    const tools = page.locator('[data-id="a"] [data-role="tool"]');
    assert.deepEqual(await tools.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), [
      'applied',
      'refused',
    ]);
    assert.equal(await tools.nth(0).locator('[data-testid="tool-target"]').textContent(), 'src/a.ts:2-4');
    assert.equal(
      await tools.nth(0).locator('[data-testid="tool-status"]').textContent(),
      'Applied, waiting for review',
    );
    assert.equal(await tools.nth(1).locator('[data-testid="tool-status"]').textContent(), 'Refused');
    assert.equal(
      await tools.nth(1).locator('[data-testid="tool-result"]').textContent(),
      '".env" is protected.',
    );

    await page.locator('[data-id="a"] [data-testid="accept-edits"]').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'reviewEdits', accept: true, messageId: 'a' });
    await page.locator('[data-id="a"] [data-testid="reject-edits"]').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'reviewEdits', accept: false, messageId: 'a' });
    await tools.nth(0).locator('summary').click();
    await tools.nth(0).locator('[data-testid="tool-target"]').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'openEdit', messageId: 'a', index: 0 });

    await deliver(
      page,
      update('a', {
        op: 'toolResult',
        index: 0,
        result: { status: 'kept', target: 'src/a.ts:2-4', result: 'Replaced lines 2-4 of src/a.ts.' },
      }),
    );
    assert.equal(await tools.nth(0).locator('[data-testid="tool-status"]').textContent(), 'Kept');
    assert.equal(await page.locator('[data-id="a"] [data-testid="accept-edits"]').count(), 0);
  });
});

/**
 * Structured output in the real panel (Chromium, the built bundle): the schema chip, the menu
 * entry, and a finished answer shown as pretty JSON with its verdict against the schema.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ViewMessage } from '../../src/common/panel/protocol';
import type { StructuredResult } from '../../src/common/structured/structuredTypes';
import { deliver, nextFrames, posted, pagePerTest } from './harness';
import { end, update } from './updates';

const ANSWER = '{"items":[{"name":"Tea","price":"3.50"}],"total":3.5}';
const PRETTY = `{
  "items": [
    {
      "name": "Tea",
      "price": "3.50"
    }
  ],
  "total": 3.5
}`;

const streaming = (id: string): ViewMessage => ({
  id,
  role: 'assistant',
  text: '',
  status: 'streaming',
  requestId: 'r',
});

/** The answer streamed in two pieces, then checked, then finished: as the session posts it. */
async function answer(page: Page, id: string, text: string, result: StructuredResult): Promise<void> {
  const half = Math.floor(text.length / 2);
  await deliver(
    page,
    { type: 'append', message: streaming(id) },
    update(id, { op: 'text', channel: 'content', at: 0, text: text.slice(0, half) }),
  );
  await nextFrames(page);
  await deliver(
    page,
    update(
      id,
      { op: 'text', channel: 'content', at: half, text: text.slice(half) },
      { op: 'structured', result },
      { op: 'status', status: 'complete' },
    ),
  );
  await nextFrames(page);
}

describe('structured output in the panel (Chromium)', function () {
  this.timeout(30_000);
  let page: Page;
  pagePerTest((p) => (page = p));

  const result = (page: Page, id: string) => page.locator(`[data-id="${id}"] [data-testid="schema-result"]`);

  it('shows a valid answer pretty-printed in a JSON block, then "Valid against <name>"', async () => {
    await answer(page, 'a', ANSWER, { schema: 'invoice', json: true, errors: [] });
    const block = page.locator('[data-id="a"] .structured-answer pre code');
    assert.equal(await block.count(), 1);
    assert.equal(await block.textContent(), `${PRETTY}\n`);
    assert.equal(await result(page, 'a').textContent(), 'Valid against invoice');
    assert.equal(await result(page, 'a').getAttribute('data-valid'), 'true');
  });

  it('lists each error with its JSON path under "Not valid against <name>:"', async () => {
    await answer(page, 'a', ANSWER, {
      schema: 'invoice',
      json: true,
      errors: [
        { path: '/items/0/price', message: 'must be number' },
        { path: '/', message: 'must have required property "currency"' },
      ],
      moreErrors: 3,
    });
    assert.equal(
      await page.locator('[data-id="a"] .structured-answer pre code').textContent(),
      `${PRETTY}\n`,
    );
    assert.equal(await result(page, 'a').getAttribute('data-valid'), 'false');
    assert.equal(
      await result(page, 'a').locator('.schema-result-title').textContent(),
      'Not valid against invoice:',
    );
    assert.deepEqual(await result(page, 'a').locator('li').allTextContents(), [
      '/items/0/price: must be number',
      '/: must have required property "currency"',
      '… and 3 more',
    ]);
    assert.deepEqual(await result(page, 'a').locator('li code').allTextContents(), ['/items/0/price', '/']);
  });

  it('leaves an answer that is not JSON as it came and says so', async () => {
    const text = 'Sure, here is **the invoice**.';
    const parseError = 'Unexpected token \'S\', "Sure, here"... is not valid JSON';
    await answer(page, 'a', text, { schema: 'invoice', json: false, parseError, errors: [] });
    assert.equal(
      await page.locator('[data-id="a"] .structured-answer p').textContent(),
      'Sure, here is the invoice.',
    );
    assert.equal(await page.locator('[data-id="a"] .structured-answer strong').textContent(), 'the invoice');
    assert.equal(
      await result(page, 'a').textContent(),
      `Not JSON, so not checked against invoice: ${parseError}`,
    );
  });

  it('draws the same from a snapshot (a panel that was rebuilt)', async () => {
    const message: ViewMessage = {
      id: 'u',
      role: 'assistant',
      text: ANSWER,
      status: 'complete',
      structured: {
        schema: 'invoice',
        json: true,
        errors: [{ path: '/items/0/price', message: 'must be number' }],
      },
    };
    await deliver(page, { type: 'state', state: { messages: [message], model: 'm' } });
    await nextFrames(page);
    assert.equal(
      await page.locator('[data-id="u"] .structured-answer pre code').textContent(),
      `${PRETTY}\n`,
    );
    assert.deepEqual(await result(page, 'u').locator('li').allTextContents(), [
      '/items/0/price: must be number',
    ]);
    // A plain answer in the same chat has no verdict.
    await deliver(page, { type: 'append', message: streaming('p') });
    await deliver(page, update('p', { op: 'text', channel: 'content', at: 0, text: '{"a":1}' }), end('p'));
    assert.equal(await result(page, 'p').count(), 0);
  });

  it('asks the host for a schema from the menu and shows the active one as a removable chip', async () => {
    const chip = page.getByTestId('schema-chip');
    assert.equal(await chip.isVisible(), false);
    await page.getByTestId('params').click();
    await page.getByTestId('structured-output').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'pickSchema' });
    await deliver(page, { type: 'structured', name: 'invoice' });
    assert.equal(await chip.isVisible(), true);
    assert.equal(await chip.locator('.chip-label').textContent(), 'Schema: invoice');
    await page.getByTestId('schema-remove').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'clearSchema' });
    await deliver(page, { type: 'structured' });
    assert.equal(await chip.isVisible(), false);
  });
});

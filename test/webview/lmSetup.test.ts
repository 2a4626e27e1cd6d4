import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { deliver, pagePerTest, posted } from './harness';

describe('The empty panel’s setup steps', function () {
  this.timeout(60_000);
  let page: Page;
  pagePerTest((p) => (page = p));

  const base = { model: 'gpt-4o-mini', profile: 'Default', sendOn: 'enter' as const };

  it('are absent, with no extra DOM, while the host says nothing needs setting up', async () => {
    await deliver(page, { type: 'config', config: base });
    assert.equal(await page.getByTestId('setup').count(), 0);
    assert.equal(
      await page.locator('.empty').textContent(),
      'Select code and run "Ask About Selection", or type a question below.',
    );
  });

  it('offer base URL, key and check while nothing is set up, each posting its step; gone once set up', async () => {
    await deliver(page, { type: 'config', config: { ...base, setup: true } });
    const setup = page.getByTestId('setup');
    assert.equal(
      await setup.locator('.setup-intro').textContent(),
      'No endpoint is set up yet. Set the base URL of your relay and its API key, then check the endpoint.',
    );
    assert.deepEqual(await setup.locator('button').allTextContents(), [
      'Set Base URL',
      'Set API Key',
      'Check Endpoint',
    ]);
    await page.getByTestId('setup-base-url').click();
    await page.getByTestId('setup-api-key').click();
    await page.getByTestId('setup-check').click();
    assert.deepEqual((await posted(page)).slice(1), [
      { type: 'setup', action: 'baseUrl' },
      { type: 'setup', action: 'apiKey' },
      { type: 'setup', action: 'check' },
    ]);
    await deliver(page, { type: 'config', config: base });
    assert.equal(await setup.isVisible(), false);
  });
});

/** The error block's own actions: Open Settings for a settings problem, Show Log for a bug. */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { post, posted, pagePerTest } from './harness';

describe('webview error actions (Chromium)', function () {
  this.timeout(30_000);
  let page: Page;
  pagePerTest((p) => (page = p));

  it('a settings problem: named, Open Settings posts that setting, no Retry', async () => {
    await post(page, {
      type: 'append',
      message: {
        id: 'e1',
        role: 'error',
        text: 'Settings problem: relayChat.profiles',
        error: {
          kind: 'settings',
          title: 'Settings problem: relayChat.profiles',
          detail: 'relayChat.profiles is the text "oops"; expected a list.',
          hint: 'Correct it in the settings; the next message uses the new value.',
          setting: 'relayChat.profiles',
          retryable: false,
        },
      },
    });
    const error = page.locator('[data-role="error"]');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-error-kind'), 'settings');
    assert.equal(await error.locator('.error-title').textContent(), 'Settings problem: relayChat.profiles');
    assert.equal(await page.getByTestId('retry').count(), 0);
    assert.equal(await page.getByTestId('show-log').count(), 0);
    await page.getByTestId('open-settings').click();
    assert.deepEqual((await posted(page)).slice(1), [
      { type: 'openSettings', setting: 'relayChat.profiles' },
    ]);
  });

  it('an unexpected error: a plain sentence, Retry and Show Log', async () => {
    await post(page, {
      type: 'append',
      message: {
        id: 'e2',
        role: 'error',
        text: 'Relay Chat ran into an unexpected problem and could not finish this answer.',
        error: {
          kind: 'unexpected',
          title: 'Relay Chat ran into an unexpected problem and could not finish this answer.',
          hint: 'The details are in the log. Retry, or report it with the log attached.',
          retryable: true,
        },
      },
    });
    const error = page.locator('[data-role="error"]');
    await error.waitFor();
    assert.equal(await error.locator('.error-detail').count(), 0);
    assert.equal(await page.getByTestId('open-settings').count(), 0);
    await page.getByTestId('show-log').click();
    await page.getByTestId('retry').click();
    assert.deepEqual((await posted(page)).slice(1), [{ type: 'showLog' }, { type: 'retry' }]);
  });
});

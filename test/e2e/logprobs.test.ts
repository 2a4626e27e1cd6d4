/**
 * Token probabilities in a real VS Code (issue 10): the panel's toggle puts logprobs and
 * top_logprobs 5 on the request the fake endpoint receives, the settled answer shows as its tokens,
 * and hovering or focusing a token lists the alternatives the endpoint sent. An endpoint that
 * refuses logprobs answers anyway, with a notice.
 */
import assert from 'node:assert/strict';
import { sse } from '../fakeServer/fakeServer';
import { logprobsSse, type ScriptedToken } from '../fakeServer/logprobsStream';
import { catalogueEntry } from '../fakeServer/strictMode';
import { useWorkbench } from './fixture';
import { ensurePanel, reloadWindow } from './workbench';

const TOKENS: ScriptedToken[] = [
  {
    token: 'Blue',
    logprob: -0.0513,
    top: [
      { token: 'Blue', logprob: -0.0513 },
      { token: 'The', logprob: -3.2189 },
      { token: 'It', logprob: -4.6052 },
    ],
  },
  {
    token: ',',
    logprob: -0.6931,
    top: [
      { token: ',', logprob: -0.6931 },
      { token: '.', logprob: -0.9163 },
    ],
  },
  {
    token: ' mostly',
    logprob: -1.6094,
    top: [
      { token: ' mostly', logprob: -1.6094 },
      { token: ' usually', logprob: -1.8971 },
      { token: ' of', logprob: -2.3026 },
      { token: ' always', logprob: -2.9957 },
      { token: ' sometimes', logprob: -3.912 },
    ],
  },
  { token: '.', logprob: -0.0001, top: [{ token: '.', logprob: -0.0001 }] },
];

describe('Token probabilities in a real VS Code', function () {
  this.timeout(180_000);
  const wb = useWorkbench();
  const panel = () => wb.panel();
  const settled = (text: string) =>
    panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: text })
      .waitFor({ timeout: 30_000 });
  const popup = () => panel().locator('[data-testid="token-alternatives"]:visible');
  const popupRows = async () => {
    await popup().waitFor({ timeout: 10_000 });
    return popup()
      .locator('li')
      .evaluateAll((items) => items.map((li) => [...li.querySelectorAll('span')].map((s) => s.textContent)));
  };

  async function setToggle(on: boolean): Promise<void> {
    const toggle = panel().locator('[data-testid="logprobs-toggle"]');
    if (!(await toggle.isVisible())) await panel().locator('[data-testid="params"]').click();
    await toggle.setChecked(on);
    await panel().locator('[data-testid="params"]').click();
    await toggle.waitFor({ state: 'hidden' });
  }

  it('asks for logprobs when the toggle is on, then shows the tokens and their alternatives', async () => {
    await wb.newChat();
    await setToggle(true);
    wb.server.enqueue({ body: logprobsSse(TOKENS) });
    await wb.ask('What colour is the sky?');
    await settled('Blue');
    await wb.waitForRequests(1);
    const body = wb.lastBody();
    assert.equal(body.logprobs, true);
    assert.equal(body.top_logprobs, 5);

    const tokens = panel().locator('[data-role="assistant"] [data-role="token"]');
    await tokens.first().waitFor();
    assert.deepEqual(await tokens.allTextContents(), ['Blue', ',', ' mostly', '.']);
    assert.deepEqual(
      await tokens.evaluateAll((spans) =>
        spans.map((s) => (s as HTMLElement).style.getPropertyValue('--token-shade')),
      ),
      ['0.05', '0.50', '0.80', '0.00'],
    );

    await tokens.nth(2).hover();
    assert.deepEqual(await popupRows(), [
      ['␣mostly', '20.0%'],
      ['␣usually', '15.0%'],
      ['␣of', '10.0%'],
      ['␣always', '5.0%'],
      ['␣sometimes', '2.0%'],
    ]);

    // The keyboard reaches the same list: focus the first token, step right.
    await panel().locator('textarea[data-testid="composer"]').hover();
    await tokens.first().focus();
    await tokens.first().press('ArrowRight');
    assert.equal(await tokens.nth(1).evaluate((s) => s === document.activeElement), true);
    assert.deepEqual(await popupRows(), [
      [',', '50.0%'],
      ['.', '40.0%'],
    ]);
    await tokens.nth(1).press('Escape');
    await popup().waitFor({ state: 'hidden' });

    // The message's button goes back to the formatted answer.
    const answer = panel().locator('[data-role="assistant"]');
    await answer.hover();
    await answer.locator('[data-testid="token-probs"]').click();
    await tokens.first().waitFor({ state: 'detached' });
    assert.equal(await answer.locator('.body.markdown').textContent(), 'Blue, mostly.\n');
  });

  it('remembers the toggle across a window reload', async () => {
    await wb.newChat();
    await setToggle(true);
    await reloadWindow(wb.page);
    await ensurePanel(wb.page);
    await panel().locator('[data-testid="params"]').click();
    assert.equal(await panel().locator('[data-testid="logprobs-toggle"]').isChecked(), true);
    await panel().locator('[data-testid="params"]').click();
    wb.server.reset();
    wb.server.enqueue({ body: logprobsSse(TOKENS) });
    await wb.ask('Once more?');
    await settled('Blue');
    await wb.waitForRequests(1);
    assert.equal(wb.lastBody().logprobs, true);
    assert.deepEqual(await panel().locator('[data-role="assistant"] [data-role="token"]').allTextContents(), [
      'Blue',
      ',',
      ' mostly',
      '.',
    ]);
    await setToggle(false);
  });

  // Last: the refusal is remembered for this host and model, and later requests leave logprobs out.
  it('an endpoint that refuses logprobs answers without them and says so', async () => {
    await wb.newChat();
    await setToggle(true);
    wb.server.setStrict(catalogueEntry('groq-logprobs'));
    try {
      wb.server.enqueue({ body: sse('Blue, without probabilities.') });
      await wb.ask('And at night?');
      await settled('without probabilities');
      assert.equal(wb.server.refused.length, 1);
      assert.equal((wb.server.refused[0].body as { logprobs?: unknown }).logprobs, true);
      const body = wb.lastBody();
      assert.equal(body.logprobs, undefined);
      assert.equal(body.top_logprobs, undefined);
      const answer = panel().locator('[data-role="assistant"]');
      assert.deepEqual(await answer.locator('.notice').allTextContents(), [
        'This endpoint refused logprobs; asked without it.',
      ]);
      assert.equal(await answer.locator('[data-role="token"], [data-testid="token-probs"]').count(), 0);
    } finally {
      wb.server.setStrict(undefined);
      await setToggle(false);
    }
  });
});

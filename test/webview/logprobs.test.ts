/**
 * Token probabilities in the real bundle (Chromium, production CSP): the toggle, tokens shaded by
 * probability once the answer settles, the alternatives on hover and focus, and nothing of it
 * while the answer streams or when the toggle is off.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TokenProbability } from '../../src/common/logprobs/tokenLogprobs';
import type { PanelOptions, ViewMessage } from '../../src/common/panel/protocol';
import { deliver, nextFrames, pagePerTest, posted } from './harness';
import { Script, end, update } from './updates';

const TOKENS: TokenProbability[] = [
  {
    token: 'The',
    logprob: -0.0101,
    top: [
      { token: 'The', logprob: -0.0101 },
      { token: 'A', logprob: -4.6052 },
    ],
  },
  {
    token: ' sky',
    logprob: -0.6931,
    top: [
      { token: ' sky', logprob: -0.6931 },
      { token: ' sea', logprob: -1.204 },
      { token: ' grass', logprob: -2.3026 },
      { token: '\n', logprob: -9.5 },
    ],
  },
  { token: ' is **blue**.', logprob: -2.3026 },
];
const TEXT = TOKENS.map((t) => t.token).join('');

async function state(page: Page, options: PanelOptions, messages: ViewMessage[] = []) {
  await deliver(page, { type: 'state', state: { model: 'm', messages, options } });
}

/** Streams the answer the way the host posts it: text and its tokens, then the end. */
async function streamAnswer(page: Page, id: string, tokens = TOKENS): Promise<void> {
  const script = new Script();
  await deliver(page, { type: 'append', message: { id, role: 'assistant', text: '', status: 'streaming' } });
  for (const [i, t] of tokens.entries()) {
    await deliver(page, script.text(id, t.token), update(id, { op: 'logprobs', at: i, tokens: [t] }));
  }
  await nextFrames(page);
}

const tokenTexts = (page: Page, id: string) =>
  page.locator(`[data-id="${id}"] [data-role="token"]`).allTextContents();

const shades = (page: Page, id: string) =>
  page
    .locator(`[data-id="${id}"] [data-role="token"]`)
    .evaluateAll((spans) => spans.map((s) => (s as HTMLElement).style.getPropertyValue('--token-shade')));

/** The open popup as the reader sees it: caption, then each row's token and percentage. */
async function popupRows(page: Page): Promise<{ caption: string; rows: string[][]; chosen: string[] }> {
  const popup = page.locator('[data-testid="token-alternatives"]:visible');
  await popup.waitFor();
  return {
    caption: (await popup.locator('.token-caption').textContent()) ?? '',
    rows: await popup
      .locator('li')
      .evaluateAll((items) =>
        items.map((li) => [...li.querySelectorAll('span')].map((span) => span.textContent ?? '')),
      ),
    chosen: await popup.locator('li.chosen .alt-token').allTextContents(),
  };
}

describe('webview token probabilities (Chromium)', function () {
  this.timeout(30_000);
  let page: Page;
  pagePerTest((p) => (page = p));

  it('the toggle in the parameters menu asks the host for logprobs, and shows what the host holds', async () => {
    await state(page, { logprobs: true, maxTokens: 64 });
    await page.getByTestId('params').click();
    const toggle = page.getByTestId('logprobs-toggle');
    assert.equal(await toggle.isChecked(), true);
    await toggle.uncheck();
    await toggle.check();
    assert.deepEqual((await posted(page)).slice(1), [
      { type: 'setOptions', options: { maxTokens: 64 } },
      { type: 'setOptions', options: { maxTokens: 64, logprobs: true } },
    ]);
    const label = await page.locator('label', { has: toggle }).locator('span').textContent();
    assert.equal(label, 'Token probabilities');
  });

  it('streams as markdown, then shows the settled answer as tokens shaded by probability', async () => {
    await state(page, { logprobs: true });
    await streamAnswer(page, 'a');
    // While streaming: the markdown path only, no token DOM.
    assert.equal(await page.locator('[data-role="token"]').count(), 0);
    assert.equal(await page.locator('[data-id="a"] .body.markdown strong').textContent(), 'blue');
    await deliver(page, end('a'));
    assert.deepEqual(await tokenTexts(page, 'a'), ['The', ' sky', ' is **blue**.']);
    assert.deepEqual(await shades(page, 'a'), ['0.01', '0.50', '0.90']);
    assert.equal(await page.locator('[data-id="a"] .body.markdown').isHidden(), true);
    assert.equal(await page.getByTestId('token-view').textContent(), TEXT);
    const button = page.locator('[data-id="a"] [data-testid="token-probs"]');
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    assert.equal(await button.getAttribute('aria-label'), 'Show token probabilities');
    // The shade is what the stylesheet paints: the least likely token has the strongest background.
    const alphas = await page
      .locator('[data-id="a"] [data-role="token"]')
      .evaluateAll((spans) => spans.map((s) => getComputedStyle(s).backgroundColor));
    const alpha = (c: string) => Math.round(Number(/\/\s*([\d.]+)\)$/.exec(c)?.[1]) * 1000) / 1000;
    assert.deepEqual(alphas.map(alpha), [0.006, 0.3, 0.54], alphas.join(' | '));
  });

  it('hovering a token lists its alternatives with their percentages; the arrow keys and Escape work too', async () => {
    await state(page, { logprobs: true });
    await streamAnswer(page, 'a');
    await deliver(page, end('a'));
    const tokens = page.locator('[data-id="a"] [data-role="token"]');
    await tokens.nth(1).hover();
    assert.deepEqual(await popupRows(page), {
      caption: 'Alternatives for ␣sky',
      rows: [
        ['␣sky', '50.0%'],
        ['␣sea', '30.0%'],
        ['␣grass', '10.0%'],
        ['↵', '<0.1%'],
      ],
      chosen: ['␣sky'],
    });
    assert.equal(await page.locator('[data-testid="token-alternatives"]').count(), 1);

    // Keyboard: one tab stop, arrows move, the popup follows focus.
    await page.mouse.move(0, 0);
    await tokens.nth(0).focus();
    assert.deepEqual(await popupRows(page), {
      caption: 'Alternatives for The',
      rows: [
        ['The', '99.0%'],
        ['A', '1.0%'],
      ],
      chosen: ['The'],
    });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    // No alternatives sent for this token: the token itself is listed.
    assert.deepEqual(await popupRows(page), {
      caption: 'Alternatives for ␣is␣**blue**.',
      rows: [['␣is␣**blue**.', '10.0%']],
      chosen: ['␣is␣**blue**.'],
    });
    assert.deepEqual(
      await tokens.evaluateAll((spans) => spans.map((s) => (s as HTMLElement).tabIndex)),
      [-1, -1, 0],
    );
    const describedBy = await tokens.nth(2).getAttribute('aria-describedby');
    assert.equal(describedBy, await page.getByTestId('token-alternatives').getAttribute('id'));
    await page.keyboard.press('Escape');
    assert.equal(await page.getByTestId('token-alternatives').isHidden(), true);
  });

  it('with the toggle off the answer stays formatted; the message button shows the tokens on demand', async () => {
    await state(page, {});
    await streamAnswer(page, 'a');
    await deliver(page, end('a'));
    assert.equal(await page.locator('[data-role="token"]').count(), 0);
    assert.equal(await page.locator('[data-id="a"] .body.markdown').textContent(), 'The sky is blue.\n');
    const button = page.locator('[data-id="a"] [data-testid="token-probs"]');
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    await page.locator('[data-id="a"]').hover();
    await button.click();
    assert.deepEqual(await tokenTexts(page, 'a'), ['The', ' sky', ' is **blue**.']);
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    await button.click();
    assert.equal(await page.locator('[data-role="token"]').count(), 0);
    assert.equal(await page.locator('[data-id="a"] .body.markdown').isVisible(), true);
  });

  it('an answer without token probabilities has no button; a snapshot with them shows them', async () => {
    await state(page, { logprobs: true }, [
      { id: 'plain', role: 'assistant', text: 'No tokens here.', status: 'complete' },
      { id: 'b', role: 'assistant', text: TEXT, status: 'complete', logprobs: TOKENS },
    ]);
    assert.equal(await page.locator('[data-id="plain"] [data-testid="token-probs"]').count(), 0);
    assert.deepEqual(await tokenTexts(page, 'b'), ['The', ' sky', ' is **blue**.']);
  });

  it('Continue goes back to the formatted answer while it streams, then shows all the tokens', async () => {
    await state(page, { logprobs: true });
    await streamAnswer(page, 'a', TOKENS.slice(0, 2));
    await deliver(page, end('a', 'incomplete'));
    assert.deepEqual(await tokenTexts(page, 'a'), ['The', ' sky']);
    await deliver(page, update('a', { op: 'status', status: 'streaming' }));
    assert.equal(await page.locator('[data-role="token"]').count(), 0);
    assert.equal(await page.locator('[data-id="a"] [data-testid="token-probs"]').count(), 0);
    await deliver(
      page,
      update(
        'a',
        { op: 'text', channel: 'content', at: 7, text: TOKENS[2].token },
        { op: 'logprobs', at: 2, tokens: [TOKENS[2]] },
      ),
    );
    await deliver(page, end('a'));
    assert.deepEqual(await tokenTexts(page, 'a'), ['The', ' sky', ' is **blue**.']);
  });

  it('puts token text in as text: markup from the model stays inert', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    await state(page, { logprobs: true }, [
      {
        id: 'h',
        role: 'assistant',
        text: hostile,
        status: 'complete',
        logprobs: [{ token: hostile, logprob: -0.1, top: [{ token: '<b>x</b>', logprob: -3 }] }],
      },
    ]);
    assert.deepEqual(await tokenTexts(page, 'h'), [hostile]);
    await page.locator('[data-role="token"]').hover();
    const rows = await popupRows(page);
    assert.deepEqual(rows.rows, [['<b>x</b>', '5.0%']]);
    assert.equal(await page.locator('[data-id="h"] img, [data-id="h"] b').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
  });
});

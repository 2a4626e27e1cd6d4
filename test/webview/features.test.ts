import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ViewMessage } from '../../src/common/panel/protocol';
import { deliver, nextFrames, posted, pagePerTest, type TestWindow } from './harness';
import { Script, end, update } from './updates';

/** A 1×1 PNG. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;

const CODE = 'if (a < b && c > 0) {\n  return "<tag>&amp;";\n}\n';
const ANSWER_WITH_CODE = `Here:\n\n\`\`\`typescript\n${CODE}\`\`\`\n\nDone.`;

const assistant = (id: string, text: string, extra: Partial<ViewMessage> = {}): ViewMessage => ({
  id,
  role: 'assistant',
  text,
  status: 'complete',
  ...extra,
});

/** Everything posted after `ready`. */
async function sent(page: Page): Promise<unknown[]> {
  return (await posted(page)).slice(1);
}

/**
 * Sent messages with image attachments reduced to what the pipeline decided (name, sent size):
 * their bytes are the encoder's (test/webview/images.test.ts checks those).
 */
async function sentShapes(page: Page): Promise<unknown[]> {
  return (await sent(page)).map((m) => {
    const msg = m as { attachments?: Record<string, unknown>[] };
    if (!msg.attachments) return m;
    const attachments = msg.attachments.map((a) => {
      if (a.kind !== 'image') return a;
      assert.match(String(a.dataUrl), /^data:image\/(png|webp);base64,/);
      return { kind: a.kind, name: a.name, width: a.width, height: a.height };
    });
    return { ...msg, attachments };
  });
}

async function stubClipboard(page: Page): Promise<void> {
  await page.evaluate(() => {
    const win = window as unknown as { __copied: string[] };
    win.__copied = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void win.__copied.push(text) },
    });
  });
}

describe('webview panel features (Chromium)', function () {
  this.timeout(30_000);
  let page: Page;
  pagePerTest((p) => (page = p));

  it('shows a streamed refusal as a distinct block', async () => {
    await deliver(page, {
      type: 'append',
      message: assistant('a', '', { status: 'streaming', requestId: 'r' }),
    });
    await deliver(
      page,
      update('a', { op: 'text', channel: 'refusal', at: 0, text: "I can't help " }),
      update('a', { op: 'text', channel: 'refusal', at: 13, text: 'with that.' }),
    );
    await nextFrames(page);
    await deliver(page, end('a'));
    const refusal = page.locator('[data-id="a"] .refusal');
    assert.equal(await refusal.locator('.refusal-label').textContent(), 'The model declined');
    assert.equal(await refusal.locator('.refusal-text').textContent(), "I can't help with that.");
  });

  it('adds notices as muted lines inside their message', async () => {
    await deliver(
      page,
      { type: 'append', message: assistant('a', '', { status: 'streaming', requestId: 'r' }) },
      update('a', { op: 'notice', index: 0, text: 'Retrying in 2 s (1 of 3)…' }),
      update('a', {
        op: 'notice',
        index: 1,
        text: 'This endpoint refused stream_options; asked without it.',
      }),
      // The same notice again (a batch that a snapshot already held) is not shown twice.
      update('a', {
        op: 'notice',
        index: 1,
        text: 'This endpoint refused stream_options; asked without it.',
      }),
      update('missing', { op: 'notice', index: 0, text: 'ignored' }),
    );
    assert.deepEqual(await page.locator('[data-id="a"] .notice').allTextContents(), [
      'Retrying in 2 s (1 of 3)…',
      'This endpoint refused stream_options; asked without it.',
    ]);
  });

  it('shows usage per turn and the chat total', async () => {
    const total = page.getByTestId('usage-total');
    assert.equal(await total.isVisible(), false);
    await deliver(
      page,
      { type: 'append', message: assistant('a1', 'one') },
      { type: 'append', message: assistant('a2', 'two') },
      update('a1', { op: 'usage', usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }),
      update('a2', {
        op: 'usage',
        usage: {
          prompt_tokens: 1000,
          completion_tokens: 200,
          total_tokens: 1200,
          completion_tokens_details: { reasoning_tokens: 150 },
        },
      }),
    );
    assert.equal(await page.locator('[data-id="a1"] [data-testid="usage"]').textContent(), '10 → 5 tokens');
    assert.equal(
      await page.locator('[data-id="a2"] [data-testid="usage"]').textContent(),
      '1,000 → 200 tokens (150 reasoning)',
    );
    assert.equal(
      await page.locator('[data-id="a2"] [data-testid="usage"]').getAttribute('title'),
      '1,000 prompt + 200 completion = 1,200 tokens',
    );
    assert.equal(await total.textContent(), '1,215 tokens');
    assert.equal(await total.isVisible(), true);
    await deliver(page, { type: 'remove', messageId: 'a2' });
    assert.equal(await total.textContent(), '15 tokens');
  });

  it('shows what each answer cost and the total, with ≈ where the tokens were estimated', async () => {
    const total = page.getByTestId('usage-total');
    await deliver(
      page,
      { type: 'append', message: assistant('c1', 'one') },
      { type: 'append', message: assistant('c2', 'two') },
      update('c1', {
        op: 'usage',
        usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
      }),
      update('c1', { op: 'cost', usd: 0.0075 }),
    );
    assert.equal(
      await page.locator('[data-id="c1"] [data-testid="usage"]').textContent(),
      '1,000 → 500 tokens · $0.0075',
    );
    assert.equal(await total.textContent(), '1,500 tokens · $0.0075');
    await deliver(
      page,
      update('c2', {
        op: 'usage',
        usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 },
        estimated: true,
      }),
      update('c2', { op: 'cost', usd: 0.0025 }),
    );
    assert.equal(
      await page.locator('[data-id="c2"] [data-testid="usage"]').textContent(),
      '≈12 → 30 tokens · ≈$0.0025',
    );
    assert.equal(await total.textContent(), '≈1,542 tokens · ≈$0.01');
  });

  it('renders tool calls as collapsible blocks with pretty JSON arguments', async () => {
    await deliver(
      page,
      { type: 'append', message: assistant('a', '', { status: 'streaming', requestId: 'r' }) },
      update('a', {
        op: 'toolCalls',
        calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris","days":[1,2]}' },
          },
          { id: 'c2', type: 'function', function: { name: 'broken', arguments: '{"city":' } },
        ],
      }),
    );
    const tools = page.locator('[data-id="a"] details[data-role="tool"]');
    assert.equal(await tools.count(), 2);
    assert.equal(await tools.nth(0).locator('.tool-name').textContent(), 'get_weather');
    assert.equal(await tools.nth(0).locator('.tool-status').textContent(), 'Receiving…');
    assert.equal(
      await tools.nth(0).locator('pre').textContent(),
      JSON.stringify({ city: 'Paris', days: [1, 2] }, null, 2),
    );
    assert.equal(await tools.nth(1).locator('pre').textContent(), '{"city":');
    assert.equal(await tools.nth(0).evaluate((d: HTMLDetailsElement) => d.open), false);
    await tools.nth(0).locator('summary').click();
    assert.equal(await tools.nth(0).evaluate((d: HTMLDetailsElement) => d.open), true);
    await deliver(page, end('a'));
    assert.equal(await tools.nth(0).locator('.tool-status').textContent(), 'Requested');
  });

  it('switches between alternatives with prev/next, each rendered as markdown', async () => {
    await stubClipboard(page);
    await deliver(
      page,
      { type: 'append', message: assistant('a', 'First **one**', { status: 'streaming' }) },
      update(
        'a',
        { op: 'text', channel: 'alt:0', at: 0, text: 'Second *two*' },
        { op: 'text', channel: 'alt:1', at: 0, text: 'Third `three`' },
        { op: 'status', status: 'complete' },
      ),
    );
    const message = page.locator('[data-id="a"]');
    const position = message.getByTestId('alt-position');
    const shown = async () => (await message.locator('.body:not([hidden])').innerHTML()).trim();
    assert.equal(await position.textContent(), '1 / 3');
    assert.equal(await shown(), '<p>First <strong>one</strong></p>');
    await message.getByTestId('alt-next').click();
    assert.equal(await position.textContent(), '2 / 3');
    assert.equal(await shown(), '<p>Second <em>two</em></p>');
    await message.getByTestId('copy-message').click();
    await message.getByTestId('alt-next').click();
    assert.equal(await shown(), '<p>Third <code>three</code></p>');
    await message.getByTestId('alt-next').click();
    assert.equal(await position.textContent(), '1 / 3', 'wraps around');
    await message.getByTestId('alt-prev').click();
    assert.equal(await position.textContent(), '3 / 3');
    assert.equal(await message.locator('.body:not([hidden])').count(), 1);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied), [
      'Second *two*',
    ]);
  });

  it('shows the usage of the choice on screen: a picked compare answer’s alternatives have their own', async () => {
    await deliver(page, {
      type: 'append',
      message: assistant('p', 'Picked answer', {
        model: 'gpt-4o',
        usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
        cost: 0.0006,
        alternatives: ['Other answer', 'An answer without usage'],
        choiceLabels: ['relay/gpt-4o', 'relay/deepseek-chat', 'relay/qwen'],
        alternativeUsage: [
          {
            model: 'deepseek-chat',
            usage: { prompt_tokens: 200, completion_tokens: 100 },
            usageEstimated: true,
          },
          {},
        ],
      }),
    });
    const message = page.locator('[data-id="p"]');
    const usage = message.getByTestId('usage');
    assert.equal(await usage.textContent(), '100 → 50 tokens · $0.0006');
    await message.getByTestId('alt-next').click();
    assert.equal(await message.getByTestId('alt-label').textContent(), 'relay/deepseek-chat');
    assert.equal(await usage.textContent(), '≈200 → 100 tokens');
    await message.getByTestId('alt-next').click();
    assert.equal(await usage.count(), 0, 'an answer with no usage shows none, not the picked one’s');
    await message.getByTestId('alt-next').click();
    assert.equal(await usage.textContent(), '100 → 50 tokens · $0.0006');
  });

  it('applies config: model/profile pickers, Ctrl+Enter sending, no attach button without vision', async () => {
    await deliver(page, {
      type: 'config',
      config: { model: 'gpt-x', profile: 'work', sendOn: 'ctrlEnter', vision: false },
    });
    const model = page.getByTestId('model-picker');
    const profile = page.getByTestId('profile-picker');
    assert.equal(await model.textContent(), 'gpt-x');
    assert.equal(await profile.textContent(), 'work');
    assert.equal(await model.getAttribute('aria-label'), 'Choose model (current: gpt-x)');
    await model.click();
    await profile.click();
    assert.equal(await page.getByTestId('attach-image').isVisible(), false);

    const composer = page.getByTestId('composer');
    assert.match((await composer.getAttribute('placeholder')) ?? '', /Ctrl\+Enter to send/);
    await composer.focus();
    await composer.pressSequentially('line one');
    await page.keyboard.press('Enter');
    await composer.pressSequentially('line two');
    assert.equal(await composer.inputValue(), 'line one\nline two');
    await page.keyboard.press('Control+Enter');
    assert.deepEqual(await sent(page), [
      { type: 'pickModel' },
      { type: 'pickProfile' },
      { type: 'send', text: 'line one\nline two' },
    ]);

    await deliver(page, {
      type: 'config',
      config: { model: 'gpt-x', profile: 'work', sendOn: 'enter', vision: true },
    });
    assert.equal(await page.getByTestId('attach-image').isVisible(), true);
    await composer.pressSequentially('quick');
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page)).at(-1), { type: 'send', text: 'quick' });
  });

  it('offers the editor selection as a chip, sent with includeSelection until removed', async () => {
    const chip = page.locator('[data-testid="context-chip"][data-kind="selection"]');
    const composer = page.getByTestId('composer');
    assert.equal(await chip.isVisible(), false);
    await deliver(page, { type: 'selection', label: 'src/a.ts:3-7' });
    assert.equal(await chip.isVisible(), true);
    assert.match((await chip.textContent()) ?? '', /src\/a\.ts:3-7/);
    await composer.fill('explain');
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page)).at(-1), { type: 'send', text: 'explain', includeSelection: true });
    assert.equal(await chip.isVisible(), false, 'hidden after the send');
    await deliver(page, { type: 'selection', label: 'src/a.ts:3-7' });
    assert.equal(await chip.isVisible(), false, 'the same selection does not come back');
    await deliver(page, { type: 'selection', label: 'src/b.ts:1-2' });
    assert.equal(await chip.isVisible(), true);
    await chip.getByRole('button').click();
    assert.equal(await chip.isVisible(), false);
    await composer.fill('without');
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page)).at(-1), { type: 'send', text: 'without' });
    await deliver(page, { type: 'selection' }, { type: 'selection', label: 'src/b.ts:1-2' });
    assert.equal(await chip.isVisible(), true, 'a selection made again after clearing is offered');
  });

  it('copies a message as raw markdown, with the fallback when the Clipboard API is missing', async () => {
    await stubClipboard(page);
    await deliver(
      page,
      { type: 'append', message: { id: 'u', role: 'user', text: 'plain <b>question</b>' } },
      { type: 'append', message: assistant('a', '# Title\n\n**bold** text') },
    );
    await page.locator('[data-id="a"]').getByTestId('copy-message').click();
    await page.locator('[data-id="u"]').getByTestId('copy-message').click();
    await page.waitForSelector('[data-id="u"] [data-testid="copy-message"][data-copied="true"]');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied), [
      '# Title\n\n**bold** text',
      'plain <b>question</b>',
    ]);
    await page.evaluate(() =>
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined }),
    );
    const button = page.locator('[data-id="a"]').getByTestId('copy-message');
    await button.click();
    await page.waitForSelector('[data-id="a"] [data-testid="copy-message"][data-copied]');
  });

  it('offers Regenerate only on the last assistant message when nothing streams', async () => {
    await deliver(
      page,
      { type: 'append', message: { id: 'u1', role: 'user', text: 'q1' } },
      { type: 'append', message: assistant('a1', 'first') },
      { type: 'append', message: { id: 'u2', role: 'user', text: 'q2' } },
      { type: 'append', message: assistant('a2', 'second') },
    );
    const regenerate = page.getByTestId('regenerate');
    assert.equal(await regenerate.count(), 1);
    assert.equal(await page.locator('[data-id="a2"] [data-testid="regenerate"]').count(), 1);
    assert.equal(await regenerate.getAttribute('aria-label'), 'Regenerate the last answer');
    await regenerate.click();
    assert.deepEqual(await sent(page), [{ type: 'regenerate' }]);

    await deliver(page, {
      type: 'append',
      message: assistant('a3', '', { status: 'streaming', requestId: 'r' }),
    });
    assert.equal(await regenerate.count(), 0, 'not while streaming');
    await deliver(page, end('a3'));
    assert.equal(await page.locator('[data-id="a3"] [data-testid="regenerate"]').count(), 1);
    await deliver(page, { type: 'remove', messageId: 'a3' });
    assert.equal(await page.locator('[data-id="a2"] [data-testid="regenerate"]').count(), 1);
  });

  it('posts delete for a message, and the actions are reachable with Tab', async () => {
    await deliver(
      page,
      { type: 'append', message: { id: 'u', role: 'user', text: 'q' } },
      { type: 'append', message: assistant('a', 'answer') },
    );
    const del = page.locator('[data-id="a"]').getByTestId('delete-message');
    assert.equal(await del.getAttribute('aria-label'), 'Delete message');
    assert.equal(
      await del.evaluate((b) => getComputedStyle(b.parentElement!).opacity),
      '0',
      'hidden until hover',
    );
    await page.locator('[data-id="u"]').getByTestId('delete-message').click();
    await page.locator('[data-id="a"]').getByTestId('copy-message').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      'delete-message',
    );
    assert.equal(
      await del.evaluate((b) => getComputedStyle(b.parentElement!).opacity),
      '1',
      'focus shows them',
    );
    await page.keyboard.press('Enter');
    assert.deepEqual(await sent(page), [
      { type: 'delete', messageId: 'u' },
      { type: 'delete', messageId: 'a' },
    ]);
  });

  it('edits a user message inline: Escape cancels, Enter saves and resends', async () => {
    await deliver(page, { type: 'append', message: { id: 'u', role: 'user', text: 'old question' } });
    const message = page.locator('[data-id="u"]');
    await message.getByTestId('edit-message').click();
    const box = message.getByTestId('edit-box');
    assert.equal(await box.inputValue(), 'old question');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'edit-box');
    assert.equal(await message.locator('.body').isVisible(), false);
    await page.keyboard.press('Escape');
    assert.equal(await box.count(), 0);
    assert.equal(await message.locator('.body').textContent(), 'old question');
    assert.deepEqual(await sent(page), []);

    await message.getByTestId('edit-message').click();
    await box.fill('new question');
    await page.keyboard.press('Shift+Enter');
    await box.pressSequentially('more');
    await page.keyboard.press('Enter');
    assert.deepEqual(await sent(page), [{ type: 'edit', messageId: 'u', text: 'new question\nmore' }]);
    assert.equal(await box.count(), 0);

    await message.getByTestId('edit-message').click();
    await box.fill('by button');
    await message.getByTestId('edit-save').click();
    await message.getByTestId('edit-message').click();
    await message.getByTestId('edit-cancel').click();
    assert.deepEqual((await sent(page)).at(-1), { type: 'edit', messageId: 'u', text: 'by button' });
    assert.equal((await sent(page)).length, 2);
  });

  it('posts showHistory and export from the header', async () => {
    await page.getByTestId('history').click();
    await page.getByTestId('export').click();
    assert.deepEqual(await sent(page), [{ type: 'showHistory' }, { type: 'export' }]);
    assert.equal(await page.getByTestId('history').getAttribute('aria-label'), 'Show chat history');
  });

  it('sets parameters from the menu, posting only the fields that are set', async () => {
    await deliver(page, {
      type: 'state',
      state: { model: 'm', messages: [], options: { maxTokens: 512, jsonMode: true } },
    });
    const params = page.getByTestId('params');
    assert.equal(await params.getAttribute('aria-expanded'), 'false');
    await params.click();
    assert.equal(await params.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.getByTestId('param-max-tokens').inputValue(), '512');
    assert.equal(await page.getByTestId('param-json').isChecked(), true);
    assert.equal(await page.getByTestId('param-temperature').inputValue(), '');

    await page.getByTestId('param-temperature').fill('0.7');
    await page.getByTestId('param-temperature').press('Tab');
    await page.getByTestId('param-effort').selectOption('high');
    await page.getByTestId('param-max-tokens').fill('');
    await page.getByTestId('param-max-tokens').dispatchEvent('change');
    await page.getByTestId('param-json').uncheck();
    await page.getByTestId('param-temperature').fill('');
    await page.getByTestId('param-temperature').dispatchEvent('change');
    assert.deepEqual(await sent(page), [
      { type: 'setOptions', options: { temperature: 0.7, maxTokens: 512, jsonMode: true } },
      {
        type: 'setOptions',
        options: { temperature: 0.7, maxTokens: 512, reasoningEffort: 'high', jsonMode: true },
      },
      { type: 'setOptions', options: { temperature: 0.7, reasoningEffort: 'high', jsonMode: true } },
      { type: 'setOptions', options: { temperature: 0.7, reasoningEffort: 'high' } },
      { type: 'setOptions', options: { reasoningEffort: 'high' } },
    ]);
    await page.getByTestId('param-effort').press('Escape');
    assert.equal(await params.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'params');
  });

  it('hands the raw code of a block to the host: insert, apply, open', async () => {
    await deliver(page, { type: 'append', message: assistant('a', ANSWER_WITH_CODE) });
    const block = page.locator('[data-id="a"] .code-block');
    await block.locator('.hljs-keyword').first().waitFor({ timeout: 5000 });
    for (const action of ['insert', 'apply', 'open']) await block.getByTestId(`code-${action}`).click();
    assert.deepEqual(await sent(page), [
      { type: 'code', action: 'insert', code: CODE, language: 'typescript' },
      { type: 'code', action: 'apply', code: CODE, language: 'typescript' },
      { type: 'code', action: 'open', code: CODE, language: 'typescript' },
    ]);
    assert.equal(
      await block.getByTestId('code-apply').getAttribute('aria-label'),
      'Apply code to the editor (typescript)',
    );
  });

  it('code buttons work on blocks rendered while streaming, except on the block still growing', async () => {
    await deliver(page, {
      type: 'append',
      message: assistant('a', '', { status: 'streaming', requestId: 'r' }),
    });
    await deliver(
      page,
      update('a', {
        op: 'text',
        channel: 'content',
        at: 0,
        text: '```\nfirst\n```\n\nbetween\n\nmore text\n\n```js\nlet x = 1 <',
      }),
    );
    await nextFrames(page);
    const blocks = page.locator('[data-id="a"] .code-block');
    assert.equal(await blocks.count(), 2);
    await blocks.nth(1).getByTestId('code-insert').click();
    await blocks.nth(0).getByTestId('code-insert').click();
    assert.deepEqual(await sent(page), [{ type: 'code', action: 'insert', code: 'first\n' }]);
    await deliver(page, end('a'));
    await blocks.nth(1).getByTestId('code-insert').click();
    assert.deepEqual((await sent(page)).at(-1), {
      type: 'code',
      action: 'insert',
      code: 'let x = 1 <',
      language: 'js',
    });
  });

  it('cycles sent messages with Up/Down at the ends of the composer, kept across a reload', async () => {
    const composer = page.getByTestId('composer');
    for (const text of ['first', 'second\nline', 'third']) {
      await composer.fill(text);
      await page.keyboard.press('Enter');
    }
    await composer.fill('draft');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowUp');
    assert.equal(await composer.inputValue(), 'third');
    await page.keyboard.press('ArrowUp');
    assert.equal(await composer.inputValue(), 'second\nline');
    await page.keyboard.press('ArrowUp');
    assert.equal(await composer.inputValue(), 'first');
    await page.keyboard.press('ArrowUp');
    assert.equal(await composer.inputValue(), 'first', 'stops at the oldest');
    await page.keyboard.press('ArrowDown');
    assert.equal(await composer.inputValue(), 'first', 'Down only acts with the caret at the end');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowDown');
    assert.equal(await composer.inputValue(), 'second\nline');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await composer.inputValue(), 'draft', 'back to what was being typed');

    await page.reload();
    await page.waitForFunction(() => (window as unknown as TestWindow).__posted.length > 0);
    assert.equal(await composer.inputValue(), 'draft');
    await composer.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowUp');
    assert.equal(await composer.inputValue(), 'third');
  });

  it('attaches pasted and dropped images and dropped explorer files, removes and sends them', async () => {
    // One at a time: images are read asynchronously, so chips appear in the order reads finish.
    await page.evaluate(async (base64) => {
      const png = () =>
        new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'dot.png', { type: 'image/png' });
      const composer = document.querySelector('[data-testid="composer"]')!;
      const chips = (n: number) =>
        new Promise<void>((resolve) => {
          const check = () =>
            document.querySelectorAll('[data-testid="attachment"]').length >= n
              ? resolve()
              : setTimeout(check, 10);
          check();
        });
      const pasted = new DataTransfer();
      pasted.items.add(png());
      composer.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }),
      );
      await chips(1);
      const dropped = new DataTransfer();
      dropped.items.add(png());
      const drop = new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true });
      composer.dispatchEvent(drop);
      if (!drop.defaultPrevented) throw new Error('the drop was not taken');
      await chips(2);
      const uris = new DataTransfer();
      uris.setData(
        'text/uri-list',
        '# from the explorer\r\nfile:///work/src/a%20b.ts\r\nfile:///work/README.md',
      );
      composer.dispatchEvent(new DragEvent('drop', { dataTransfer: uris, bubbles: true, cancelable: true }));
      const text = new DataTransfer();
      text.items.add(new File(['x'], 'notes.txt', { type: 'text/plain' }));
      text.items.add(new File([new Uint8Array(20 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' }));
      composer.dispatchEvent(new DragEvent('drop', { dataTransfer: text, bubbles: true, cancelable: true }));
    }, PNG_BASE64);
    const chips = page.getByTestId('attachment');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="attachment"]').length === 4);
    assert.equal(await chips.nth(2).textContent(), 'a b.ts');
    assert.equal(
      await chips.nth(2).getByTestId('attachment-remove').getAttribute('aria-label'),
      'Remove a b.ts',
    );
    assert.match(
      (await chips.nth(0).locator('img').getAttribute('src')) ?? '',
      /^data:image\/(png|webp);base64,/,
    );
    assert.equal(
      await page.locator('.composer-note').textContent(),
      'notes.txt is not a PNG, JPEG, GIF or WebP image. huge.png is larger than 20 MB.',
    );

    await chips.nth(1).getByTestId('attachment-remove').click();
    assert.equal(await chips.count(), 3);
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Remove a b.ts',
      'focus moves to the next chip',
    );
    await page.getByTestId('send').click();
    assert.deepEqual(await sentShapes(page), [
      {
        type: 'send',
        text: '',
        attachments: [
          { kind: 'image', name: 'dot.png', width: 1, height: 1 },
          { kind: 'file', name: 'a b.ts', uri: 'file:///work/src/a%20b.ts' },
          { kind: 'file', name: 'README.md', uri: 'file:///work/README.md' },
        ],
      },
    ]);
    assert.equal(await chips.count(), 0);
    await page.getByTestId('send').click();
    assert.equal((await sent(page)).length, 1, 'nothing to send without text or attachments');
  });

  it('attaches images chosen with the attach button', async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('attach-image').click();
    await (
      await chooser
    ).setFiles({ name: 'pick.png', mimeType: 'image/png', buffer: Buffer.from(PNG_BASE64, 'base64') });
    await page.getByTestId('attachment').waitFor();
    await page.getByTestId('composer').fill('what is this?');
    await page.keyboard.press('Enter');
    // The send waits for the image pipeline to settle; on a busy machine that is after the key.
    await page.waitForFunction(() =>
      (window as unknown as TestWindow).__posted.some((m) => (m as { type?: string }).type === 'send'),
    );
    assert.deepEqual(await sentShapes(page), [
      {
        type: 'send',
        text: 'what is this?',
        attachments: [{ kind: 'image', name: 'pick.png', width: 1, height: 1 }],
      },
    ]);
  });

  it('restores everything a message carries from state', async () => {
    await deliver(page, {
      type: 'state',
      state: {
        model: 'restored-model',
        messages: [
          { id: 'u', role: 'user', text: 'look', images: [PNG_DATA_URL, 'https://example.com/x.png'] },
          assistant('a', 'Main answer', {
            notices: ['Retried once.'],
            refusal: 'Partly declined.',
            usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
            toolCalls: [{ id: 'c', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }],
            alternatives: ['Other answer'],
          }),
        ],
      },
    });
    const images = page.locator('[data-id="u"] img.thumb');
    assert.equal(await images.count(), 1, 'only data: images are shown');
    assert.equal(await images.getAttribute('src'), PNG_DATA_URL);
    const a = page.locator('[data-id="a"]');
    assert.equal(await a.locator('.notice').textContent(), 'Retried once.');
    assert.equal(await a.locator('.refusal-text').textContent(), 'Partly declined.');
    assert.equal(await a.getByTestId('usage').textContent(), '3 → 4 tokens');
    assert.equal(await page.getByTestId('usage-total').textContent(), '7 tokens');
    assert.equal(await a.locator('[data-role="tool"] .tool-name').textContent(), 'lookup');
    assert.equal(await a.locator('[data-role="tool"] pre').textContent(), '{\n  "q": 1\n}');
    assert.equal(await a.getByTestId('alt-position').textContent(), '1 / 2');
    assert.equal(await page.getByTestId('model-picker').textContent(), 'restored-model');
    assert.equal(await a.getByTestId('regenerate').count(), 1);
    const order = await a.evaluate((m) => Array.from(m.children, (c) => c.className));
    assert.deepEqual(order, [
      'author',
      'notices',
      'body markdown',
      'refusal',
      'tool-calls',
      'alternatives',
      'usage',
      'actions',
    ]);
  });

  it('continues a cut-off answer in place: the new text joins the old, as a one-shot render would', async () => {
    const first = 'A paragraph cut in the mid';
    const rest = 'dle, then more.\n\n```ts\nconst x = 1;\n```\n';
    await deliver(page, {
      type: 'append',
      message: assistant('a', '', { status: 'streaming', requestId: 'r1' }),
    });
    const script = new Script();
    await deliver(page, script.text('a', first));
    await deliver(page, end('a', 'incomplete'));
    const button = page.locator('[data-id="a"] [data-testid="continue"]');
    await button.click();
    assert.deepEqual((await sent(page)).at(-1), { type: 'continue' });

    await deliver(page, update('a', { op: 'status', status: 'streaming', requestId: 'r2' }));
    assert.equal(await page.locator('[data-id="a"]').getAttribute('data-streaming'), 'true');
    assert.equal(await button.count(), 0, 'no Continue while it streams');
    for (const piece of rest.match(/.{1,3}/gs) ?? []) {
      await deliver(page, script.text('a', piece));
    }
    await nextFrames(page);
    await deliver(page, end('a'));
    assert.equal(await page.locator('[data-id="a"]').getAttribute('data-status'), 'complete');
    assert.equal(await page.locator('[data-id="a"] .status').count(), 0, 'the incomplete note is gone');
    const continued = await page.locator('[data-id="a"] .body').innerHTML();

    await deliver(page, { type: 'append', message: assistant('b', first + rest) });
    assert.equal(continued, await page.locator('[data-id="b"] .body').innerHTML());
    assert.equal(await page.locator('[data-id="a"] .body p').count(), 1, 'one paragraph, not two');
  });

  it('continues in place when the whole rest arrives with the end, no streaming status seen', async () => {
    // The host holds updates for a few ms: a short Continue can reach the panel as one update that
    // carries its text and its end, the 'streaming' status merged away.
    const first = 'r000 r001 r049';
    await deliver(page, { type: 'append', message: assistant('a', first, { status: 'incomplete' }) });
    await deliver(
      page,
      update(
        'a',
        { op: 'status', status: 'streaming', requestId: 'r2' },
        { op: 'text', channel: 'content', at: first.length, text: ' and the rest.' },
        { op: 'status', status: 'complete' },
      ),
    );
    await deliver(page, update('a', { op: 'status', status: 'complete' }));
    assert.equal(await page.locator('[data-id="a"] .body p').count(), 1, 'one paragraph, not two');
    assert.equal(await page.locator('[data-id="a"] .body').innerText(), 'r000 r001 r049 and the rest.');
  });
});

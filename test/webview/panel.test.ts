import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { deliver, nextFrames, post, posted, pagePerTest, type TestWindow } from './harness';
import { Script, end } from './updates';

const ANSWER = [
  '## Result',
  '',
  'Use **this** and see [the docs](https://example.com/docs).',
  '',
  '```typescript',
  'const answer: number = 42;',
  '```',
  '',
  '| a | b |',
  '|:--|--:|',
  '| 1 | 2 |',
].join('\n');

describe('webview panel (Chromium)', function () {
  this.timeout(30_000);
  let page: Page;
  pagePerTest((p) => (page = p));

  it('says ready on load and renders state: user text plain, assistant markdown with highlighted code', async () => {
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    await post(page, {
      type: 'state',
      state: {
        model: 'm',
        messages: [
          { id: 'u1', role: 'user', text: '**not bold** <b>x</b>' },
          { id: 'a1', role: 'assistant', text: ANSWER, status: 'complete' },
        ],
      },
    });
    await page.waitForSelector('[data-role="assistant"] h2');
    const user = page.locator('[data-role="user"] .body');
    assert.equal(await user.textContent(), '**not bold** <b>x</b>');
    assert.equal(await user.locator('*').count(), 0);

    const answer = page.locator('[data-role="assistant"]');
    assert.equal(await answer.locator('h2').textContent(), 'Result');
    assert.equal(await answer.locator('strong').textContent(), 'this');
    // The grammar loads on demand: plain first, highlighted once it has arrived.
    await answer.locator('.hljs-keyword').first().waitFor({ timeout: 5000 });
    assert.equal(await answer.locator('.code-language').textContent(), 'typescript');
    assert.equal(await answer.locator('th.align-left').count(), 1);
    assert.equal(await answer.locator('td.align-right').count(), 1);
    assert.equal(await answer.locator('[style]').count(), 0);
    assert.equal(await answer.getAttribute('data-streaming'), null);
  });

  it('turns links into data-href, never navigates, and asks the host to open them on click or Enter', async () => {
    await post(page, {
      type: 'append',
      message: { id: 'a', role: 'assistant', text: ANSWER, status: 'complete' },
    });
    const link = page.locator('[data-role="assistant"] a[data-href]');
    await link.waitFor();
    assert.equal(await link.getAttribute('data-href'), 'https://example.com/docs');
    assert.equal(await link.getAttribute('href'), null);
    const url = page.url();
    await link.click();
    await link.focus();
    await page.keyboard.press('Enter');
    assert.equal(page.url(), url);
    const openLink = { type: 'openLink', url: 'https://example.com/docs' };
    assert.deepEqual(await posted(page), [{ type: 'ready' }, openLink, openLink]);
  });

  it('copies a code block with the Clipboard API, and falls back without it', async () => {
    await page.evaluate(() => {
      const win = window as unknown as { __copied: string[] };
      win.__copied = [];
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: async (text: string) => void win.__copied.push(text) },
      });
    });
    await post(page, {
      type: 'append',
      message: { id: 'a', role: 'assistant', text: ANSWER, status: 'complete' },
    });
    const button = page.locator('.code-copy');
    assert.equal(await button.getAttribute('aria-label'), 'Copy code (typescript)');
    await button.click();
    await page.waitForSelector('.code-copy[data-copied="true"]');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied), [
      'const answer: number = 42;\n',
    ]);
    assert.equal(await button.getAttribute('aria-label'), 'Copied');
    assert.equal(await button.getAttribute('title'), 'Copied');
    assert.equal(await button.locator('.codicon-check').count(), 1);

    await page.evaluate(() =>
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined }),
    );
    await page.waitForSelector('.code-copy:not([data-copied])', { timeout: 5000 });
    assert.equal(await button.getAttribute('aria-label'), 'Copy code (typescript)', 'the name comes back');
    assert.equal(await button.locator('.codicon-copy').count(), 1);
    await button.click();
    await page.waitForSelector('.code-copy[data-copied]');
  });

  it('streams: data-streaming while streaming, Stop only then, removed at end, completion announced', async () => {
    const stop = page.getByTestId('stop');
    assert.equal(await stop.isVisible(), false);
    await post(page, {
      type: 'append',
      message: { id: 'a', role: 'assistant', text: '', status: 'streaming', requestId: 'r' },
    });
    const script = new Script();
    await post(page, script.text('a', 'Hello **wor'));
    await stop.waitFor({ state: 'visible' });
    const answer = page.locator('[data-role="assistant"]');
    assert.equal(await answer.getAttribute('data-streaming'), 'true');
    await post(page, script.text('a', 'ld**'));
    await nextFrames(page);
    assert.equal(await answer.locator('strong').textContent(), 'world');
    await stop.click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'stop' });
    await post(page, end('a', 'stopped'));
    await page.waitForFunction(() => !document.querySelector('[data-streaming]'));
    assert.equal(await stop.isVisible(), false);
    assert.equal(await answer.locator('.status').textContent(), 'Stopped');
    assert.equal(await page.locator('[role="status"][aria-live="polite"]').textContent(), 'Stopped');
  });

  it('folds the Thinking block away when the answer starts', async () => {
    await post(page, {
      type: 'append',
      message: { id: 'a', role: 'assistant', text: '', status: 'streaming', requestId: 'r' },
    });
    const script = new Script();
    await post(page, script.text('a', 'Let me think', 'reasoning'));
    const reasoning = page.locator('details[data-role="reasoning"]');
    await reasoning.waitFor();
    await page.waitForFunction(
      () => document.querySelector('.reasoning-body')?.textContent === 'Let me think',
    );
    assert.equal(await reasoning.evaluate((d: HTMLDetailsElement) => d.open), true);
    await post(page, script.text('a', ' more.', 'reasoning'), script.text('a', 'Answer'));
    await nextFrames(page);
    assert.equal(await reasoning.evaluate((d: HTMLDetailsElement) => d.open), false);
    assert.equal(await page.locator('.reasoning-body').textContent(), 'Let me think more.');
    await post(page, end('a'));
    await page.waitForFunction(() => !document.querySelector('[data-streaming]'));
    assert.equal(await page.locator('[role="status"]').textContent(), 'Answer complete');
    await reasoning.locator('summary').click();
    assert.equal(await reasoning.evaluate((d: HTMLDetailsElement) => d.open), true, 'the user can reopen it');
  });

  it('sends on Enter, adds a newline on Shift+Enter, ignores blank input', async () => {
    const composer = page.getByTestId('composer');
    await composer.focus();
    await page.keyboard.press('Enter');
    await composer.pressSequentially('first line');
    await page.keyboard.press('Shift+Enter');
    await composer.pressSequentially('second line');
    assert.equal(await composer.inputValue(), 'first line\nsecond line');
    await page.keyboard.press('Enter');
    assert.deepEqual(await posted(page), [
      { type: 'ready' },
      { type: 'send', text: 'first line\nsecond line' },
    ]);
    assert.equal(await composer.inputValue(), '');
    await composer.fill('via button');
    await page.getByTestId('send').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'send', text: 'via button' });
  });

  it('keeps an unsent draft across a reload (getState/setState)', async () => {
    await page.getByTestId('composer').fill('half-typed question');
    await page.reload();
    await page.waitForFunction(() => (window as unknown as TestWindow).__posted.length > 0);
    assert.equal(await page.getByTestId('composer').inputValue(), 'half-typed question');
  });

  it('starts without its saved state when that state cannot be rebuilt, instead of staying empty', async () => {
    await page.getByTestId('composer').fill('typed before');
    // A state the panel throws on while building itself (here: one that cannot even be read).
    await page.evaluate(() => sessionStorage.setItem('relay-state', '{not json'));
    await page.reload();
    await page.waitForFunction(() => (window as unknown as TestWindow).__posted.length > 0);
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    assert.equal(await page.getByTestId('composer').inputValue(), '');
    await page.getByTestId('composer').fill('works again');
    await page.getByTestId('send').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'send', text: 'works again' });
  });

  it('keeps unsent attachments across a reload', async () => {
    await deliver(page, { type: 'addFiles', files: [{ name: 'a.ts', uri: 'file:///work/a.ts' }] });
    await page.getByTestId('attachment').waitFor();
    await page.reload();
    await page.waitForFunction(() => (window as unknown as TestWindow).__posted.length > 0);
    assert.equal(await page.getByTestId('attachment').textContent(), 'a.ts');
    await page.getByTestId('send').click();
    assert.deepEqual((await posted(page)).at(-1), {
      type: 'send',
      text: '',
      attachments: [{ kind: 'file', name: 'a.ts', uri: 'file:///work/a.ts' }],
    });
  });

  it('posts newChat and retry, and focuses the composer on request', async () => {
    await page.getByTestId('new-chat').click();
    await post(page, {
      type: 'append',
      message: {
        id: 'e',
        role: 'error',
        text: '',
        error: { title: '401 from api.example.com', detail: 'bad key', retryable: true },
      },
    });
    await page.getByTestId('retry').click();
    assert.deepEqual((await posted(page)).slice(1), [{ type: 'newChat' }, { type: 'retry' }]);
    assert.equal(await page.locator('[data-role="error"]').getAttribute('role'), 'alert');
    await post(page, { type: 'focusComposer' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'composer');
  });

  it('removes a message and replaces everything on a new state', async () => {
    await deliver(
      page,
      { type: 'append', message: { id: 'u', role: 'user', text: 'q' } },
      { type: 'append', message: { id: 'a', role: 'assistant', text: 'a', status: 'complete' } },
    );
    await deliver(page, { type: 'remove', messageId: 'a' });
    assert.equal(await page.locator('[data-role]').count(), 1);
    await deliver(page, { type: 'state', state: { model: 'm', messages: [] } });
    assert.equal(await page.locator('[data-role]').count(), 0);
    assert.equal(await page.locator('.empty').isVisible(), true);
  });

  it('keeps hundreds of messages off the layout path with content-visibility', async () => {
    const messages = Array.from({ length: 300 }, (_, i) => ({
      id: `m${i}`,
      role: i % 2 ? ('assistant' as const) : ('user' as const),
      text: `message ${i}\n\n- item`,
      status: 'complete' as const,
    }));
    await deliver(page, { type: 'state', state: { model: 'm', messages } });
    const visibility = await page
      .locator('[data-id="m299"]')
      .evaluate((m) => getComputedStyle(m).contentVisibility);
    assert.equal(visibility, 'auto');
    const atEnd = await page
      .locator('main')
      .evaluate((m) => m.scrollHeight - m.scrollTop - m.clientHeight < 80);
    assert.ok(atEnd, 'a restored conversation opens at its end');
  });

  it('keeps at most 120 messages in the DOM; earlier ones come back in order on request', async () => {
    const messages = Array.from({ length: 300 }, (_, i) => ({
      id: `m${i}`,
      role: i % 2 ? ('assistant' as const) : ('user' as const),
      text: `message ${i}`,
      status: 'complete' as const,
      ...(i % 2 ? { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } } : {}),
    }));
    await deliver(page, { type: 'state', state: { model: 'm', messages } });
    const ids = () =>
      page.locator('article.message').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    assert.equal((await ids()).length, 120);
    assert.equal((await ids())[0], 'm180');
    assert.match(
      await page.locator('[data-testid="usage-total"]').innerText(),
      /450/,
      'usage counts hidden messages',
    );
    const earlier = page.locator('[data-testid="show-earlier"]');
    assert.match(await earlier.innerText(), /180/);

    await earlier.click();
    const shown = await ids();
    assert.equal(shown.length, 160);
    assert.deepEqual(shown.slice(0, 3), ['m140', 'm141', 'm142'], 'brought back above, oldest first');
    assert.equal(shown.at(-1), 'm299');
    assert.match(await earlier.innerText(), /140/);

    for (let i = 300; i < 310; i++) {
      await deliver(page, { type: 'append', message: { id: `m${i}`, role: 'user', text: `new ${i}` } });
    }
    assert.equal((await ids()).length, 120, 'new messages push old ones out again');
    assert.equal((await ids()).at(-1), 'm309');
    assert.match(await earlier.innerText(), /190/);
  });

  it('shows codicons on its icon buttons, each still named by aria-label and title', async () => {
    await post(page, {
      type: 'state',
      state: {
        model: 'm',
        messages: [
          { id: 'u1', role: 'user', text: 'question' },
          { id: 'a1', role: 'assistant', text: ANSWER, status: 'stopped' },
        ],
      },
    });
    await page.waitForSelector('[data-testid="continue"]');
    const icons = await page.evaluate(() =>
      Array.from(document.querySelectorAll('button'), (button) => ({
        testId: button.getAttribute('data-testid'),
        icons: Array.from(button.querySelectorAll('.codicon'), (icon) => ({
          name: /codicon-([\w-]+)/.exec(icon.className)?.[1],
          hidden: icon.getAttribute('aria-hidden'),
        })),
        text: button.textContent,
        label: button.getAttribute('aria-label'),
        title: button.getAttribute('title'),
      })),
    );
    const byTestId = new Map(icons.map((button) => [button.testId, button]));
    const expected: [string, string, string][] = [
      ['new-chat', 'add', ''],
      ['history', 'history', ''],
      ['export', 'export', ''],
      ['params', 'settings-gear', ''],
      ['edit-message', 'edit', ''],
      ['copy-message', 'copy', ''],
      ['delete-message', 'trash', ''],
      ['regenerate', 'refresh', ''],
      ['continue', 'debug-continue', 'Continue'],
      ['code-insert', 'insert', ''],
      ['code-apply', 'diff', ''],
      ['code-open', 'go-to-file', ''],
      ['code-copy', 'copy', ''],
      ['attach-image', 'file-media', ''],
      ['stop', 'debug-stop', 'Stop'],
    ];
    for (const [testId, icon, text] of expected) {
      const button = byTestId.get(testId);
      assert.ok(button, testId);
      assert.deepEqual(button.icons, [{ name: icon, hidden: 'true' }], testId);
      assert.equal(button.text, text, `${testId}: visible text`);
    }
    assert.equal(byTestId.get('send')?.text, 'Send');
    for (const button of icons.filter((b) => b.icons.length > 0 && !b.text)) {
      assert.ok(button.label, `${button.testId} has an aria-label`);
      assert.equal(button.title, button.label, `${button.testId} has the same tooltip`);
    }
  });
});

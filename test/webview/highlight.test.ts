import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { HostToWebview } from '../../src/common/panel/protocol';
import { deliver, nextFrames, pagePerTest } from './harness';
import { Script, end } from './updates';

/** The chunk highlight.js's python grammar is built into, whatever its hash. */
const PYTHON_CHUNK = /\/dist\/webview\/python-[\w-]+\.js$/;
const GRAMMAR_CHUNK = /\/dist\/webview\/(?!main\.js$|chunk-)([\w]+)-[\w-]+\.js$/;

const grammarsRequested = (requests: string[]) =>
  requests.map((url) => GRAMMAR_CHUNK.exec(url)?.[1]).filter((name) => name !== undefined);

let script = new Script();
const delta = (content: string): HostToWebview => script.text('a', content);

describe('webview code highlighting, grammars loaded on demand (Chromium)', function () {
  this.timeout(30_000);
  let page: Page;
  let requests: string[];
  pagePerTest(
    (p) => (page = p),
    () => ({ requests: (requests = []) }),
  );
  beforeEach(() => (script = new Script()));

  it('fetches the python grammar only once a python block arrives, then highlights the block in place', async () => {
    // Hold the grammar, so the block is seen plain and settled before highlighting lands.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(PYTHON_CHUNK, async (route) => {
      await held;
      await route.continue();
    });
    assert.ok(requests.some((url) => url.endsWith('/dist/webview/main.js')));
    assert.deepEqual(grammarsRequested(requests), [], 'no grammar with the page');

    await deliver(page, {
      type: 'append',
      message: { id: 'a', role: 'assistant', text: '', status: 'streaming', requestId: 'r' },
    });
    await deliver(page, delta('Some text first, then `inline code`.\n\nA python block follows:\n\n'));
    await nextFrames(page);
    assert.deepEqual(grammarsRequested(requests), [], 'no grammar before a block needs one');

    const code = 'def f(x):\n    return "<b>" if x else None\n';
    const requested = page.waitForRequest(PYTHON_CHUNK);
    await deliver(page, delta('```python\n' + code + '```\n\nAfter the block.\n\nMore text.\n'));
    await nextFrames(page);
    await requested;
    const plain = await page.evaluate(() => {
      const block = document.querySelector('[data-id="a"] .code-block')!;
      const code = block.querySelector('pre > code')!;
      (window as unknown as { __block: Element }).__block = block;
      return { elements: code.childElementCount, text: code.textContent };
    });
    assert.deepEqual(plain, { elements: 0, text: code }, 'plain and escaped while the grammar loads');

    release();
    const block = page.locator('[data-id="a"] .code-block');
    await block.locator('.hljs-keyword').first().waitFor({ timeout: 5000 });
    assert.equal(await block.locator('pre > code').textContent(), code, 'the same code');
    assert.equal(await block.locator('b').count(), 0, 'the code is text, not markup');
    assert.ok(
      await page.evaluate(
        () =>
          (window as unknown as { __block: Element }).__block ===
          document.querySelector('[data-id="a"] .code-block'),
      ),
      'the settled block is the same node: only its <code> content was swapped',
    );
    assert.deepEqual(grammarsRequested(requests), ['python'], 'python, once');

    await deliver(page, end('a'));
    const streamed = await page.locator('[data-id="a"] .body').innerHTML();
    await deliver(page, {
      type: 'append',
      message: {
        id: 'b',
        role: 'assistant',
        text:
          'Some text first, then `inline code`.\n\nA python block follows:\n\n```python\n' +
          code +
          '```\n\nAfter the block.\n\nMore text.\n',
        status: 'complete',
      },
    });
    assert.equal(await page.locator('[data-id="b"] .body').innerHTML(), streamed, 'same as one-shot');
  });

  it('highlights every plain block of the language once its grammar arrives, aliases included', async () => {
    const text = ['```js\nconst a = 1;\n```', 'Between.', '```javascript\nlet b = 2;\n```'].join('\n\n');
    await deliver(
      page,
      { type: 'append', message: { id: 'x', role: 'assistant', text, status: 'complete' } },
      {
        type: 'append',
        message: { id: 'y', role: 'assistant', text: '```mjs\nvar c;\n```', status: 'complete' },
      },
    );
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('[data-id] pre > code')).every(
        (code) => code.querySelector('.hljs-keyword') !== null,
      ),
    );
    assert.equal(await page.locator('[data-id] pre > code').count(), 3);
    assert.equal(grammarsRequested(requests).filter((name) => name === 'javascript').length, 1);
  });

  it('leaves unknown languages and blocks without one plain, fetching nothing', async () => {
    const text = '```mermaid\ngraph TD; A-->B\n```\n\n```\nno language\n```\n\n```constructor\nx\n```';
    await deliver(page, {
      type: 'append',
      message: { id: 'u', role: 'assistant', text, status: 'complete' },
    });
    // Grammars are requested while a block renders; one known block after them orders the check.
    await deliver(page, {
      type: 'append',
      message: { id: 'k', role: 'assistant', text: '```python\nimport os\n```', status: 'complete' },
    });
    await page.locator('[data-id="k"] .hljs-keyword').waitFor({ timeout: 5000 });
    assert.deepEqual(grammarsRequested(requests), ['python']);
    assert.equal(await page.locator('[data-id="u"] pre > code *').count(), 0);
    assert.equal(await page.locator('[data-id="u"] pre > code').nth(0).textContent(), 'graph TD; A-->B\n');
  });
});

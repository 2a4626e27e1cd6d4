/**
 * Following the end of a streaming answer: the list stays at its end while the reader is there,
 * a reader who scrolled up stays where they are, and streaming never reads layout (the browser's
 * scroll anchoring does the following during its own layout).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { HostToWebview } from '../../src/common/panel/protocol';
import { deliver, nextFrames, pagePerTest, type TestWindow } from './harness';
import { Script, end } from './updates';

const ids = { requestId: 'r', messageId: 'a' };

/** Paragraphs of an answer, a few lines each on a narrow panel. */
function paragraphs(from: number, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `Paragraph ${from + i}: the answer goes on, one sentence after another, as answers do.\n\n`,
  );
}

async function startAnswer(page: Page): Promise<void> {
  script = new Script();
  await deliver(
    page,
    { type: 'state', state: { model: 'm', messages: [] } },
    { type: 'append', message: { id: 'u', role: 'user', text: 'Tell me everything' } },
    {
      type: 'append',
      message: { id: ids.messageId, role: 'assistant', text: '', status: 'streaming', requestId: 'r' },
    },
  );
}

let script = new Script();

/** Streams `parts` in 4-character deltas, letting real frames render between the paragraphs. */
async function stream(page: Page, parts: string[]): Promise<void> {
  for (const part of parts) {
    const deltas: HostToWebview[] = [];
    for (let i = 0; i < part.length; i += 4) deltas.push(script.text(ids.messageId, part.slice(i, i + 4)));
    await deliver(page, ...deltas);
    await nextFrames(page);
  }
}

/** Pixels between what the list shows and its end. */
function distanceToEnd(page: Page): Promise<number> {
  return page.locator('main').evaluate((m) => m.scrollHeight - m.scrollTop - m.clientHeight);
}

function scrollTop(page: Page): Promise<number> {
  return page.locator('main').evaluate((m) => m.scrollTop);
}

async function wheel(page: Page, deltaY: number): Promise<void> {
  const box = (await page.locator('main').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, deltaY);
}

describe('webview follows the end of a streaming answer (Chromium)', function () {
  this.timeout(60_000);
  let page: Page;
  let manualFrames = false;
  pagePerTest(
    (p) => (page = p),
    () => ({ manualFrames }),
  );

  it('follows the end while streaming when the reader is at the bottom', async () => {
    await page.setViewportSize({ width: 360, height: 400 });
    await startAnswer(page);
    const clientHeight = await page.locator('main').evaluate((m) => m.clientHeight);
    for (let round = 0; round < 6; round++) {
      await stream(page, paragraphs(round * 5, 5));
      assert.equal(await distanceToEnd(page), 0, `at the end after round ${round}`);
    }
    const scrollHeight = await page.locator('main').evaluate((m) => m.scrollHeight);
    assert.ok(scrollHeight > 3 * clientHeight, 'the answer overflowed the list several times over');
    assert.ok(await page.locator('main').evaluate((m) => m.hasAttribute('data-following')));
  });

  it('leaves a reader who scrolled up where they are, and follows again once they are back', async () => {
    await page.setViewportSize({ width: 360, height: 400 });
    await startAnswer(page);
    await stream(page, paragraphs(0, 30));
    assert.equal(await distanceToEnd(page), 0);

    await wheel(page, -600);
    await page.waitForFunction(() => !document.querySelector('main')!.hasAttribute('data-following'));
    const readingAt = await scrollTop(page);
    const firstShown = await page.evaluate(() => {
      const list = document.querySelector('main')!;
      const top = list.getBoundingClientRect().top;
      const paragraph = [...list.querySelectorAll('.body p')].find(
        (p) => p.getBoundingClientRect().bottom > top,
      )!;
      return { text: paragraph.textContent, offset: paragraph.getBoundingClientRect().top - top };
    });
    await stream(page, paragraphs(30, 20));
    assert.equal(await scrollTop(page), readingAt, 'the list did not move');
    assert.deepEqual(
      await page.evaluate((text) => {
        const list = document.querySelector('main')!;
        const paragraph = [...list.querySelectorAll('.body p')].find((p) => p.textContent === text)!;
        return { text, offset: paragraph.getBoundingClientRect().top - list.getBoundingClientRect().top };
      }, firstShown.text),
      firstShown,
      'the paragraph the reader was reading stayed in place',
    );

    await wheel(page, 100_000);
    await page.waitForFunction(() => document.querySelector('main')!.hasAttribute('data-following'));
    assert.equal(await distanceToEnd(page), 0);
    await stream(page, paragraphs(50, 10));
    assert.equal(await distanceToEnd(page), 0, 'new text is followed again');
  });

  it('shows the end when the reader sends a message, even from far up', async () => {
    await page.setViewportSize({ width: 360, height: 400 });
    await startAnswer(page);
    await stream(page, paragraphs(0, 30));
    await deliver(page, end(ids.messageId));
    await wheel(page, -2000);
    await page.waitForFunction(() => !document.querySelector('main')!.hasAttribute('data-following'));
    await deliver(page, { type: 'append', message: { id: 'u2', role: 'user', text: 'And then?' } });
    await nextFrames(page);
    assert.equal(await distanceToEnd(page), 0);
  });

  it('puts a reader who scrolled up back where they were when the panel is rebuilt', async () => {
    await page.setViewportSize({ width: 360, height: 400 });
    await startAnswer(page);
    const text = paragraphs(0, 30).join('');
    await stream(page, paragraphs(0, 30));
    await deliver(page, end(ids.messageId));
    await wheel(page, -900);
    await page.waitForFunction(() => !document.querySelector('main')!.hasAttribute('data-following'));
    await nextFrames(page);
    const readingAt = await scrollTop(page);
    assert.ok(readingAt > 0 && (await distanceToEnd(page)) > 500, 'scrolled well up');

    // Hidden and shown: a new page, the same saved state, the host's snapshot again.
    const snapshot = (first: string): HostToWebview => ({
      type: 'state',
      state: {
        model: 'm',
        messages: [
          { id: first, role: 'user', text: 'Tell me everything' },
          { id: ids.messageId, role: 'assistant', text, status: 'complete' },
        ],
      },
    });
    await page.reload();
    await page.locator('[data-testid="composer"]').waitFor();
    await deliver(page, snapshot('u'));
    await nextFrames(page);
    await nextFrames(page);
    assert.ok(
      Math.abs((await scrollTop(page)) - readingAt) <= 1,
      `the same place: ${await scrollTop(page)} for ${readingAt}`,
    );
    assert.ok((await distanceToEnd(page)) > 500, 'not taken to the end');

    // Another conversation opens at its end.
    await page.reload();
    await page.locator('[data-testid="composer"]').waitFor();
    await deliver(page, snapshot('other'));
    await nextFrames(page);
    assert.equal(await distanceToEnd(page), 0);
  });

  describe('with frames run by the test', () => {
    before(() => (manualFrames = true));
    after(() => (manualFrames = false));

    it('reads no layout while it streams: deltas and frames only write', async () => {
      await startAnswer(page);
      const reads = await page.evaluate(
        ({ parts, ids }) => {
          const win = window as unknown as TestWindow;
          const counted: string[] = [];
          let watching = false;
          // Every property and method that makes the browser lay out the page before it answers.
          const props: [object, string][] = [
            ...[
              'scrollHeight',
              'scrollTop',
              'scrollWidth',
              'scrollLeft',
              'clientHeight',
              'clientWidth',
              'clientTop',
            ].map((name) => [Element.prototype, name] as [object, string]),
            ...['offsetHeight', 'offsetWidth', 'offsetTop', 'offsetLeft', 'offsetParent', 'innerText'].map(
              (name) => [HTMLElement.prototype, name] as [object, string],
            ),
          ];
          for (const [proto, name] of props) {
            const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
            Object.defineProperty(proto, name, {
              ...descriptor,
              get(this: Element) {
                if (watching) counted.push(name);
                return descriptor.get!.call(this);
              },
            });
          }
          for (const name of ['getBoundingClientRect', 'getClientRects', 'scrollIntoView'] as const) {
            const original = Element.prototype[name] as (...args: unknown[]) => unknown;
            (Element.prototype as unknown as Record<string, unknown>)[name] = function (
              this: Element,
              ...args: unknown[]
            ) {
              if (watching) counted.push(name);
              return original.apply(this, args);
            };
          }
          const computed = window.getComputedStyle;
          window.getComputedStyle = (...args) => {
            if (watching) counted.push('getComputedStyle');
            return computed(...args);
          };
          watching = true;
          let at = 0;
          for (const part of parts) {
            for (let i = 0; i < part.length; i += 4) {
              const text = part.slice(i, i + 4);
              window.dispatchEvent(
                new MessageEvent('message', {
                  data: {
                    type: 'update',
                    messageId: ids.messageId,
                    ops: [{ op: 'text', channel: 'content', at, text }],
                  },
                }),
              );
              at += text.length;
            }
            win.__runFrames();
          }
          watching = false;
          return counted;
        },
        { parts: paragraphs(0, 40), ids },
      );
      assert.deepEqual(reads, []);
      assert.equal(
        await page.locator('[data-id="a"] .body p').count(),
        40,
        'the answer was rendered by those frames',
      );
    });
  });
});

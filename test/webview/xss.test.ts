import assert from 'node:assert/strict';
import type { Page, Request } from 'playwright-core';
import type { HostToWebview } from '../../src/common/panel/protocol';
import { deliver, startRig, type Rig, type TestWindow } from './harness';
import { xssCorpus } from './xss-corpus';

const FORBIDDEN_ELEMENTS =
  'script, iframe, object, embed, style, link, meta, base, form, input, textarea, select, button:not([data-testid]), svg, math, video, audio, source, template, noscript, details:not([data-role="reasoning"]):not([data-role="tool"])';

/**
 * Installs `window.__settled()`: resolves once the page is quiet, i.e. every image and frame in the
 * document has loaded or failed and two frames have run with nothing new to load. A payload that
 * fires late (on an image's error, a frame's load) has fired by then: no fixed wait can promise that.
 */
async function installSettle(page: Page): Promise<void> {
  await page.evaluate(() => {
    const win = window as unknown as { __settled: () => Promise<void> };
    const frame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const loading = () =>
      [
        ...Array.from(document.images).filter((img) => !img.complete),
        ...Array.from(document.querySelectorAll('iframe, object, embed')),
      ] as HTMLElement[];
    win.__settled = async () => {
      for (;;) {
        await frame();
        await frame();
        const pending = loading().filter((e) => !(e as unknown as { __done?: boolean }).__done);
        if (!pending.length) return;
        await Promise.all(
          pending.map(
            (e) =>
              new Promise<void>((resolve) => {
                const done = () => {
                  (e as unknown as { __done?: boolean }).__done = true;
                  resolve();
                };
                e.addEventListener('load', done, { once: true });
                e.addEventListener('error', done, { once: true });
                if (e instanceof HTMLImageElement && e.complete) done();
              }),
          ),
        );
      }
    };
  });
}

/** Renders every payload one-shot and streamed in 3-character deltas, then pokes every link. */
async function renderAll(page: Page, payloads: string[]): Promise<void> {
  await installSettle(page);
  await page.evaluate(async (list) => {
    const send = (data: HostToWebview) => window.postMessage(data, '*');
    list.forEach((text, i) => {
      send({ type: 'append', message: { id: `one-${i}`, role: 'assistant', text, status: 'complete' } });
      send({
        type: 'append',
        message: { id: `str-${i}`, role: 'assistant', text: '', status: 'streaming', requestId: 'r' },
      });
      for (let at = 0; at < text.length; at += 3) {
        send({
          type: 'update',
          messageId: `str-${i}`,
          ops: [{ op: 'text', channel: 'content', at, text: text.slice(at, at + 3) }],
        });
      }
      send({ type: 'update', messageId: `str-${i}`, ops: [{ op: 'status', status: 'complete' }] });
    });
    await (window as unknown as { __settled: () => Promise<void> }).__settled();
    for (const link of Array.from(
      document.querySelectorAll<HTMLElement>('.messages a, .messages [data-href]'),
    )) {
      link.click();
      link.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      link.focus();
    }
    await (window as unknown as { __settled: () => Promise<void> }).__settled();
  }, payloads);
}

/** The panel's own chrome holds inputs and a form; nothing else that runs or fetches. */
const FORBIDDEN_IN_CHROME =
  'script, iframe, object, embed, style, link, meta, base, svg, math, video, audio, source, template, noscript';

/** Per root (by default each assistant message): what in its DOM could run script or fetch something. */
async function violations(
  page: Page,
  roots = '[data-role="assistant"]',
  forbiddenElements = FORBIDDEN_ELEMENTS,
): Promise<string[]> {
  return page.evaluate(
    ([forbidden, rootSelector]) => {
      const found: string[] = [];
      for (const message of Array.from(document.querySelectorAll<HTMLElement>(rootSelector))) {
        const id = message.getAttribute('data-id') ?? message.className;
        for (const element of Array.from(message.querySelectorAll('*'))) {
          if (element.matches(forbidden)) found.push(`${id}: <${element.tagName.toLowerCase()}>`);
          for (const attr of Array.from(element.attributes)) {
            const name = attr.name.toLowerCase();
            if (
              name.startsWith('on') ||
              name === 'style' ||
              name === 'href' ||
              name === 'srcset' ||
              name === 'action'
            )
              found.push(`${id}: ${name}="${attr.value}"`);
            if (name === 'src' && !/^data:image\/(png|gif|jpe?g|webp|avif|bmp);/i.test(attr.value))
              found.push(`${id}: src="${attr.value}"`);
            if (name === 'data-href' && !/^(https?:|mailto:)/i.test(attr.value))
              found.push(`${id}: data-href="${attr.value}"`);
          }
        }
      }
      return found;
    },
    [forbiddenElements, roots] as const,
  );
}

function pages<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every new place a host message puts text: tool calls, notices, refusals, choices, names, chips. */
async function renderEverywhere(page: Page, payloads: string[]): Promise<void> {
  await installSettle(page);
  await page.evaluate(async (list) => {
    const send = (data: HostToWebview) => window.postMessage(data, '*');
    list.forEach((p, i) => {
      send({
        type: 'append',
        message: {
          id: `u-${i}`,
          role: 'user',
          text: p,
          images: [p, `data:image/png;base64,x" onerror="top.__pwned=1`, `javascript:top.__pwned=1`],
          context: [{ label: p }],
        },
      });
      send({
        type: 'append',
        message: {
          id: `s-${i}`,
          role: 'assistant',
          text: '',
          status: 'complete',
          refusal: p,
          notices: [p],
          toolCalls: [{ id: p, type: 'function', function: { name: p, arguments: p } }],
          alternatives: [p],
        },
      });
      send({
        type: 'append',
        message: { id: `d-${i}`, role: 'assistant', text: p, status: 'streaming', requestId: 'r' },
      });
      send({
        type: 'update',
        messageId: `d-${i}`,
        ops: [
          { op: 'text', channel: 'refusal', at: 0, text: p },
          { op: 'text', channel: 'reasoning', at: 0, text: p },
          { op: 'notice', index: 0, text: p },
          {
            op: 'toolCalls',
            calls: [
              { id: 'c', type: 'function', function: { name: p, arguments: JSON.stringify({ html: p }) } },
            ],
          },
          { op: 'text', channel: 'alt:0', at: 0, text: p },
          { op: 'text', channel: 'alt:1', at: 0, text: `${p}\n\n${p}` },
          { op: 'status', status: 'complete' },
        ],
      });
      send({
        type: 'append',
        message: {
          id: `e-${i}`,
          role: 'error',
          text: p,
          error: { title: p, detail: p, hint: p, requestId: p, retryable: false },
        },
      });
      send({ type: 'config', config: { model: p, profile: p, sendOn: 'enter' } });
      send({ type: 'selection', label: p });
    });
    await (window as unknown as { __settled: () => Promise<void> }).__settled();
    const composer = document.querySelector('[data-testid="composer"]')!;
    for (const p of list) {
      const uris = new DataTransfer();
      uris.setData('text/uri-list', `file:///tmp/${encodeURIComponent(p)}\r\n${p}`);
      composer.dispatchEvent(new DragEvent('drop', { dataTransfer: uris, bubbles: true, cancelable: true }));
    }
    // Show every alternative and open every tool call, so each is rendered and laid out.
    for (const next of Array.from(document.querySelectorAll<HTMLElement>('[data-testid="alt-next"]'))) {
      next.click();
      next.click();
    }
    for (const details of Array.from(document.querySelectorAll('details'))) details.open = true;
    for (const link of Array.from(document.querySelectorAll<HTMLElement>('.messages [data-href]'))) {
      link.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    }
    await (window as unknown as { __settled: () => Promise<void> }).__settled();
  }, payloads);
}

describe('webview against hostile model output (Chromium)', function () {
  this.timeout(60_000);
  let rig: Rig;

  before(async () => {
    rig = await startRig();
  });
  after(async () => rig?.close());

  it('has a corpus of at least 50 payloads', () => {
    assert.ok(xssCorpus('http://leak').length >= 50);
  });

  for (const csp of [true, false]) {
    it(`runs no script and makes no request ${csp ? 'under the production CSP' : 'even without any CSP'}`, async () => {
      const page = await rig.open({ csp });
      const requests: string[] = [];
      const dialogs: string[] = [];
      const onRequest = (request: Request) => requests.push(request.url());
      page.on('request', onRequest);
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const url = page.url();
      rig.leakHits.length = 0;
      // In pages that fit the panel's DOM cap, so every payload is checked while it is on screen.
      for (const batch of pages(xssCorpus(rig.leakOrigin), 50)) {
        await deliver(page, { type: 'state', state: { model: 'm', messages: [] } });
        await renderAll(page, batch);
        assert.deepEqual(await violations(page), []);
        assert.equal(await page.locator('[data-role="assistant"]').count(), batch.length * 2);
      }

      assert.equal(await page.evaluate(() => (window as unknown as TestWindow).__pwned), undefined);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(rig.leakHits, [], 'the leak server saw no request');
      const foreign = requests.filter((r) => !r.startsWith('data:') && !r.startsWith(`${rig.origin}/`));
      const ownButUnexpected = requests.filter(
        (r) =>
          r.startsWith(`${rig.origin}/`) &&
          !/\/(\?.*)?$|\/dist\/webview\/[\w-]+\.js$|\/media\/chat\.css$|\/media\/codicons\/codicon\.(css|ttf)(\?\w*)?$/.test(
            r,
          ),
      );
      assert.deepEqual(foreign, [], 'requests leaving the page');
      assert.deepEqual(
        ownButUnexpected,
        [],
        'requests beyond the page, the bundle and its chunks, the stylesheets and the icon font',
      );
      assert.equal(page.url(), url, 'the page never navigated');
      page.off('request', onRequest);
      await page.close();
    });
  }

  it('keeps hostile text inert in tool calls, notices, refusals, choices, names and attachments', async () => {
    const page = await rig.open();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    rig.leakHits.length = 0;
    const corpus = xssCorpus(rig.leakOrigin);
    // Four messages per payload: pages of 25 stay under the panel's DOM cap.
    const batches = pages(corpus, 25);
    for (const [n, batch] of batches.entries()) {
      await deliver(page, { type: 'state', state: { model: 'm', messages: [] } });
      await renderEverywhere(page, batch);
      assert.deepEqual(await violations(page, '.messages > [data-id]'), []);
      if (n === 0) {
        assert.equal(await page.locator('[data-id="s-0"] .tool-name').textContent(), corpus[0]);
        assert.equal(await page.locator('[data-id="s-0"] .refusal-text').textContent(), corpus[0]);
        assert.equal(await page.locator('[data-id="d-0"] .notice').textContent(), corpus[0]);
        assert.deepEqual(
          await page
            .locator('[data-id="u-0"] img')
            .evaluateAll((all) => all.map((i) => i.getAttribute('src'))),
          ['data:image/png;base64,x" onerror="top.__pwned=1'],
          'only the data: image, its quote kept inside the attribute',
        );
      }
    }

    assert.equal(await page.evaluate(() => (window as unknown as TestWindow).__pwned), undefined);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(rig.leakHits, [], 'the leak server saw no request');
    assert.deepEqual(
      requests.filter((r) => !r.startsWith('data:') && !r.startsWith(`${rig.origin}/`)),
      [],
      'requests leaving the page',
    );
    assert.deepEqual(await violations(page, 'header.toolbar, form.composer', FORBIDDEN_IN_CHROME), []);
    // The text arrived as text: the last payload is what the pickers and the chip show.
    const last = corpus[corpus.length - 1];
    assert.equal(await page.getByTestId('model-picker').textContent(), last);
    assert.equal(await page.locator('.selection-chip .chip-label').textContent(), `Selection: ${last}`);
    assert.ok((await page.getByTestId('attachment').count()) >= corpus.length);
    await page.close();
  });

  it('still renders the harmless parts: safe links kept, remote images turned into links', async () => {
    const page = await rig.open();
    await page.evaluate((leak) => {
      const text = `[ok](https://example.com/a) ![remote](${leak}/x.png) ![inline](data:image/png;base64,iVBORw0KGgo=)`;
      window.postMessage(
        { type: 'append', message: { id: 'a', role: 'assistant', text, status: 'complete' } },
        '*',
      );
    }, rig.leakOrigin);
    await page.waitForSelector('[data-id="a"] img');
    const links = await page
      .locator('[data-id="a"] a')
      .evaluateAll((all) => all.map((a) => [a.getAttribute('data-href'), a.textContent]));
    assert.deepEqual(links, [
      ['https://example.com/a', 'ok'],
      [`${rig.leakOrigin}/x.png`, '[image: remote]'],
    ]);
    assert.equal(await page.locator('[data-id="a"] img').getAttribute('alt'), 'inline');
    await page.close();
  });
});

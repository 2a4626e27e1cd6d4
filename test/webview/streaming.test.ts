import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { HostToWebview } from '../../src/common/panel/protocol';
import { deliver, loadLanguages, mulberry32, startRig, type Rig, type TestWindow } from './harness';
import { MARKDOWN_SAMPLES } from './markdownSamples';
import { update } from './updates';

interface Plan {
  name: string;
  chunks: string[];
  /** Run a frame after chunk i. */
  frames: boolean[];
}

function split(text: string, random: () => number, maxSize: number): string[] {
  // Split on code points so no chunk ends inside a surrogate pair, as a real stream's decoder does.
  const chars = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < chars.length;) {
    const size = 1 + Math.floor(random() * maxSize);
    chunks.push(chars.slice(i, i + size).join(''));
    i += size;
  }
  return chunks;
}

function plansFor(text: string, seed: number): Plan[] {
  const random = mulberry32(seed);
  const single = Array.from(text);
  const plans: Plan[] = [
    { name: '1-char, frame each', chunks: single, frames: single.map(() => true) },
    { name: '1-char, random frames', chunks: single, frames: single.map(() => random() < 0.3) },
  ];
  for (let i = 0; i < 6; i++) {
    const chunks = split(text, random, i % 2 ? 8 : 40);
    plans.push({
      name: `random sizes #${i}`,
      chunks,
      frames: chunks.map(() => i < 3 || random() < 0.5),
    });
  }
  return plans;
}

interface Outcome {
  oneShot: string;
  runs: { before: string; after: string }[];
}

/** Streams every plan into its own message, all inside the page; frames run only when the plan says. */
async function streamPlans(page: Page, text: string, plans: Plan[]): Promise<Outcome> {
  return page.evaluate(
    ({ text, plans }) => {
      const send = (data: HostToWebview) => window.dispatchEvent(new MessageEvent('message', { data }));
      const win = window as unknown as TestWindow;
      const body = (id: string) => document.querySelector(`[data-id="${id}"] .body`)!.innerHTML;
      send({ type: 'state', state: { messages: [], model: 'm' } });
      send({ type: 'append', message: { id: 'one', role: 'assistant', text, status: 'complete' } });
      const oneShot = body('one');
      const runs = plans.map((plan, p) => {
        const id = `plan-${p}`;
        send({
          type: 'append',
          message: { id, role: 'assistant', text: '', status: 'streaming', requestId: 'r' },
        });
        let at = 0;
        plan.chunks.forEach((text, i) => {
          send({ type: 'update', messageId: id, ops: [{ op: 'text', channel: 'content', at, text }] });
          at += text.length;
          if (plan.frames[i]) win.__runFrames();
        });
        win.__runFrames();
        const before = body(id);
        send({ type: 'update', messageId: id, ops: [{ op: 'status', status: 'complete' }] });
        const after = body(id);
        send({ type: 'remove', messageId: id });
        return { before, after };
      });
      return { oneShot, runs };
    },
    { text, plans },
  );
}

/** Lines that open, continue, close or interrupt blocks; random sequences of them stress settling. */
const FUZZ_LINES = [
  '',
  '',
  '',
  'plain text',
  'more *emph* and `code`',
  '```',
  '```js',
  '````',
  '~~~',
  '  ```',
  '    indented',
  '- item',
  '* item',
  '1. one',
  '2) two',
  '  continued',
  '   - nested',
  '> quote',
  '>',
  '# heading',
  '===',
  '---',
  '***',
  '| a | b |',
  '|---|---|',
  '|:-|-:|',
  '| 1 | 2 |',
  '中文 テキスト',
  'https://example.com/x',
  '[link][r]',
  '\\',
] as const;

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}:\n  streamed: ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 80))}\n  one-shot: ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 80))}`;
}

describe('webview streaming renderer (Chromium)', function () {
  this.timeout(60_000);
  let rig: Rig;
  let page: Page;

  before(async () => {
    rig = await startRig();
    page = await rig.open({ manualFrames: true });
    // Grammars load on demand; with every grammar the samples use in place, the streamed and the
    // one-shot DOM are compared highlighted, and no grammar lands in the middle of a comparison.
    await loadLanguages(page, {
      ts: 'const a = 1;',
      typescript: 'const a = 1;',
      js: 'const a = 1;',
      python: 'def f(): pass',
      sh: 'echo "x"',
      html: '<p class="x"></p>',
      markdown: '# Title',
    });
  });
  after(async () => rig?.close());

  const texts: [string, string][] = [
    ...Object.entries(MARKDOWN_SAMPLES),
    ['all samples in one answer', Object.values(MARKDOWN_SAMPLES).join('\n\n')],
  ];
  texts.forEach(([name, text], index) => {
    it(`streams "${name}" to exactly the one-shot DOM, for 1-char and random deltas`, async () => {
      const seed = 1000 + index;
      const plans = plansFor(text, seed);
      const outcome = await streamPlans(page, text, plans);
      assert.ok(outcome.oneShot.length > 0);
      outcome.runs.forEach((run, i) => {
        const where = `${name} / ${plans[i].name} (seed ${seed})`;
        assert.ok(
          run.before === outcome.oneShot,
          `before end, ${where} ${firstDifference(run.before, outcome.oneShot)}`,
        );
        assert.ok(
          run.after === outcome.oneShot,
          `after end, ${where} ${firstDifference(run.after, outcome.oneShot)}`,
        );
      });
    });
  });

  for (const name of ['mixed', 'lists', 'tables', 'interrupters', 'edgeCases']) {
    it(`shows "${name}" as a one-shot render of the text so far after every frame`, async () => {
      const mismatches = await page.evaluate((text) => {
        const send = (data: HostToWebview) => window.dispatchEvent(new MessageEvent('message', { data }));
        const win = window as unknown as TestWindow;
        const body = (id: string) => document.querySelector(`[data-id="${id}"] .body`)!.innerHTML;
        send({ type: 'state', state: { messages: [], model: 'm' } });
        send({ type: 'append', message: { id: 'live', role: 'assistant', text: '', status: 'streaming' } });
        const bad: number[] = [];
        for (let i = 1; i <= text.length; i++) {
          send({
            type: 'update',
            messageId: 'live',
            ops: [{ op: 'text', channel: 'content', at: i - 1, text: text[i - 1] }],
          });
          win.__runFrames();
          send({
            type: 'append',
            message: { id: 'ref', role: 'assistant', text: text.slice(0, i), status: 'complete' },
          });
          if (body('live') !== body('ref')) bad.push(i);
          send({ type: 'remove', messageId: 'ref' });
        }
        return bad;
      }, MARKDOWN_SAMPLES[name]);
      assert.deepEqual(mismatches, [], 'prefix lengths whose streamed DOM differs');
    });
  }

  it('streams 60 random documents built from block-boundary lines to the one-shot DOM', async () => {
    const random = mulberry32(42);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const failures: string[] = [];
    for (let doc = 0; doc < 60; doc++) {
      const lines = Array.from({ length: 10 + Math.floor(random() * 40) }, () => pick(FUZZ_LINES));
      const text = lines.join('\n') + (random() < 0.5 ? '\n' : '');
      const plans = plansFor(text, doc).filter((_, i) => i !== 1 && i % 2 === 0);
      const outcome = await streamPlans(page, text, plans);
      outcome.runs.forEach((run, i) => {
        if (run.before !== outcome.oneShot || run.after !== outcome.oneShot)
          failures.push(
            `${JSON.stringify(text)} / ${plans[i].name}: ${firstDifference(run.before, outcome.oneShot)}`,
          );
      });
    }
    assert.deepEqual(failures.slice(0, 3), []);
  });

  it('coalesces many deltas into one render per frame', async () => {
    const renders = await page.evaluate(() => {
      const send = (data: HostToWebview) => window.dispatchEvent(new MessageEvent('message', { data }));
      const win = window as unknown as TestWindow;
      send({ type: 'state', state: { messages: [], model: 'm' } });
      send({ type: 'append', message: { id: 'c', role: 'assistant', text: '', status: 'streaming' } });
      const body = document.querySelector('[data-id="c"] .body')!;
      let mutations = 0;
      const observer = new MutationObserver((records) => (mutations += records.length));
      observer.observe(body, { childList: true });
      for (let i = 0; i < 200; i++) {
        send({
          type: 'update',
          messageId: 'c',
          ops: [{ op: 'text', channel: 'content', at: 5 * i, text: 'word ' }],
        });
      }
      const beforeFrame = mutations + observer.takeRecords().length;
      const frames = win.__runFrames();
      const text = body.textContent?.trim();
      observer.disconnect();
      return { beforeFrame, frames, text };
    });
    assert.equal(renders.beforeFrame, 0, 'no DOM work happens per delta');
    assert.equal(renders.frames, 1);
    assert.equal(renders.text, 'word '.repeat(200).trim());
  });

  it('never re-renders settled blocks while later text streams', async () => {
    const kept = await page.evaluate(() => {
      const send = (data: HostToWebview) => window.dispatchEvent(new MessageEvent('message', { data }));
      const win = window as unknown as TestWindow;
      send({ type: 'state', state: { messages: [], model: 'm' } });
      send({ type: 'append', message: { id: 's', role: 'assistant', text: '', status: 'streaming' } });
      let at = 0;
      const append = (text: string) => {
        send({ type: 'update', messageId: 's', ops: [{ op: 'text', channel: 'content', at, text }] });
        at += text.length;
      };
      append('# Title\n\nFirst paragraph.\n\nSecond');
      win.__runFrames();
      const heading = document.querySelector('[data-id="s"] h1');
      for (const word of [' paragraph', ' grows', '.\n\nThird', ' one.']) {
        append(word);
        win.__runFrames();
      }
      return (
        heading !== null && heading === document.querySelector('[data-id="s"] h1') && heading.isConnected
      );
    });
    assert.ok(kept, 'the heading node is the same object after later deltas');
  });

  it('restores a half-streamed answer from state and continues it', async () => {
    const text = MARKDOWN_SAMPLES.mixed;
    const cut = Math.floor(text.length / 2);
    const state: HostToWebview = {
      type: 'state',
      state: {
        model: 'm',
        messages: [
          { id: 'u', role: 'user', text: 'question' },
          { id: 'a', role: 'assistant', text: text.slice(0, cut), status: 'streaming', requestId: 'r' },
        ],
      },
    };
    // The held piece that the snapshot already partly has: only its new part is added.
    await deliver(
      page,
      state,
      update('a', { op: 'text', channel: 'content', at: cut - 5, text: text.slice(cut - 5) }),
    );
    await page.evaluate(() => (window as unknown as TestWindow).__runFrames());
    const streamed = await page.locator('[data-id="a"] .body').innerHTML();
    assert.equal(await page.locator('[data-id="a"]').getAttribute('data-streaming'), 'true');
    await deliver(page, {
      type: 'append',
      message: { id: 'b', role: 'assistant', text, status: 'complete' },
    });
    assert.equal(streamed, await page.locator('[data-id="b"] .body').innerHTML());
  });

  it('moves text shown as the answer into an open Thinking block when it turns out to be a thought', async () => {
    await deliver(
      page,
      { type: 'state', state: { model: 'm', messages: [{ id: 'u', role: 'user', text: 'q' }] } },
      {
        type: 'append',
        message: { id: 'a', role: 'assistant', text: '', status: 'streaming', requestId: 'r' },
      },
      update('a', { op: 'text', channel: 'content', at: 0, text: 'Okay, the user wants **2+2**.\n' }),
    );
    await page.evaluate(() => (window as unknown as TestWindow).__runFrames());
    assert.match(
      (await page.locator('[data-id="a"] .body').textContent()) ?? '',
      /Okay, the user wants 2\+2/,
    );

    await deliver(
      page,
      update('a', { op: 'contentWasReasoning', from: 0, contentLength: 30, reasoningLength: 0 }),
      update('a', { op: 'text', channel: 'content', at: 0, text: '\n\nIt is **4**.' }),
    );
    await page.evaluate(() => (window as unknown as TestWindow).__runFrames());
    const thinking = page.locator('[data-id="a"] [data-role="reasoning"]');
    assert.match(
      (await thinking.locator('.reasoning-body').textContent()) ?? '',
      /Okay, the user wants \*\*2\+2\*\*\./,
      'reasoning stays plain text',
    );
    assert.equal(
      await thinking.evaluate((d) => (d as HTMLDetailsElement).open),
      false,
      'folded once the answer starts',
    );
    assert.equal(
      (await page.locator('[data-id="a"] .body').innerHTML()).trim(),
      '<p>It is <strong>4</strong>.</p>',
      'the answer holds only what came after the thought',
    );
  });

  it('puts the blocks of a long answer in groups of 32 nodes, filled as a one-shot render fills them', async () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}.`);
    const shape = await page.evaluate((paragraphs) => {
      const send = (data: HostToWebview) => window.dispatchEvent(new MessageEvent('message', { data }));
      const win = window as unknown as TestWindow;
      const body = (id: string) => document.querySelector(`[data-id="${id}"] .body`)!;
      const groups = (id: string) =>
        [...body(id).children].map((g) => (g.classList.contains('md-group') ? g.childNodes.length : -1));
      send({ type: 'state', state: { messages: [], model: 'm' } });
      send({ type: 'append', message: { id: 'live', role: 'assistant', text: '', status: 'streaming' } });
      const seen: number[][] = [];
      let at = 0;
      for (const p of paragraphs) {
        const text = `${p}\n\n`;
        send({ type: 'update', messageId: 'live', ops: [{ op: 'text', channel: 'content', at, text }] });
        at += text.length;
        win.__runFrames();
        seen.push(groups('live'));
      }
      const text = paragraphs.join('\n\n') + '\n\n';
      send({ type: 'append', message: { id: 'ref', role: 'assistant', text, status: 'complete' } });
      return { seen, live: body('live').innerHTML, ref: body('ref').innerHTML, final: groups('ref') };
    }, paragraphs);
    // Each paragraph is two nodes (<p> and a newline): up to 16 paragraphs stay ungrouped.
    assert.deepEqual(shape.seen[15], Array(16).fill(-1));
    assert.deepEqual(shape.seen[16], [32, 2]);
    assert.deepEqual(shape.final, [32, 32, 16]);
    assert.ok(shape.live === shape.ref, 'streamed and one-shot DOM are the same');
  });
});

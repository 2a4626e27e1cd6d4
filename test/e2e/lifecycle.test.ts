/**
 * Every character exactly once (issue 12), in a real VS Code: the panel is rebuilt while an answer
 * streams (first open, side bar hidden and shown, window reload), or the user leaves the chat
 * (New Chat, another conversation from the history). What the panel shows is compared with what
 * the fake server sent for equality: an `includes` check cannot see a repeated chunk.
 */
import assert from 'node:assert/strict';
import { sse, type Scenario } from '../fakeServer/fakeServer';
import { useWorkbench } from './fixture';
import {
  answerInputBox,
  ensurePanel,
  hideAndShowSideBar,
  moveChatView,
  openFile,
  reloadWindow,
  runCommand,
  selectLines,
  textOf,
} from './workbench';

/** "k000 k001 …": a repeated or lost piece shows as a broken sequence. */
const counted = (n: number, prefix = 'k') =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`).join(' ');

/** Three characters per chunk, two chunks per write, a write every 25 ms: about 5 s for 200 words. */
const slow = (text: string): Scenario => ({ body: sse(text, { pieceSize: 3 }), delayMs: 25, chunkSize: 330 });

describe('Every character exactly once, across the panel lifecycle (real VS Code)', function () {
  this.timeout(180_000);
  const wb = useWorkbench();
  const assistant = () => wb.panel().locator('[data-role="assistant"]');
  const settled = () => wb.panel().locator('[data-role="assistant"]:not([data-streaming])');
  /** The answer's text as shown; markdown of plain words is one paragraph of exactly them. */
  const shownAnswer = async () => (await textOf(assistant().last().locator('.body'))).trim();
  const streamingNow = () => wb.panel().locator('[data-role="assistant"][data-streaming]').waitFor();
  /** Waits until the server has written at least `n` bytes of the current answer. */
  const streamedSome = async () => {
    await streamingNow();
    await wb
      .panel()
      .locator('[data-role="assistant"] .body', { hasText: /k0[1-9]\d/ })
      .waitFor();
  };

  it('shows the answer to the very first "Ask About Selection" once, with the chat view never opened', async () => {
    const text = counted(120);
    wb.server.enqueue(slow(text));
    await openFile(wb.page, 'src/sample.ts');
    await selectLines(wb.page, 2, 4);
    await runCommand(wb.page, 'Relay Chat: Ask About Selection');
    await answerInputBox(wb.page, 'Ask about src/sample.ts:2-4', 'Count for me');
    await settled().last().waitFor({ timeout: 60_000 });
    assert.equal(await shownAnswer(), text);
  });

  it('keeps the answer exact when the side bar is hidden and shown while it streams', async () => {
    await wb.newChat();
    const text = counted(200);
    wb.server.enqueue(slow(text));
    await wb.ask('Count again');
    await streamedSome();
    await hideAndShowSideBar(wb.page);
    await hideAndShowSideBar(wb.page);
    await settled().last().waitFor({ timeout: 60_000 });
    assert.equal(await shownAnswer(), text);
    assert.equal(await assistant().count(), 1);
  });

  it('keeps a half-typed question through a rebuild of the panel', async () => {
    await ensurePanel(wb.page);
    const composer = wb.panel().locator('textarea[data-testid="composer"]');
    await composer.fill('half a thought about');
    await hideAndShowSideBar(wb.page);
    assert.equal(
      await wb.panel().locator('textarea[data-testid="composer"]').inputValue(),
      'half a thought about',
    );
    await wb.panel().locator('textarea[data-testid="composer"]').fill('');
  });

  it('New Chat while an answer streams: the answer never lands in the new chat, and stays with its own', async () => {
    await wb.newChat();
    const text = counted(200, 'n');
    wb.server.enqueue(slow(text));
    await wb.ask('A question left behind');
    await streamingNow();
    await wb
      .panel()
      .locator('[data-role="assistant"] .body', { hasText: /n0[1-9]\d/ })
      .waitFor();
    await wb.panel().locator('[data-testid="new-chat"]').click();
    await wb.panel().locator('[data-role]').first().waitFor({ state: 'detached' });
    // The new chat gets its own answer, and nothing of the old one.
    wb.server.enqueue({ body: sse('A fresh answer.') });
    await wb.ask('A new question');
    await settled().filter({ hasText: 'A fresh answer.' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(
      await wb
        .panel()
        .locator('[data-role]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-role'))),
      ['user', 'assistant'],
    );
    assert.equal(await shownAnswer(), 'A fresh answer.');

    // The old conversation kept what arrived, stopped where it was, in order. Until it is restored
    // the panel still shows the new chat, whose answer is settled too: the helper waits for the
    // old question first.
    await wb.openFromHistory('A question left behind');
    await settled().waitFor({ timeout: 30_000 });
    const kept = await shownAnswer();
    assert.ok(kept.length > 0 && text.startsWith(kept), `a prefix of the answer, no more: "${kept}"`);
    assert.ok(kept.length < text.length, 'stopped before the end');
    assert.match((await assistant().last().getAttribute('data-status')) ?? '', /^(stopped|incomplete)$/);
  });

  it('Reload Window while an answer streams: what arrived is kept, marked incomplete, and Continue finishes it', async () => {
    await wb.newChat();
    const text = counted(300, 'r');
    wb.server.enqueue({ ...slow(text), delayMs: 40 });
    await wb.ask('Count through a reload');
    await streamingNow();
    await wb
      .panel()
      .locator('[data-role="assistant"] .body', { hasText: /r0[1-9]\d/ })
      .waitFor();
    await reloadWindow(wb.page);
    await ensurePanel(wb.page);
    await settled().waitFor({ timeout: 30_000 });
    const kept = await shownAnswer();
    assert.ok(kept.length > 0 && text.startsWith(kept), `a prefix of the answer, no more: "${kept}"`);
    assert.equal(await assistant().last().getAttribute('data-status'), 'incomplete');

    const rest = ' and the rest.';
    wb.server.reset();
    wb.server.enqueue({ body: sse(rest) });
    await assistant().last().locator('[data-testid="continue"]').click();
    await settled().filter({ hasText: 'and the rest.' }).waitFor({ timeout: 30_000 });
    const sent = String(wb.lastBody().messages.at(-2)?.content);
    assert.equal(sent.trim(), kept, 'the partial answer went back as it was shown');
    assert.equal(await shownAnswer(), `${sent}${rest}`.trim());
  });

  it('another conversation from history while an answer streams, and back: both exact, the answer stopped where it was', async () => {
    await wb.newChat();
    wb.server.enqueue({ body: sse('The earlier answer, whole.') });
    await wb.ask('An earlier topic');
    await settled().filter({ hasText: 'The earlier answer, whole.' }).waitFor({ timeout: 30_000 });

    await wb.newChat();
    const text = counted(200, 'h');
    wb.server.enqueue(slow(text));
    await wb.ask('A topic left mid-answer');
    await streamingNow();
    await wb
      .panel()
      .locator('[data-role="assistant"] .body', { hasText: /h0[1-9]\d/ })
      .waitFor();

    await wb.openFromHistory('An earlier topic');
    await settled().waitFor({ timeout: 30_000 });
    assert.equal(await wb.panel().locator('[data-role="assistant"]').count(), 1);
    assert.equal(await shownAnswer(), 'The earlier answer, whole.');

    await wb.openFromHistory('A topic left mid-answer');
    await settled().waitFor({ timeout: 30_000 });
    assert.equal(await assistant().count(), 1);
    const kept = await shownAnswer();
    assert.ok(kept.length > 0 && text.startsWith(kept), `a prefix of the answer, no more: "${kept}"`);
    assert.match((await assistant().last().getAttribute('data-status')) ?? '', /^(stopped|incomplete)$/);
  });

  for (const to of ['New Panel Entry', 'New Secondary Side Bar Entry'] as const) {
    it(`keeps the answer exact when the view is moved (${to}) while it streams`, async () => {
      await wb.newChat();
      const text = counted(200, 'm');
      wb.server.enqueue(slow(text));
      await wb.ask(`Count while moving to ${to}`);
      await streamingNow();
      await wb
        .panel()
        .locator('[data-role="assistant"] .body', { hasText: /m0[1-9]\d/ })
        .waitFor();
      await moveChatView(wb.page, to);
      await settled().last().waitFor({ timeout: 60_000 });
      assert.equal(await shownAnswer(), text);
      assert.equal(await assistant().count(), 1);
    });
  }
});

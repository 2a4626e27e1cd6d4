import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Mention } from '../../src/common/mentions/mentionTypes';
import type { MentionItem } from '../../src/common/panel/protocol';
import { deliver, posted, pagePerTest, type TestWindow } from './harness';

const A: Mention = { kind: 'file', path: 'src/a.ts' };
const BIN: Mention = { kind: 'file', path: 'assets/logo.png' };
const SRC: Mention = { kind: 'folder', path: 'src' };
const PROBLEMS: Mention = { kind: 'problems' };

const ITEMS: MentionItem[] = [
  { mention: { kind: 'file', path: 'src/queue.ts' }, label: 'src/queue.ts', matches: [4, 5, 6] },
  { mention: { kind: 'folder', path: 'src/queries' }, label: 'src/queries', matches: [4, 5, 6] },
  { mention: PROBLEMS, label: 'problems', detail: 'errors and warnings of the active file' },
];

/** Everything posted after `ready`. */
async function sent(page: Page): Promise<unknown[]> {
  return (await posted(page)).slice(1);
}

async function ofType(page: Page, type: string): Promise<unknown[]> {
  return (await sent(page)).filter((m) => (m as { type: string }).type === type);
}

/** Waits until the latest `mentionQuery`, newer than id `after`, asks for `query`; its id. */
async function queried(page: Page, query: string, after = 0): Promise<number> {
  const handle = await page.waitForFunction(
    ([q, after]) => {
      const all = (window as unknown as TestWindow).__posted as {
        type: string;
        id?: number;
        query?: string;
      }[];
      const last = all.filter((m) => m.type === 'mentionQuery').at(-1);
      return last?.query === q && (last.id ?? 0) > after ? last.id : undefined;
    },
    [query, after] as const,
    { polling: 10 },
  );
  return (await handle.jsonValue()) as number;
}

async function lastQueryId(page: Page): Promise<number> {
  const queries = (await ofType(page, 'mentionQuery')) as { id: number }[];
  return queries.at(-1)?.id ?? 0;
}

/** Types `text` into the composer and answers the query it ends with by `items`. */
async function openPicker(page: Page, text: string, items: MentionItem[] = ITEMS): Promise<void> {
  const composer = page.getByTestId('composer');
  const before = await lastQueryId(page);
  await composer.focus();
  await composer.pressSequentially(text);
  const id = await queried(page, text.slice(text.lastIndexOf('@') + 1), before);
  await deliver(page, { type: 'mentionResults', id, items });
  await page.getByTestId('mention-picker').waitFor();
}

const chip = (page: Page, kind: string) => page.locator(`[data-testid="context-chip"][data-kind="${kind}"]`);

describe('webview @-mentions (Chromium)', function () {
  this.timeout(30_000);
  let page: Page;
  pagePerTest((p) => (page = p));

  it('@ and letters post the query; the rows show as an accessible list, the matched letters bold', async () => {
    const composer = page.getByTestId('composer');
    assert.equal(await page.getByTestId('mention-picker').isVisible(), false);
    await openPicker(page, 'explain @que');
    const queries = (await ofType(page, 'mentionQuery')) as { id: number; query: string }[];
    assert.ok(queries.length >= 1);
    queries.forEach((q, i) => i && assert.ok(q.id > queries[i - 1].id, 'ids increase'));
    assert.equal(queries.at(-1)?.query, 'que');

    const rows = page.getByTestId('mention-item');
    assert.deepEqual(await rows.allTextContents(), [
      'src/queue.ts',
      'src/queries',
      'problemserrors and warnings of the active file',
    ]);
    assert.deepEqual(
      await rows.evaluateAll((all) => all.map((r) => [r.dataset.kind, r.dataset.path ?? null])),
      [
        ['file', 'src/queue.ts'],
        ['folder', 'src/queries'],
        ['problems', null],
      ],
    );
    assert.deepEqual(await rows.first().locator('b').allTextContents(), ['que']);
    assert.equal(await rows.nth(2).locator('.codicon-warning').count(), 1);
    const listbox = page.getByRole('listbox');
    assert.equal(await listbox.getByRole('option').count(), 3);
    assert.deepEqual(await rows.evaluateAll((all) => all.map((r) => r.getAttribute('aria-selected'))), [
      'true',
      'false',
      'false',
    ]);
    assert.equal(await composer.getAttribute('aria-expanded'), 'true');
    assert.equal(await composer.getAttribute('aria-controls'), await listbox.getAttribute('id'));
    assert.equal(await composer.getAttribute('aria-activedescendant'), await rows.first().getAttribute('id'));
  });

  it('ArrowDown and Enter pick the second row: the @query leaves the text, a chip comes, nothing is sent', async () => {
    await openPicker(page, 'explain @que');
    const composer = page.getByTestId('composer');
    await page.keyboard.press('ArrowDown');
    const second = page.getByTestId('mention-item').nth(1);
    assert.equal(await second.getAttribute('aria-selected'), 'true');
    assert.equal(await composer.getAttribute('aria-activedescendant'), await second.getAttribute('id'));
    await page.keyboard.press('Enter');
    assert.equal(await composer.inputValue(), 'explain ');
    assert.equal(await page.getByTestId('mention-picker').isVisible(), false);
    assert.equal(await composer.getAttribute('aria-expanded'), 'false');
    const folder = chip(page, 'folder');
    assert.equal(await folder.locator('.chip-label').textContent(), 'queries');
    assert.equal(await folder.getAttribute('title'), 'src/queries');
    assert.deepEqual(await ofType(page, 'send'), []);
    assert.deepEqual(await ofType(page, 'mentionsChanged'), [
      { type: 'mentionsChanged', mentions: [{ kind: 'folder', path: 'src/queries' }] },
    ]);
  });

  it('a click on a row picks it', async () => {
    await openPicker(page, '@que');
    await page.getByTestId('mention-item').nth(2).click();
    assert.equal(await page.getByTestId('composer').inputValue(), '');
    assert.equal(await chip(page, 'problems').locator('.chip-label').textContent(), 'Problems');
    assert.equal(await page.getByTestId('mention-picker').isVisible(), false);
  });

  it('Tab picks a file; on a folder it completes the path, to search inside it', async () => {
    const composer = page.getByTestId('composer');
    await openPicker(page, '@que');
    await page.keyboard.press('Tab');
    assert.equal(await chip(page, 'file').getAttribute('title'), 'src/queue.ts');
    assert.equal(await composer.inputValue(), '');

    await openPicker(page, 'in @que');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    assert.equal(await composer.inputValue(), 'in @src/queries/');
    const id = await queried(page, 'src/queries/', (await lastQueryId(page)) - 1);
    assert.equal(await chip(page, 'folder').count(), 0, 'not picked');
    const inside: MentionItem = {
      mention: { kind: 'file', path: 'src/queries/b.ts' },
      label: 'src/queries/b.ts',
    };
    await deliver(page, { type: 'mentionResults', id, items: [inside] });
    await page.getByTestId('mention-item').waitFor();
    await page.keyboard.press('Enter');
    assert.equal(await composer.inputValue(), 'in ');
    assert.deepEqual(
      await page.getByTestId('context-chip').evaluateAll((all) => all.map((c) => c.getAttribute('title'))),
      ['src/queue.ts', 'src/queries/b.ts'],
    );
  });

  it('Escape closes the picker and keeps the text, without stopping the answer', async () => {
    await deliver(page, {
      type: 'append',
      message: { id: 'a', role: 'assistant', text: '', status: 'streaming', requestId: 'r' },
    });
    await page.getByTestId('stop').waitFor();
    await openPicker(page, 'see @que');
    await page.keyboard.press('Escape');
    assert.equal(await page.getByTestId('mention-picker').isVisible(), false);
    assert.equal(await page.getByTestId('composer').inputValue(), 'see @que');
    assert.deepEqual(await ofType(page, 'stop'), []);
    await page.keyboard.press('Escape');
    assert.deepEqual(await ofType(page, 'stop'), [{ type: 'stop' }], 'with the picker closed, Escape stops');
  });

  it('Enter never sends while the picker is open: with no matches it closes it, the next Enter sends', async () => {
    await openPicker(page, 'hi @zz', []);
    assert.equal(await page.getByTestId('mention-item').count(), 0);
    assert.equal(await page.getByTestId('mention-picker').innerText(), 'No matches');
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('mention-picker').isVisible(), false);
    assert.deepEqual(await ofType(page, 'send'), []);
    await page.keyboard.press('Enter');
    assert.deepEqual(await ofType(page, 'send'), [{ type: 'send', text: 'hi @zz' }]);
  });

  it('drops rows for a query older than the latest', async () => {
    const composer = page.getByTestId('composer');
    await composer.focus();
    await composer.pressSequentially('@q');
    const first = await queried(page, 'q');
    await composer.pressSequentially('u');
    const second = await queried(page, 'qu');
    assert.ok(second > first);
    await deliver(page, { type: 'mentionResults', id: first, items: ITEMS });
    assert.equal(await page.getByTestId('mention-picker').isVisible(), false);
    await deliver(page, { type: 'mentionResults', id: second, items: ITEMS.slice(2) });
    await page.getByTestId('mention-picker').waitFor();
    await deliver(page, { type: 'mentionResults', id: first, items: ITEMS });
    assert.deepEqual(
      await page.getByTestId('mention-item').evaluateAll((all) => all.map((r) => r.dataset.kind)),
      ['problems'],
    );
  });

  it('puts the host’s tokens and notes on the chips by key, shows the rules, and sends the mentions in order', async () => {
    await deliver(page, { type: 'addMentions', mentions: [A, PROBLEMS, BIN] });
    await deliver(page, {
      type: 'context',
      context: { window: 100_000, system: 0, turns: 0, history: 0, leftOut: 0, selection: 0, reserve: 0 },
    });
    await deliver(page, {
      type: 'mentionInfo',
      // Out of order, and one for a mention no longer in the composer: matched by key.
      chips: [
        { label: 'logo.png', kind: 'file', mention: BIN, tokens: 0, notes: ['binary: not sent'] },
        { label: 'gone.ts', kind: 'file', mention: { kind: 'file', path: 'src/gone.ts' }, tokens: 99 },
        {
          label: 'a.ts',
          kind: 'file',
          mention: A,
          tokens: 1234,
          notes: ['lines 1–1,200 of 9,000 sent'],
        },
      ],
      rules: { label: 'Rules', kind: 'rules', tokens: 300, paths: ['AGENTS.md', 'src/AGENTS.md'] },
    });
    const chips = page.getByTestId('context-chip');
    assert.deepEqual(await chips.evaluateAll((all) => all.map((c) => c.dataset.kind)), [
      'rules',
      'file',
      'problems',
      'file',
    ]);
    const a = chips.nth(1);
    assert.equal(await a.locator('.chip-label').textContent(), 'a.ts');
    assert.equal(await a.locator('[data-role="tokens"]').textContent(), '1.2k');
    assert.deepEqual(await a.locator('[data-role="note"]').allTextContents(), [
      'lines 1–1,200 of 9,000 sent',
    ]);
    assert.equal(await a.getAttribute('title'), 'src/a.ts\nAbout 1234 tokens\nlines 1–1,200 of 9,000 sent');
    assert.equal(await chips.nth(2).locator('[data-role="tokens"]').count(), 0, 'not measured yet');
    assert.deepEqual(await chips.nth(3).locator('[data-role="note"]').allTextContents(), [
      'binary: not sent',
    ]);
    assert.equal(await chips.nth(3).locator('[data-role="tokens"]').textContent(), '0');
    const rules = chip(page, 'rules');
    assert.equal(await rules.locator('[data-role="tokens"]').textContent(), '300');
    assert.equal(await rules.getAttribute('title'), 'Rules\nAbout 300 tokens\nAGENTS.md\nsrc/AGENTS.md');
    assert.equal(await rules.getByRole('button').count(), 0, 'the rules are not the user’s to remove');
    const meter = ((await page.getByTestId('context-meter').getAttribute('title')) ?? '').split('\n');
    assert.ok(meter.includes('Mentions and project rules: 1534'), meter.join(' | '));

    const composer = page.getByTestId('composer');
    await composer.fill('why?');
    await composer.press('Enter');
    assert.deepEqual(await ofType(page, 'send'), [
      { type: 'send', text: 'why?', mentions: [A, PROBLEMS, BIN] },
    ]);
    assert.deepEqual((await sent(page)).at(-1), { type: 'mentionsChanged', mentions: [] });
    assert.deepEqual(await chips.evaluateAll((all) => all.map((c) => c.dataset.kind)), ['rules']);
    await deliver(page, { type: 'mentionInfo', chips: [] });
    assert.equal(await chips.count(), 0, 'no rules apply: no rules chip');
  });

  it('Backspace at the start of an empty composer removes the last mention, × any', async () => {
    await deliver(page, { type: 'addMentions', mentions: [A, SRC] });
    const composer = page.getByTestId('composer');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'composer');
    await composer.press('Backspace');
    assert.deepEqual(
      await page.getByTestId('context-chip').evaluateAll((all) => all.map((c) => c.dataset.kind)),
      ['file'],
    );
    await composer.pressSequentially('x');
    await composer.press('Backspace');
    assert.equal(await page.getByTestId('context-chip').count(), 1, 'Backspace took the letter');
    await page.getByTestId('context-chip-remove').click();
    assert.equal(await page.getByTestId('context-chip').count(), 0);
    assert.deepEqual(await ofType(page, 'mentionsChanged'), [
      { type: 'mentionsChanged', mentions: [A, SRC] },
      { type: 'mentionsChanged', mentions: [A] },
      { type: 'mentionsChanged', mentions: [] },
    ]);
  });

  it('Add to Chat adds mentions once each and focuses the composer', async () => {
    await page.getByTestId('new-chat').focus();
    await deliver(page, { type: 'addMentions', mentions: [A, A, SRC] });
    await deliver(page, { type: 'addMentions', mentions: [{ kind: 'file', path: 'src/a.ts' }, PROBLEMS] });
    assert.deepEqual(
      await page.getByTestId('context-chip').evaluateAll((all) => all.map((c) => c.getAttribute('title'))),
      ['src/a.ts', 'src', 'Problems'],
    );
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'composer');
    assert.deepEqual(await ofType(page, 'mentionsChanged'), [
      { type: 'mentionsChanged', mentions: [A, SRC] },
      { type: 'mentionsChanged', mentions: [A, SRC, PROBLEMS] },
    ]);
  });

  it('shows a path with markup as text: in the picker, on the chip, under the sent question', async () => {
    const path = 'src/<img src=x onerror="top.__pwned=1">.ts';
    const mention: Mention = { kind: 'file', path };
    await openPicker(page, '@img', [{ mention, label: path, matches: [4, 5] }]);
    const row = page.getByTestId('mention-item');
    assert.equal(await row.textContent(), path);
    assert.equal(await row.getAttribute('data-path'), path);
    await page.keyboard.press('Enter');
    const notes = ['<b onmouseover="top.__pwned=1">note</b>'];
    await deliver(page, { type: 'mentionInfo', chips: [{ label: path, kind: 'file', mention, notes }] });
    assert.equal(
      await chip(page, 'file').locator('.chip-label').textContent(),
      '<img src=x onerror="top.__pwned=1">.ts',
    );
    await deliver(page, {
      type: 'append',
      message: { id: 'u', role: 'user', text: 'q', context: [{ label: path, kind: 'file', mention, notes }] },
    });
    const sentChip = page.locator('[data-id="u"] [data-testid="context-chip"]');
    assert.equal(await sentChip.locator('[data-role="note"]').textContent(), notes[0]);
    assert.equal(await sentChip.getAttribute('title'), `${path}\n${notes[0]}`);
    assert.equal(await page.locator('#app img, #app [onerror], #app [onmouseover]').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as TestWindow).__pwned), undefined);
  });

  it('keeps the mention chips and their measures across a rebuild, and has them measured again', async () => {
    await deliver(page, { type: 'addMentions', mentions: [A, PROBLEMS] });
    await deliver(page, {
      type: 'mentionInfo',
      chips: [
        { label: 'a.ts', kind: 'file', mention: A, tokens: 1234, notes: ['lines 1–1,200 of 9,000 sent'] },
      ],
    });
    await page.getByTestId('composer').fill('draft');
    await page.reload();
    await page.waitForFunction(() => (window as unknown as TestWindow).__posted.length > 0);
    const chips = page.getByTestId('context-chip');
    assert.deepEqual(await chips.evaluateAll((all) => all.map((c) => c.dataset.kind)), ['file', 'problems']);
    assert.equal(await chips.first().locator('[data-role="tokens"]').textContent(), '1.2k');
    assert.deepEqual(await posted(page), [
      { type: 'ready' },
      { type: 'mentionsChanged', mentions: [A, PROBLEMS] },
    ]);
    await page.getByTestId('send').click();
    assert.deepEqual((await ofType(page, 'send')).at(-1), {
      type: 'send',
      text: 'draft',
      mentions: [A, PROBLEMS],
    });
  });

  it('drops saved mentions it cannot read, and still builds the composer', async () => {
    await page.evaluate(() =>
      sessionStorage.setItem(
        'relay-state',
        JSON.stringify({
          draft: 'kept',
          mentions: [null, { mention: { kind: 'nope' } }, { mention: { kind: 'open' }, tokens: 'many' }],
        }),
      ),
    );
    await page.reload();
    await page.waitForFunction(() => (window as unknown as TestWindow).__posted.length > 0);
    assert.equal(await page.getByTestId('composer').inputValue(), 'kept');
    const open = chip(page, 'open');
    assert.equal(await open.locator('.chip-label').textContent(), 'Open editors');
    assert.equal(await open.locator('[data-role="tokens"]').count(), 0);
  });

  it('shows what a sent question carried: kind, tokens, notes, the rules’ files; a label-only chip as before', async () => {
    await deliver(page, {
      type: 'append',
      message: {
        id: 'u',
        role: 'user',
        text: 'why?',
        context: [
          { label: 'a.ts', kind: 'file', mention: A, tokens: 1234, notes: ['lines 1–1,200 of 9,000 sent'] },
          { label: 'Rules', kind: 'rules', tokens: 300, paths: ['AGENTS.md', 'src/AGENTS.md'] },
          { label: 'src/big.txt:1-40' },
        ],
      },
    });
    const chips = page.locator('[data-id="u"] [data-testid="context-chip"]');
    assert.deepEqual(await chips.evaluateAll((all) => all.map((c) => c.getAttribute('data-kind'))), [
      'file',
      'rules',
      null,
    ]);
    assert.deepEqual(await chips.allTextContents(), [
      'a.ts1.2klines 1–1,200 of 9,000 sent',
      'Rules300',
      'src/big.txt:1-40',
    ]);
    assert.equal(await chips.nth(0).locator('[data-role="tokens"]').textContent(), '1.2k');
    assert.equal(
      await chips.nth(1).getAttribute('title'),
      'Rules\nAbout 300 tokens\nAGENTS.md\nsrc/AGENTS.md',
    );
    assert.equal(await chips.nth(2).getAttribute('title'), 'src/big.txt:1-40');
  });
});

/**
 * Issue 13, compare: one question to two models of two profiles at once, in the real VS Code. The
 * fake endpoint holds both streams open together; one model fails while the other still streams
 * and then finishes; the user picks the second, and the next request carries its text only.
 */
import assert from 'node:assert/strict';
import { jsonError, sse, type Scenario } from '../fakeServer/fakeServer';
import { useWorkbench, type ChatBody } from './fixture';
import { ensurePanel, textOf } from './workbench';

const FIRST = 'default/fake-model';
const SECOND = 'p2/fake-reasoner';
const SECOND_TEXT = 'The second model answers in full, streamed while the first one failed.';

/** A gate the test opens by hand. */
function gate(): { open: Promise<void>; release(): void } {
  let release!: () => void;
  const open = new Promise<void>((r) => (release = r));
  return { open, release };
}

/** Sends the role chunk and the first piece of `text`, then waits for `open`. */
function heldStream(text: string, open: Promise<void>): Scenario {
  const body = sse(text, { pieceSize: 24, model: 'fake-reasoner' });
  const firstTwo = body.split('\n\n').slice(0, 2).join('\n\n') + '\n\n';
  return { body, gate: { afterBytes: Buffer.byteLength(firstTwo), open } };
}

describe('relay compare: several models at once (e2e)', function () {
  this.timeout(240_000);
  const wb = useWorkbench((server) => ({
    'relayChat.retries': 0,
    'relayChat.profiles': [
      { id: 'p2', name: 'Second relay', baseUrl: `${server.url}/p2/v1`, defaultModel: 'fake-reasoner' },
    ],
  }));
  const answerOf = (model: string) =>
    wb.panel().locator(`[data-testid="compare-answer"][data-model="${model}"]`);

  it('lists every profile’s models with a filter, and turns compare on with two checked', async () => {
    await wb.newChat();
    await wb.panel().locator('[data-testid="compare"]').click();
    const boxes = wb.panel().locator('input[type="checkbox"][data-testid="compare-model"]');
    await boxes.first().waitFor({ timeout: 30_000 });
    const values = await boxes.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    assert.deepEqual(values.sort(), [
      'default/fake-model',
      'default/fake-reasoner',
      'default/fake-vision',
      'p2/fake-model',
      'p2/fake-reasoner',
      'p2/fake-vision',
    ]);
    await wb.panel().locator('[data-testid="compare-filter"]').fill('p2 reason');
    const shown = await boxes.evaluateAll((els) =>
      els
        .filter((e) => !(e.closest('label') as HTMLElement).hidden)
        .map((e) => (e as HTMLInputElement).value),
    );
    assert.deepEqual(shown, [SECOND]);
    await wb.panel().locator('[data-testid="compare-filter"]').fill('');
    await wb.panel().locator(`input[data-testid="compare-model"][value="${FIRST}"]`).check();
    await wb.panel().locator(`input[data-testid="compare-model"][value="${SECOND}"]`).check();
    await wb.panel().locator('[data-testid="compare"][aria-pressed="true"]').waitFor();
    await wb.panel().locator('[data-testid="compare"]').click();
  });

  it('streams both in parallel, one failing while the other finishes; the picked answer is what the next request carries', async () => {
    const failFirst = gate();
    const finishSecond = gate();
    const bothAsked = gate();
    // The first model fails only once both requests are open; the second streams its first piece.
    wb.server.enqueueFor('fake-model', {
      ...jsonError(500, 'upstream model overloaded'),
      gate: { afterBytes: 0, open: Promise.all([bothAsked.open, failFirst.open]) },
    });
    wb.server.enqueueFor('fake-reasoner', heldStream(SECOND_TEXT, finishSecond.open));
    await wb.ask('Which model explains this best?');
    await wb.waitForRequests(2);
    bothAsked.release();
    const paths = wb.chatRequests().map((r) => `${r.path} ${(r.body as ChatBody).model}`);
    assert.deepEqual(paths.sort(), [
      '/p2/v1/chat/completions fake-reasoner',
      '/v1/chat/completions fake-model',
    ]);
    // Both open at once: the second shows its first piece while the first has not answered yet.
    await answerOf(SECOND)
      .locator('.body')
      .filter({ hasText: SECOND_TEXT.slice(0, 24) })
      .waitFor();
    assert.equal(await answerOf(SECOND).getAttribute('data-streaming'), 'true');
    assert.equal(await answerOf(FIRST).getAttribute('data-streaming'), 'true');

    failFirst.release();
    await answerOf(FIRST).and(wb.panel().locator('[data-role="error"]')).waitFor({ timeout: 30_000 });
    assert.match(await textOf(answerOf(FIRST).locator('.error-title')), /500/);
    assert.equal(await textOf(answerOf(FIRST).locator('.error-detail')), 'upstream model overloaded');
    // One failing never stops the other.
    assert.equal(await answerOf(SECOND).getAttribute('data-streaming'), 'true');

    finishSecond.release();
    await answerOf(SECOND).locator('[data-testid="pick-answer"]').waitFor({ timeout: 30_000 });
    assert.equal((await textOf(answerOf(SECOND).locator('.body'))).trim(), SECOND_TEXT);
    assert.equal(await textOf(answerOf(SECOND).locator('.compare-model')), SECOND);

    await answerOf(SECOND).locator('[data-testid="pick-answer"]').click();
    await answerOf(SECOND).waitFor({ state: 'detached' });
    await answerOf(FIRST).waitFor({ state: 'detached' });
    const answer = wb.panel().locator('[data-role="assistant"]');
    assert.equal(await answer.count(), 1);
    assert.equal((await textOf(answer.locator('.body'))).trim(), SECOND_TEXT);

    // Compare stays on: the next question goes to both, carrying the picked text only.
    wb.server.enqueueFor('fake-model', { body: sse('First again.') });
    wb.server.enqueueFor('fake-reasoner', { body: sse('Second again.') });
    await ensurePanel(wb.page);
    await wb.ask('And a follow-up?');
    await wb.waitForRequests(4);
    for (const request of wb.chatRequests().slice(2)) {
      assert.deepEqual((request.body as ChatBody).messages, [
        { role: 'user', content: 'Which model explains this best?' },
        { role: 'assistant', content: SECOND_TEXT },
        { role: 'user', content: 'And a follow-up?' },
      ]);
    }
    await answerOf(FIRST).locator('[data-testid="pick-answer"]').waitFor({ timeout: 30_000 });
    await answerOf(SECOND).locator('[data-testid="pick-answer"]').waitFor({ timeout: 30_000 });
  });
});

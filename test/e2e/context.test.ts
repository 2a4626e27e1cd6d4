/**
 * The model's context window in a real VS Code: a selection larger than the window asks first and
 * sends the part that fits; a long conversation leaves its oldest turns out and says so; a relay
 * that refuses for length teaches the window and is asked once more; the meter beside Send.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sse, type Scenario } from '../fakeServer/fakeServer';
import { useWorkbench } from './fixture';
import { answerInputBox, ensurePanel, openFile, runCommand, setSetting, textOf } from './workbench';
import { estimateTokens } from '../../src/common/tokens/estimateTokens';
import { compactTokens } from '../../src/common/context/tokenLabels';
import { messageTokens, REQUEST_OVERHEAD } from '../../src/common/context/requestTokens';
import type { ChatMessage } from '../../src/common/endpoint/chatTypes';

const WINDOW = 8192;
/** A 60,000-line file, about 3.6 MB (plain text, so no language server works on it meanwhile). */
const BIG_LINES = Array.from(
  { length: 60_000 },
  (_, i) => `export const entry${i} = { id: ${i}, name: 'item ${i}' };`,
);

function overflow(window: number, requested: number): Scenario {
  return {
    status: 400,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      error: {
        message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${requested} tokens. Please reduce the length of the messages.`,
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    }),
  };
}

/** The modal VS Code shows for showWarningMessage({ modal: true }). */
async function dialog(page: Page, message: string) {
  const box = page.locator('.monaco-dialog-box', { hasText: message });
  await box.waitFor({ timeout: 30_000 });
  return box;
}

const estimate = (messages: ChatMessage[]) =>
  REQUEST_OVERHEAD + messages.reduce((sum, m) => sum + messageTokens(m), 0);

describe('The context window in a real VS Code', function () {
  this.timeout(240_000);
  const wb = useWorkbench((server) => ({
    'relayChat.profiles': [
      {
        id: 'small',
        name: 'Small window',
        baseUrl: server.baseUrl,
        defaultModel: 'fake-model',
        models: { 'fake-model': { contextWindow: WINDOW } },
      },
      { id: 'learn', name: 'Learns', baseUrl: server.baseUrl, defaultModel: 'fake-vision' },
    ],
    'relayChat.activeProfile': 'small',
  }));
  const panel = () => wb.panel();
  const done = () => panel().locator('[data-role="assistant"]:not([data-streaming])');

  it('asks before sending a selection larger than the window, and sends the lines that fit', async () => {
    writeFileSync(join(wb.vscode.workspace, 'src', 'big.txt'), `${BIG_LINES.join('\n')}\n`);
    await ensurePanel(wb.page);
    await openFile(wb.page, 'src/big.txt');
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.press('Control+A');
    await runCommand(wb.page, 'Relay Chat: Ask About Selection');
    await answerInputBox(wb.page, 'Ask about src/big.txt:1-60000', 'What is in here?');

    const box = await dialog(wb.page, "The selection is larger than the model's context window.");
    const detail = await textOf(box.locator('.dialog-message-detail'));
    const offer = /Send lines 1–(\d+) of src\/big\.txt/.exec(detail);
    assert.ok(offer, detail);
    const last = Number(offer[1]);
    assert.match(
      detail,
      /^About [\d.]+[kM] tokens, and the 8k context window of fake-model holds 6\.6k with 1\.6k kept for the answer\./,
    );
    await box.getByRole('button', { name: `Send lines 1–${last}` }).click();

    await done().last().waitFor({ timeout: 60_000 });
    await wb.waitForRequests(1);
    const body = wb.lastBody();
    assert.equal(body.messages.length, 1);
    const content = body.messages[0].content as string;
    assert.equal(
      content,
      [
        'What is in here?',
        '',
        `File: src/big.txt (language: plaintext), lines 1-${last}:`,
        '```plaintext',
        ...BIG_LINES.slice(0, last),
        '```',
      ].join('\n'),
    );
    assert.ok(
      estimate(body.messages as ChatMessage[]) <= WINDOW - 1638,
      'what was sent fits beside the reserve',
    );
    assert.equal(await textOf(panel().locator('[data-role="user"] .chip').last()), `src/big.txt:1-${last}`);
    await wb.page.keyboard.press('Control+W');
  });

  it('leaves out the oldest turns of a long conversation, says so, and offers New Chat', async () => {
    await wb.newChat();
    const question = (i: number) =>
      `Question ${i}: ${'review this paragraph of the design once more please '.repeat(220)}`;
    for (let i = 1; i <= 3; i++) {
      wb.server.enqueue({ body: sse(`Answer ${i}. `.repeat(150)) });
      await wb.ask(question(i));
      await done()
        .nth(i - 1)
        .waitFor({ timeout: 60_000 });
    }
    await wb.waitForRequests(3);
    const body = wb.lastBody();
    const sent = body.messages as ChatMessage[];
    assert.deepEqual(sent.at(-1), { role: 'user', content: question(3) });
    assert.equal(sent[0].role, 'user');
    const leftOut = 5 - sent.length;
    assert.ok(leftOut >= 2, `left out ${leftOut}`);
    assert.ok(estimate(sent) <= WINDOW - 1638);
    const notice = done().last().locator('.notice');
    assert.equal(await textOf(notice), `${leftOut} earlier messages left out to fit the 8k context`);
    const newChat = panel().locator('[data-testid="context-new-chat"]');
    await newChat.waitFor({ state: 'visible', timeout: 15_000 });
    await newChat.click();
    await panel().locator('[data-role]').first().waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('shows the next request over the window in the meter as the user types', async () => {
    await wb.newChat();
    const meter = panel().locator('[data-testid="context-meter"]');
    const composer = panel().locator('textarea[data-testid="composer"]');
    await composer.fill('');
    // An empty chat: the request's own overhead and an empty message; the answer reserve (1638)
    // is not shown in the figure, but counts for the colour.
    const expected = (text: string) => REQUEST_OVERHEAD + 4 + estimateTokens(text);
    await waitForText(meter, `${compactTokens(expected(''))} / 8.2k`);
    assert.equal(await textOf(meter), '7 / 8.2k');
    assert.equal(await meter.getAttribute('data-level'), 'ok');
    const long = 'explain the whole module and every function in it '.repeat(500);
    await composer.fill(long);
    await waitForText(meter, `${compactTokens(expected(long))} / 8.2k`);
    assert.equal(await meter.getAttribute('data-level'), expected(long) + 1638 > WINDOW ? 'over' : 'warning');
    assert.equal(
      await meter.getAttribute('title'),
      [
        `The next request: about ${expected(long)} of ${WINDOW} tokens`,
        'System prompt: 0',
        `0 earlier turns: ${REQUEST_OVERHEAD}`,
        'Attachments and selection: 0',
        `Your message: ${estimateTokens(long) + 4}`,
        'Answer reserve: 1638',
      ].join('\n'),
    );
    await composer.fill('');
  });

  it('learns the window from a refusal and asks again once; a second refusal shows the numbers and New Chat', async () => {
    await setSetting(wb.page, 'relayChat.activeProfile', 'learn', wb.settingsFile);
    await wb.newChat();
    const first = `First: ${'a long description of the module and its parts '.repeat(150)}`;
    wb.server.enqueue({ body: sse('Noted. '.repeat(100)) });
    await wb.ask(first);
    await done().first().waitFor({ timeout: 60_000 });

    wb.server.enqueue(overflow(2048, 2600), { body: sse('Fitted answer.') });
    await wb.ask('And the second question?');
    await done().nth(1).waitFor({ timeout: 60_000 });
    await wb.waitForRequests(3);
    const [, refused, retried] = wb.chatRequests().map((r) => r.body as { messages: ChatMessage[] });
    assert.equal(refused.messages.length, 3);
    assert.deepEqual(retried.messages, [{ role: 'user', content: 'And the second question?' }]);
    const answer = done().nth(1);
    assert.equal(
      await textOf(answer.locator('.notice')),
      'The relay refused the request as longer than its 2k context: asked again with 2 earlier message(s) left out.',
    );
    assert.match(await textOf(answer), /Fitted answer\./);

    wb.server.enqueue(overflow(2048, 2100), overflow(2048, 2050));
    await wb.ask('Third question?');
    const error = panel().locator('[data-role="error"]').last();
    await error.waitFor({ timeout: 60_000 });
    await wb.waitForRequests(5);
    assert.equal(
      await textOf(error.locator('.error-title')),
      `The question does not fit the model's context window (HTTP 400 from 127.0.0.1:${wb.server.port})`,
    );
    assert.match(
      await textOf(error.locator('.error-detail')),
      /^About \d+ tokens to send and \d+ kept for the answer; the context window is 2048 tokens\.\nThis model's maximum context length is 2048 tokens/,
    );
    await error.locator('[data-testid="error-new-chat"]').click();
    await panel().locator('[data-role]').first().waitFor({ state: 'detached', timeout: 15_000 });
  });
});

async function waitForText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let seen = '';
  while (Date.now() < deadline) {
    seen = (await locator.textContent()) ?? '';
    if (seen === text) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(seen, text);
}

/**
 * The extension in a real VS Code (code-server) driven through the clicks a person makes, against
 * the fake OpenAI-compatible wb.server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { jsonError, sse } from '../fakeServer/fakeServer';
import { useWorkbench } from './fixture';
import {
  answerInputBox,
  ensurePanel,
  openFile,
  pickQuickItem,
  runCommand,
  selectLines,
  setSetting,
  textOf,
} from './workbench';

describe('Relay Chat in a real VS Code', function () {
  this.timeout(120_000);
  const wb = useWorkbench();
  const panel = () => wb.panel();
  const chatRequests = () => wb.chatRequests();
  const lastBody = () => wb.lastBody();
  const waitForRequests = (n: number) => wb.waitForRequests(n);
  const newChat = () => wb.newChat();

  it('streams the answer to "Ask About Selection" into the panel and sends the selection as one text message', async () => {
    wb.server.enqueue({
      body: sse('The function **fibonacci** iterates; it runs in O(n).', { pieceSize: 3 }),
      delayMs: 30,
      chunkSize: 120,
    });
    await openFile(wb.page, 'src/sample.ts');
    await selectLines(wb.page, 2, 4);
    await runCommand(wb.page, 'Relay Chat: Ask About Selection');
    await answerInputBox(wb.page, 'Ask about src/sample.ts:2-4', 'What does this do?');

    const answer = panel().locator('[data-role="assistant"]').last();
    await answer.waitFor({ timeout: 30_000 });
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])')
      .last()
      .waitFor({ timeout: 30_000 });
    assert.match(await textOf(answer), /fibonacci/);
    assert.match(await textOf(answer), /O\(n\)/);
    assert.match(await textOf(panel().locator('[data-role="user"]').last()), /What does this do\?/);

    await waitForRequests(1);
    const request = chatRequests()[0];
    assert.equal(request.path, '/v1/chat/completions', 'a trailing slash in the base URL is normalised');
    assert.equal(request.headers.authorization, undefined, 'no key set: no Authorization header');
    const body = lastBody();
    assert.equal(body.model, 'fake-model');
    assert.equal(body.stream, true);
    assert.equal(body.messages.length, 1);
    assert.equal(body.messages[0].role, 'user');
    // Text parts travel as one string (strict servers refuse arrays), the fenced block intact.
    assert.equal(
      body.messages[0].content,
      [
        'What does this do?',
        '',
        'File: src/sample.ts (language: typescript), lines 2-4:',
        '```typescript',
        'export function fibonacci(n: number): number {',
        '  if (n < 2) return n;',
        '  let [a, b] = [0, 1];',
        '```',
      ].join('\n'),
    );
  });

  it('sends a follow-up typed in the composer with the whole conversation', async () => {
    wb.server.reset();
    wb.server.enqueue({ body: sse('Yes: fibonacci(10) is 55.') });
    const composer = panel().locator('textarea[data-testid="composer"]');
    await composer.fill('And fibonacci(10)?');
    await composer.press('Enter');
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: '55' })
      .waitFor({ timeout: 30_000 });
    await waitForRequests(1);
    const body = lastBody();
    assert.deepEqual(
      body.messages.map((m) => m.role),
      ['user', 'assistant', 'user'],
    );
    assert.match(body.messages[1].content as string, /fibonacci/);
    assert.equal(body.messages[2].content, 'And fibonacci(10)?');
    assert.equal(await composer.inputValue(), '', 'the composer is cleared after sending');
  });

  it('stops a streaming answer with the Stop button, keeping what arrived', async () => {
    await newChat();
    const long = Array.from({ length: 400 }, (_, i) => `word${i} `).join('');
    wb.server.enqueue({ body: sse(long, { pieceSize: 2 }), chunkSize: 100, delayMs: 40 });
    const composer = panel().locator('textarea[data-testid="composer"]');
    await composer.fill('Write a long answer');
    await panel().locator('[data-testid="send"]').click();
    const streaming = panel().locator('[data-role="assistant"][data-streaming="true"]');
    await streaming.waitFor({ timeout: 30_000 });
    await panel().locator('[data-role="assistant"]', { hasText: 'word3' }).waitFor({ timeout: 30_000 });
    const stop = panel().locator('[data-testid="stop"]');
    await stop.click();
    const stopped = panel().locator('[data-role="assistant"][data-status="stopped"]');
    await stopped.waitFor({ timeout: 15_000 });
    assert.equal(await stopped.getAttribute('data-streaming'), null);
    const text = await textOf(stopped);
    assert.match(text, /word3/, 'what arrived before Stop stays');
    assert.doesNotMatch(text, /word399/, 'the stream was cut short');
    assert.equal(await stop.isVisible(), false, 'Stop hides once nothing streams');
    for (let i = 0; i < 50 && !chatRequests()[0].closedEarly; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(chatRequests()[0].closedEarly, true, 'the request was aborted on the wire');
  });

  it('shows an HTTP error with status, host and the server message, and retries on request', async () => {
    await newChat();
    wb.server.enqueue(jsonError(401, 'Invalid API key provided: sk-***abc', { code: 'invalid_api_key' }));
    wb.server.enqueue({ body: sse('Recovered after retry.') });
    const composer = panel().locator('textarea[data-testid="composer"]');
    await composer.fill('Hello?');
    await composer.press('Enter');
    const error = panel().locator('[data-role="error"]');
    await error.waitFor({ timeout: 30_000 });
    const text = await textOf(error);
    assert.match(text, /401/);
    assert.match(text, new RegExp(`127\\.0\\.0\\.1:${wb.server.port}`));
    assert.match(text, /Invalid API key provided/);
    assert.match(text, /Set API Key/, 'says what to do next');
    assert.equal(await panel().locator('[data-role="assistant"]').count(), 0, 'no empty answer left behind');
    assert.equal(
      await panel().locator('[data-role="user"]', { hasText: 'Hello?' }).count(),
      1,
      'the question is kept',
    );

    await error.locator('[data-testid="retry"]').click();
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'Recovered after retry.' })
      .waitFor({
        timeout: 30_000,
      });
    assert.equal(await panel().locator('[data-role="error"]').count(), 0);
    assert.deepEqual(
      (lastBody().messages ?? []).map((m) => m.role),
      ['user'],
    );
  });

  it('reports an unreachable endpoint in the panel instead of failing silently', async () => {
    await newChat();
    // Port 9 (discard) on loopback: nothing listens there. Retries are turned off to keep it quick.
    await setSetting(wb.page, 'relayChat.retries', '0', wb.settingsFile);
    await setSetting(wb.page, 'relayChat.baseUrl', 'http://127.0.0.1:9', wb.settingsFile);
    try {
      await ensurePanel(wb.page);
      const composer = panel().locator('textarea[data-testid="composer"]');
      await composer.fill('Anyone there?');
      await composer.press('Enter');
      const error = panel().locator('[data-role="error"]');
      await error.waitFor({ timeout: 30_000 });
      const text = await textOf(error);
      assert.match(text, /127\.0\.0\.1:9/);
      assert.match(text, /ECONNREFUSED|connect/i);
      assert.doesNotMatch(text, /at .*\.js:\d+/, 'no stack trace');
      assert.equal(await composer.inputValue(), '', 'the question went out');
      assert.equal(
        await panel().locator('[data-role="user"]', { hasText: 'Anyone there?' }).count(),
        1,
        'and is kept',
      );
    } finally {
      await setSetting(wb.page, 'relayChat.baseUrl', `${wb.server.url}/v1/`, wb.settingsFile);
      await setSetting(wb.page, 'relayChat.retries', '3', wb.settingsFile);
    }
  });

  it("applies a model picked from the endpoint's list to the next message, and sends the key from Secret Storage", async () => {
    await newChat();
    await runCommand(wb.page, 'Relay Chat: Select Model');
    await pickQuickItem(wb.page, 'fake-reasoner');
    assert.ok(
      wb.server.requests.some((r) => r.method === 'GET' && r.path === '/v1/models'),
      'the model list came from GET /v1/models',
    );

    await runCommand(wb.page, 'Relay Chat: Set API Key');
    await answerInputBox(wb.page, 'Secret Storage', 'sk-test-e2e-secret-0123456789');
    await wb.page
      .locator('.notifications-toasts', { hasText: 'API key was saved' })
      .waitFor({ timeout: 15_000 });

    wb.server.enqueue({ body: sse('Deep thoughts done.', { reasoning: 'Let me think about it.' }) });
    await ensurePanel(wb.page);
    const composer = panel().locator('textarea[data-testid="composer"]');
    await composer.fill('Think first');
    await composer.press('Enter');
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'Deep thoughts done.' })
      .waitFor({
        timeout: 30_000,
      });
    assert.match(
      (await panel().locator('[data-role="reasoning"]').textContent()) ?? '',
      /Let me think about it/,
    );
    await waitForRequests(1);
    assert.equal(lastBody().model, 'fake-reasoner');
    assert.equal(chatRequests()[0].headers.authorization, 'Bearer sk-test-e2e-secret-0123456789');
    assert.doesNotMatch(
      readFileSync(wb.settingsFile, 'utf8'),
      /sk-test-e2e-secret/,
      'the key is not in settings',
    );
  });
});

/**
 * The endpoint engine inside a real VS Code, with relay behaviour replayed by the fake server:
 * reasoning streams, relay error bodies, cut streams, rate limits, rejected parameters, the
 * endpoint check, and keys kept out of the log.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sse } from '../fakeServer/fakeServer';
import { useWorkbench } from './fixture';
import { activeEditorText, answerInputBox, ensurePanel, runCommand, textOf } from './workbench';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('Relay quirks in a real VS Code', function () {
  this.timeout(120_000);
  const wb = useWorkbench({ 'relayChat.retries': 2 });
  const finished = (text: string) =>
    wb
      .panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: text })
      .waitFor({ timeout: 30_000 });

  it('shows a DeepSeek reasoning stream as a Thinking block above the answer, with usage', async () => {
    await wb.newChat();
    wb.server.enqueue({ fixture: 'deepseek-reasoning-content.sse', chunkSize: 40, delayMs: 10 });
    await wb.ask('What is 17 × 23?');
    await finished('The answer is 391.');
    const reasoning = wb.panel().locator('[data-role="assistant"] [data-role="reasoning"]');
    assert.match(await textOf(reasoning), /17×23 = 391/);
    assert.doesNotMatch(
      await textOf(wb.panel().locator('[data-role="assistant"] .body').first()),
      /Let me think/,
    );
    // "10 → 40 tokens (30 reasoning)" under the answer; the total in its tooltip.
    const usage = wb.panel().locator('[data-role="assistant"] [data-testid="usage"]');
    assert.equal((await textOf(usage)).trim(), '10 → 40 tokens (30 reasoning)');
    assert.match((await usage.getAttribute('title')) ?? '', /50/, 'the tooltip shows the total tokens');
  });

  /** The error block's visible parts, in order. */
  const errorBlock = async () => {
    const error = wb.panel().locator('[data-role="error"]').last();
    await error.waitFor({ timeout: 30_000 });
    return {
      title: await textOf(error.locator('.error-title')),
      detail: await textOf(error.locator('.error-detail')),
      id: (await error.locator('.error-id').count()) ? await textOf(error.locator('.error-id')) : '',
    };
  };

  it("ends in the relay's words, not in silence, when an error arrives beside choices", async () => {
    await wb.newChat();
    wb.server.enqueue({ fixture: 'error-beside-choices.sse' });
    await wb.ask('Explain closures');
    const error = await errorBlock();
    assert.equal(
      error.detail,
      'upstream connection reset (request id: 2024110715301234) (bad_response_status_code)',
    );
    const answer = wb.panel().locator('[data-role="assistant"]').last();
    assert.equal((await textOf(answer.locator('.body'))).trim(), 'Partial answer');
    assert.equal(await answer.getAttribute('data-status'), 'incomplete');
    assert.equal(await answer.locator('[data-testid="continue"]').count(), 1, 'Continue is offered');
    assert.equal(await wb.panel().locator('[data-role="error"] [data-testid="retry"]').count(), 1);
  });

  it("shows llama.cpp's error sent on an `error:` line instead of an empty answer", async () => {
    await wb.newChat();
    wb.server.enqueue({ fixture: 'error-field-line.sse' });
    await wb.ask('Hello?');
    const error = await errorBlock();
    assert.match(error.title, /^Request failed: HTTP 500 from 127\.0\.0\.1:\d+$/);
    assert.equal(error.detail, 'Failed to decode the batch, n_batch = 512');
    assert.equal(
      (await textOf(wb.panel().locator('[data-role="assistant"]').last().locator('.body'))).trim(),
      'Hi',
    );
  });

  it('says so when the relay ends an answer with no content at all, with the finish reason and id', async () => {
    await wb.newChat();
    wb.server.enqueue({ fixture: 'empty-turn.sse' });
    await wb.ask('Anything?');
    const error = await errorBlock();
    assert.match(error.title, /^127\.0\.0\.1:\d+ ended the answer without any content$/);
    assert.equal(error.detail, 'finish_reason: stop');
    assert.match(error.id, /chatcmpl-relay1$/);
    assert.equal(await wb.panel().locator('[data-role="assistant"]').count(), 0, 'no empty answer left');
  });

  it('tells a finish_reason outside the spec, keeping the text', async () => {
    await wb.newChat();
    wb.server.enqueue({ fixture: 'finish-unknown.sse' });
    await wb.ask('Half?');
    const error = await errorBlock();
    assert.match(error.title, /^127\.0\.0\.1:\d+ ended the answer unexpectedly$/);
    assert.equal(error.detail, 'finish_reason: error');
    assert.equal(
      (await textOf(wb.panel().locator('[data-role="assistant"]').last().locator('.body'))).trim(),
      'Half an',
    );
  });

  it('moves a thought that arrived as answer text into the Thinking block when a lone </think> comes', async () => {
    await wb.newChat();
    // vLLM serving an R1 distill: the chat template opened <think> in the prompt.
    wb.server.enqueue({ fixture: 'think-close-only.sse', chunkSize: 30, delayMs: 40 });
    await wb.ask('A regex for <b> tags?');
    await finished('not </think>');
    const reasoning = wb.panel().locator('[data-role="assistant"] [data-role="reasoning"]');
    assert.match(await textOf(reasoning), /Okay, the user asks for a regex/);
    const body = await textOf(wb.panel().locator('[data-role="assistant"] .body').first());
    assert.doesNotMatch(body, /Okay, the user/);
    assert.match(
      body,
      /^Use <b>\[\^<\]\*<\/b>:/,
      'the answer starts after the thought, code kept as written',
    );
  });

  it('shows a relay error body in its own words (Chinese), with status, host, request id and what to do', async () => {
    await wb.newChat();
    wb.server.enqueue({
      status: 403,
      headers: { 'content-type': 'application/json' },
      fixture: 'error-newapi-balance.json',
    });
    await wb.ask('你好');
    const error = wb.panel().locator('[data-role="error"]');
    await error.waitFor({ timeout: 30_000 });
    const text = await textOf(error);
    assert.match(text, /403/);
    assert.match(text, new RegExp(`127\\.0\\.0\\.1:${wb.server.port}`));
    assert.match(text, /用户额度不足/);
    assert.match(text, /20241107aaaa/);
    assert.match(text, /balance|quota/i);
    assert.equal(wb.chatRequests().length, 1, 'an empty balance is not retried');
  });

  it('keeps a stream cut mid-answer, marks it incomplete, and Retry asks again', async () => {
    await wb.newChat();
    const stream = sse('This answer will be cut off somewhere in the middle of the sentence.', {
      pieceSize: 4,
    });
    wb.server.enqueue({
      body: stream,
      chunkSize: 60,
      delayMs: 20,
      cutAfterBytes: Math.floor(stream.length / 2),
    });
    wb.server.enqueue({ body: sse('The whole answer this time.') });
    await wb.ask('Tell me something');
    const incomplete = wb.panel().locator('[data-role="assistant"][data-status="incomplete"]');
    await incomplete.waitFor({ timeout: 30_000 });
    assert.match(await textOf(incomplete), /This answer/);
    const error = wb.panel().locator('[data-role="error"]');
    assert.match(await textOf(error), /broke off|closed before/i);
    await error.locator('[data-testid="retry"]').click();
    await finished('The whole answer this time.');
    assert.equal(
      await wb.panel().locator('[data-role="assistant"]').count(),
      1,
      'the cut answer was replaced',
    );
  });

  it('continues a cut-off answer where it stopped, in the same message', async () => {
    await wb.newChat();
    const stream = sse('The first half of a long answer, then', { pieceSize: 4 });
    wb.server.enqueue({
      body: stream,
      chunkSize: 60,
      delayMs: 20,
      cutAfterBytes: Math.floor(stream.length * 0.7),
    });
    wb.server.enqueue({ body: sse(' THE SECOND HALF.') });
    await wb.ask('Long answer please');
    await wb
      .panel()
      .locator('[data-role="assistant"][data-status="incomplete"]')
      .waitFor({ timeout: 30_000 });
    await wb.panel().locator('[data-role="assistant"] [data-testid="continue"]').click();
    await finished('THE SECOND HALF.');
    assert.equal(await wb.panel().locator('[data-role="assistant"]').count(), 1, 'one answer, continued');
    assert.match(
      await textOf(wb.panel().locator('[data-role="assistant"]')),
      /The first half[\s\S]*THE SECOND HALF\./,
    );
    assert.equal(await wb.panel().locator('[data-role="error"]').count(), 0);
    const body = wb.lastBody();
    assert.equal(body.messages.at(-2)?.role, 'assistant', 'the partial answer was sent back');
    assert.match(String(body.messages.at(-1)?.content), /Continue exactly where it stopped/);
  });

  it('waits out a 429 with Retry-After, says so in the panel, then answers', async () => {
    await wb.newChat();
    wb.server.enqueue({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '1' },
      body: JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests' } }),
    });
    wb.server.enqueue({ body: sse('Made it after the rate limit.') });
    await wb.ask('Busy?');
    await wb
      .panel()
      .locator('[data-role="assistant"] .notice', { hasText: /Retrying in 1 s \(1 of 2\)/ })
      .waitFor({ timeout: 30_000 });
    await finished('Made it after the rate limit.');
    assert.equal(wb.chatRequests().length, 2);
    assert.equal(await wb.panel().locator('[data-role="error"]').count(), 0);
  });

  it('drops a rejected stream_options once, tells the user, and remembers it for the next message', async () => {
    await wb.newChat();
    wb.server.enqueue({
      status: 400,
      headers: { 'content-type': 'application/json' },
      fixture: 'error-stream-options-400.json',
    });
    wb.server.enqueue({ body: sse('Fine without usage.') });
    await wb.ask('First question');
    await finished('Fine without usage.');
    await wb.panel().locator('[data-role="assistant"] .notice', { hasText: 'stream_options' }).waitFor();
    const [rejected, retried] = wb.chatRequests().map((r) => r.body as Record<string, unknown>);
    assert.deepEqual(rejected.stream_options, { include_usage: true });
    assert.equal(retried.stream_options, undefined);

    wb.server.enqueue({ body: sse('Second answer.') });
    await wb.ask('Second question');
    await finished('Second answer.');
    assert.equal(wb.chatRequests().length, 3, 'no second rejection: the downgrade was remembered');
    assert.equal((wb.lastBody() as Record<string, unknown>).stream_options, undefined);
  });

  it('checks the endpoint and writes a report', async () => {
    wb.server.reset();
    wb.server.setFallback({ body: sse('ok') });
    await runCommand(wb.page, 'Relay Chat: Check Endpoint');
    const editor = wb.page.locator('.editor-group-container.active .monaco-editor .view-lines');
    await wb.page.locator('.tab.active', { hasText: 'Untitled' }).waitFor({ timeout: 60_000 });
    await editor.filter({ hasText: 'Relay Chat endpoint check' }).waitFor({ timeout: 60_000 });
    const report = await activeEditorText(wb.page);
    assert.match(report, /models/);
    assert.match(report, /stream/);
    assert.ok(wb.server.requests.some((r) => r.path === '/v1/models'));
    assert.ok(wb.chatRequests().length >= 4, 'one small request per probe');
    await runCommand(wb.page, 'View: Revert and Close Editor'); // the report is an unsaved draft
  });

  it('never writes the API key into the log or the settings', async () => {
    const key = 'sk-relay-e2e-super-secret-key-1234567890';
    await runCommand(wb.page, 'Relay Chat: Set API Key');
    await answerInputBox(wb.page, 'Secret Storage', key);
    await wb.page
      .locator('.notifications-toasts', { hasText: 'API key was saved' })
      .waitFor({ timeout: 15_000 });
    await ensurePanel(wb.page);
    await wb.newChat();
    wb.server.enqueue({
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: { message: `Incorrect API key provided: ${key}` } }),
    });
    await wb.ask('Does my key leak?');
    const error = wb.panel().locator('[data-role="error"]');
    await error.waitFor({ timeout: 30_000 });
    assert.equal(wb.chatRequests()[0].headers.authorization, `Bearer ${key}`);
    assert.doesNotMatch(await textOf(error), new RegExp(key), 'the panel masks a key the relay echoes');

    // The log is flushed to disk shortly after it is written.
    let logs: string[] = [];
    for (let i = 0; i < 50; i++) {
      logs = filesUnder(join(wb.userDataDir, 'logs')).filter((f) => /relay/i.test(f));
      if (logs.some((f) => /POST .*\/v1\/chat\/completions/.test(readFileSync(f, 'utf8')))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const logText = logs.map((f) => readFileSync(f, 'utf8')).join('\n');
    assert.match(logText, /POST .*\/v1\/chat\/completions → 401/, 'the request is in the log');
    for (const file of [...filesUnder(join(wb.userDataDir, 'logs')), wb.settingsFile]) {
      assert.doesNotMatch(readFileSync(file, 'utf8'), new RegExp(key), file);
    }
  });
});

/**
 * Another extension lists and uses the relay's models through `vscode.lm` in the real VS Code: a
 * client extension built by the test (lmClient.ts) against the fake endpoint.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { jsonError, sse, startFakeServer, type FakeServer } from '../fakeServer/fakeServer';
import { startCodeServer, type RunningCodeServer } from '../support/codeServer';
import { estimateTokens } from '../../src/common/tokens/estimateTokens';
import { buildLmClient, CLIENT_COMMAND_TITLE } from './lmClient';
import { answerInputBox, launchChromium, openWorkbench, runCommand, setSetting } from './workbench';

interface ClientResult {
  parts: ({ text: string } | { callId: string; name: string; input: object })[];
  tokens?: number;
  ended: 'done' | 'error';
  error?: { name: string; message: string };
}

function toolCallSse(id: string, name: string, args: string): string {
  const base = {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1700000000,
    model: 'fake-model',
  };
  const push = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return (
    push({ role: 'assistant', content: null }) +
    push({
      tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: args.slice(0, 5) } }],
    }) +
    push({ tool_calls: [{ index: 0, function: { arguments: args.slice(5) } }] }) +
    push({}, 'tool_calls') +
    'data: [DONE]\n\n'
  );
}

describe('The relay’s models in vscode.lm, used by another extension', function () {
  this.timeout(300_000);
  let server: FakeServer;
  let vscode: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  let client: string;
  let settingsFile: string;
  let runs = 0;

  const waitForFile = async (file: string, ok: (text: string) => boolean = () => true): Promise<string> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (text && ok(text)) return text;
      if (Date.now() > deadline) throw new Error(`${file} never held what was expected; last: ${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const request = async (spec: Record<string, unknown>): Promise<ClientResult> => {
    const id = ++runs;
    writeFileSync(join(vscode.workspace, 'lm-request.json'), JSON.stringify({ id, ...spec }));
    await runCommand(page, CLIENT_COMMAND_TITLE);
    return JSON.parse(await waitForFile(join(vscode.workspace, `lm-result-${id}.json`))) as ClientResult;
  };

  const modelIds = () =>
    JSON.parse(readFileSync(join(vscode.workspace, 'lm-models.json'), 'utf8')) as { id: string }[];

  before(async () => {
    server = await startFakeServer();
    client = buildLmClient();
    vscode = await startCodeServer({
      settings: {
        'relayChat.baseUrl': server.baseUrl,
        'relayChat.model': 'fake-model',
        'relayChat.retries': 0,
        'relayChat.profiles': [
          {
            id: 'second',
            name: 'Second relay',
            baseUrl: server.baseUrl,
            defaultModel: 'fake-reasoner',
            models: { 'fake-vision': {}, 'fake-*': {} },
          },
        ],
      },
      extraExtensions: [client],
    });
    settingsFile = join(vscode.workspace, '..', 'user-data', 'User', 'settings.json');
    browser = await launchChromium();
    page = await openWorkbench(browser, vscode.folderUrl);
  });

  after(async () => {
    await browser?.close();
    await vscode?.stop();
    await server?.close();
    if (client) rmSync(dirname(client), { recursive: true, force: true });
  });

  it('lists one model per profile × model, id <profile id>/<model id>', async () => {
    const text = await waitForFile(join(vscode.workspace, 'lm-models.json'), (t) => t !== '[]');
    assert.deepEqual(
      (
        JSON.parse(text) as {
          id: string;
          name: string;
          vendor: string;
          family: string;
          maxInputTokens: number;
        }[]
      ).map((m) => [m.id, m.name, m.vendor, m.family, m.maxInputTokens]),
      [
        ['default/fake-model', 'fake-model', 'relay-chat', 'fake-model', 128000],
        ['second/fake-reasoner', 'fake-reasoner', 'relay-chat', 'fake-reasoner', 128000],
        ['second/fake-vision', 'fake-vision', 'relay-chat', 'fake-vision', 128000],
      ],
    );
  });

  it('answers a plain question as streamed text, with the key from Secret Storage', async () => {
    await runCommand(page, 'Relay Chat: Set API Key');
    await answerInputBox(page, 'API key for', 'sk-lm-e2e-key');
    server.reset();
    server.enqueue({ body: sse('Hello from the relay.', { reasoning: 'Thinking it over.' }) });
    const result = await request({
      model: 'default/fake-model',
      messages: [{ role: 'user', parts: [{ text: 'Say hello' }] }],
      countTokensOf: '你好世界 hello world',
    });
    assert.equal(result.ended, 'done');
    assert.equal(result.parts.map((p) => ('text' in p ? p.text : '?')).join(''), 'Hello from the relay.');
    assert.equal(result.tokens, estimateTokens('你好世界 hello world'));
    const [sent] = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(sent.headers.authorization, 'Bearer sk-lm-e2e-key');
    const body = sent.body as { model: string; stream: boolean; messages: unknown[] };
    assert.equal(body.model, 'fake-model');
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages, [{ role: 'user', content: 'Say hello' }]);
  });

  it('returns a tool call as a LanguageModelToolCallPart and sends the result back as a tool message', async () => {
    server.reset();
    server.enqueue({ body: toolCallSse('call_7', 'get_weather', '{"city":"Paris"}') });
    const tools = [
      {
        name: 'get_weather',
        description: 'Weather by city',
        inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ];
    const first = await request({
      model: 'second/fake-vision',
      messages: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }],
      tools,
      countTokensOf: 'x',
    });
    assert.equal(first.ended, 'done');
    assert.deepEqual(first.parts, [{ callId: 'call_7', name: 'get_weather', input: { city: 'Paris' } }]);
    const firstBody = server.requests.at(-1)!.body as { model: string; tools: unknown; tool_choice: unknown };
    assert.equal(firstBody.model, 'fake-vision');
    assert.deepEqual(firstBody.tools, [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather by city', parameters: tools[0].inputSchema },
      },
    ]);
    assert.deepEqual(firstBody.tool_choice, { type: 'function', function: { name: 'get_weather' } });

    server.enqueue({ body: sse('Sunny, 18 °C.') });
    const second = await request({
      model: 'second/fake-vision',
      messages: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        { role: 'assistant', parts: [{ callId: 'call_7', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', parts: [{ toolResult: 'call_7', content: '{"temp":18,"sky":"sunny"}' }] },
      ],
      countTokensOf: 'x',
    });
    assert.equal(second.parts.map((p) => ('text' in p ? p.text : '?')).join(''), 'Sunny, 18 °C.');
    assert.deepEqual((server.requests.at(-1)!.body as { messages: unknown[] }).messages, [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_7',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_7', content: '{"temp":18,"sky":"sunny"}' },
    ]);
  });

  it('fails with the readable error: status, host, the server’s words, what to do next', async () => {
    server.reset();
    server.enqueue(jsonError(401, 'Invalid API key provided: sk-lm-e2e-key'));
    const result = await request({
      model: 'default/fake-model',
      messages: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      countTokensOf: 'x',
    });
    const host = new URL(server.url).host;
    assert.equal(result.ended, 'error');
    assert.equal(
      result.error?.message,
      `Request failed: HTTP 401 from ${host} — Invalid API key provided: *** — The key was refused. Run "Relay Chat: Set API Key" with a valid key for ${host}.`,
    );
  });

  it('stops the request when the caller cancels', async () => {
    server.reset();
    server.enqueue({
      body: sse('one two three four five six seven eight nine ten', { pieceSize: 4 }),
      delayMs: 300,
    });
    const result = await request({
      model: 'default/fake-model',
      messages: [{ role: 'user', parts: [{ text: 'Count' }] }],
      countTokensOf: 'x',
      cancelAfterParts: 1,
    });
    assert.deepEqual(result.parts, [{ text: 'one ' }]);
    const deadline = Date.now() + 10_000;
    const sent = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    while (!sent[0]?.closedEarly && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(sent.length, 1);
    assert.equal(sent[0].closedEarly, true, 'the connection was closed before the answer ended');
  });

  it('lists the models again as soon as the settings change', async () => {
    // As a person does it: the Settings editor, the default profile's model.
    await page.keyboard.press('Escape');
    await setSetting(page, 'relayChat.model', 'fake-model-2', settingsFile);
    await waitForFile(join(vscode.workspace, 'lm-models.json'), (t) => t.includes('default/fake-model-2'));
    assert.deepEqual(
      modelIds().map((m) => m.id),
      ['default/fake-model-2', 'second/fake-reasoner', 'second/fake-vision'],
    );
  });

  it('reports its activation time from the extension host (Developer: Show Running Extensions)', async () => {
    await page.keyboard.press('Escape');
    await runCommand(page, 'Developer: Show Running Extensions');
    const row = page
      .locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Relay Chat' })
      .first();
    // The list is sorted by activation time, slowest first, and renders only the rows in view: a
    // cheap activation puts ours below the fold, so scroll down to it.
    const list = page.locator('.runtime-extensions-editor .monaco-list').first();
    await list.waitFor({ timeout: 30_000 });
    for (let i = 0; i < 20 && !(await row.isVisible()); i++) {
      await list.hover();
      await page.mouse.wheel(0, 300);
      await row.waitFor({ timeout: 500 }).catch(() => undefined);
    }
    const label = row.locator('.activation-time');
    await label.filter({ hasText: /Activation: \d+ms/ }).waitFor({ timeout: 30_000 });
    const text = await label.textContent();
    // The figure the README quotes: code loading + activate() call, as the extension host timed them.
    console.log(`relay-chat activation time: ${text}`);
    assert.match(text ?? '', /^(Startup )?Activation: \d+ms$/);
    await page.keyboard.press('Escape');
  });
});

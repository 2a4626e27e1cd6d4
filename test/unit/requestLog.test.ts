import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { loggingFetch, redactUrl } from '../../src/vscode/endpoint/requestLog';

function fakeLog() {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  const log = {
    trace: record('trace'),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  return { lines, log: log as unknown as vscode.LogOutputChannel };
}

const KEY = 'sk-live-0123456789abcdefghijklmnop';

describe('request log', () => {
  it('logs method, URL, status and request id, and masks keys in headers, URLs and errors', async () => {
    const { lines, log } = fakeLog();
    const fetchImpl = loggingFetch(
      log,
      () => [KEY],
      async () => new Response('{}', { status: 401, headers: { 'x-request-id': 'req_9' } }),
    );
    await fetchImpl(`https://relay.example/v1/chat/completions?key=${KEY}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'X-Relay-Group': 'vip' },
      body: JSON.stringify({
        model: 'm',
        messages: [{ role: 'user', content: 'secret code' }],
        temperature: 0,
      }),
    });
    const text = lines.join('\n');
    assert.match(
      text,
      /info POST https:\/\/relay\.example\/v1\/chat\/completions\?key=\*\*\* → 401 in \d+ ms request-id=req_9 model=m messages=1 params=\[temperature\]/,
    );
    assert.match(text, /trace .*"authorization":"\*\*\*".*"x-relay-group":"vip"/);
    assert.doesNotMatch(text, new RegExp(KEY));
    assert.doesNotMatch(text, /secret code/, 'message contents stay out of the log');
    assert.ok(lines.includes(`warn POST https://relay.example/v1/chat/completions?key=*** → 401 body: {}`));

    const failing = loggingFetch(
      log,
      () => [KEY],
      async () => {
        throw new TypeError(`fetch failed for ${KEY}`, {
          cause: { code: 'ECONNREFUSED', message: 'connect' },
        });
      },
    );
    await assert.rejects(failing('http://127.0.0.1:9/v1/models'));
    assert.match(
      lines.at(-1)!,
      /^warn GET http:\/\/127\.0\.0\.1:9\/v1\/models failed after \d+ ms: .*ECONNREFUSED/,
    );
    assert.doesNotMatch(lines.at(-1)!, new RegExp(KEY));
  });

  it('masks key-like query parameters', () => {
    assert.equal(
      redactUrl('https://g.example/v1/models?key=abc&x=1'),
      'https://g.example/v1/models?key=***&x=1',
    );
    assert.equal(redactUrl('https://g.example/v1?api_key=abc'), 'https://g.example/v1?api_key=***');
  });

  it('keeps the raw error body in the log, without keys or echoed input, and leaves it readable', async () => {
    const { lines, log } = fakeLog();
    const raw = JSON.stringify({
      error: 'SyntaxError',
      message: `Expected double-quoted property name (key ${KEY})`,
      detail: [
        { loc: ['body', 'messages', 0, 'content'], msg: 'Input should be a valid string', input: 'my code' },
      ],
    });
    const fetchImpl = loggingFetch(
      log,
      () => [KEY],
      async () => new Response(raw, { status: 422 }),
    );
    const response = await fetchImpl('https://relay.example/v1/chat/completions', { method: 'POST' });
    assert.equal(await response.text(), raw, 'the client still reads the whole body');
    assert.equal(
      lines.at(-1),
      'warn POST https://relay.example/v1/chat/completions → 422 body: {"error":"SyntaxError","message":"Expected double-quoted property name (key ***)","detail":[{"loc":["body","messages",0,"content"],"msg":"Input should be a valid string","input":"…"}]}',
    );
  });
});

import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { streamChatCompletion } from '../../src/common/endpoint/chatClient';
import { createNodeFetch } from '../../src/vscode/endpoint/nodeFetch';
import { sse, startFakeServer, type FakeServer } from '../fakeServer/fakeServer';

describe('nodeFetch (node:http, so VS Code proxy settings apply)', () => {
  const fetchImpl = createNodeFetch();
  let server: FakeServer;
  before(async () => (server = await startFakeServer()));
  after(async () => server.close());
  beforeEach(() => server.reset());

  it('posts the body and headers, and streams the answer through the real client', async () => {
    server.enqueue({ body: sse('Hello over node:http.', { pieceSize: 3 }), chunkSize: 50 });
    let text = '';
    for await (const event of streamChatCompletion(
      { fetch: fetchImpl },
      { baseUrl: server.baseUrl, apiKey: 'sk-abc' },
      { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
    )) {
      if (event.type === 'content') text += event.text;
    }
    assert.equal(text, 'Hello over node:http.');
    const request = server.requests[0];
    assert.equal(request.method, 'POST');
    assert.equal(request.headers.authorization, 'Bearer sk-abc');
    assert.equal((request.body as { model: string }).model, 'm');
  });

  it('decompresses gzip and drops the stale encoding headers', async () => {
    const payload = JSON.stringify({ object: 'list', data: [{ id: 'zipped-model' }] });
    const zipped = gzipSync(Buffer.from(payload));
    const fakeModels = await startFakeServer();
    try {
      fakeModels.setFallback({
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: zipped,
      });
      const response = await fetchImpl(`${fakeModels.baseUrl}/chat/completions`, {
        method: 'POST',
        body: '{}',
      });
      assert.equal(response.headers.get('content-encoding'), null);
      assert.deepEqual(await response.json(), JSON.parse(payload));
    } finally {
      await fakeModels.close();
    }
  });

  it('rejects like fetch when nothing listens: a TypeError with the system code in cause', async () => {
    const err = (await fetchImpl('http://127.0.0.1:9/v1/models').catch((e: unknown) => e)) as TypeError & {
      cause?: { code?: string };
    };
    assert.ok(err instanceof TypeError);
    assert.equal(err.cause?.code, 'ECONNREFUSED');
  });

  it('aborts the socket mid-stream when the signal fires', async () => {
    server.enqueue({ body: sse('x'.repeat(2000), { pieceSize: 1 }), chunkSize: 100, delayMs: 30 });
    const controller = new AbortController();
    const response = await fetchImpl(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await assert.rejects(
      (async () => {
        for (;;) if ((await reader.read()).done) break;
      })(),
      (e: Error) => e.name === 'AbortError',
    );
    for (let i = 0; i < 50 && !server.requests[0].closedEarly; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.requests[0].closedEarly, true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      fetchImpl(server.baseUrl, { signal: controller.signal }),
      (e: Error) => e.name === 'AbortError',
    );
  });
});

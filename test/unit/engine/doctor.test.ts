import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { MemoryCapabilityStore, capabilityKey } from '../../../src/common/endpoint/capabilities';
import { runDoctor } from '../../../src/common/endpoint/doctor';
import { tinyPngDataUrl } from '../../../src/common/endpoint/tinyPng';
import { jsonError, sse, startFakeServer, type FakeServer } from '../../fakeServer/fakeServer';
import { FakeClock } from './fakes';

const toolStream = [
  `data: ${JSON.stringify({ id: 'c', model: 'fake-model', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] } }] })}\n\n`,
  `data: ${JSON.stringify({ id: 'c', model: 'fake-model', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] } }] })}\n\n`,
  `data: ${JSON.stringify({ id: 'c', model: 'fake-model', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`,
  'data: [DONE]\n\n',
].join('');

const whole = (content: string) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    id: 'c',
    object: 'chat.completion',
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  }),
});

describe('endpoint doctor', () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('probes every feature and returns a report and capabilities', async () => {
    server.enqueue(
      whole('pong'), // chat
      { body: sse('1 2 3 4 5 6 7 8 9 10', { pieceSize: 3 }) }, // stream
      jsonError(400, 'Unrecognized request argument supplied: stream_options'), // usage…
      { body: sse('hi') }, // …retried without it
      { body: toolStream }, // tools
      { body: sse('Red.') }, // vision
      { body: sse('391', { reasoning: '17*23 = 391' }) }, // reasoning
      jsonError(
        400,
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      ),
      { body: sse('hi') },
    );
    const store = new MemoryCapabilityStore();
    const seen: string[] = [];
    const report = await runDoctor(
      { fetch: globalThis.fetch, clock: new FakeClock(false) },
      { baseUrl: server.baseUrl, profileId: 'p' },
      'fake-model',
      {
        store,
        onProbe: (p) => seen.push(p.id),
      },
    );
    const statuses = Object.fromEntries(report.probes.map((p) => [p.id, p.status]));
    assert.deepEqual(statuses, {
      models: 'ok',
      chat: 'ok',
      stream: 'ok',
      usage: 'unsupported',
      tools: 'ok',
      vision: 'ok',
      reasoning: 'ok',
      maxTokens: 'ok',
    });
    assert.deepEqual(seen, [
      'models',
      'chat',
      'stream',
      'usage',
      'tools',
      'vision',
      'reasoning',
      'maxTokens',
    ]);
    assert.deepEqual(report.capabilities, {
      downgrades: ['stream_options', 'max_tokens'],
      streaming: true,
      streamUsage: false,
      tools: true,
      vision: true,
      reasoningField: 'reasoning_content',
      maxTokensParam: 'max_completion_tokens',
      checkedAt: 0,
    });
    assert.deepEqual(store.get(capabilityKey('p', 'fake-model')), report.capabilities);
    assert.equal(report.probes.find((p) => p.id === 'vision')!.detail, 'Saw the red test image.');
    const visionRequest = server.requests.filter((r) => r.method === 'POST')[5].body as {
      messages: { content: { type: string; image_url?: { url: string } }[] }[];
    };
    assert.ok(visionRequest.messages[0].content[1].image_url!.url.startsWith('data:image/png;base64,'));
    assert.equal(server.requests[0].path, '/v1/models');
  });

  it('stops after a refused key and marks the rest skipped', async () => {
    server.enqueue(jsonError(401, 'Invalid API key'));
    const report = await runDoctor(
      { fetch: globalThis.fetch, clock: new FakeClock(false) },
      { baseUrl: server.baseUrl },
      'fake-model',
    );
    const statuses = report.probes.map((p) => p.status);
    assert.deepEqual(statuses, [
      'ok',
      'failed',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
    assert.equal(report.probes[1].error?.hint, 'auth');
    assert.equal(report.probes[1].error?.message, 'Invalid API key');
  });

  it('reports a model that refuses images as unsupported, and goes on', async () => {
    server.setFallback({ body: sse('ok') });
    server.enqueue(
      whole('pong'),
      { body: sse('1 2 3') },
      { body: sse('hi', { usage: true }) },
      { body: toolStream },
      jsonError(400, 'Image input is not supported for this model'),
    );
    const report = await runDoctor({ fetch: globalThis.fetch }, { baseUrl: server.baseUrl }, 'fake-model');
    const vision = report.probes.find((p) => p.id === 'vision')!;
    assert.equal(vision.status, 'unsupported');
    assert.equal(report.capabilities.vision, undefined);
    assert.equal(report.capabilities.streamUsage, true);
    assert.equal(report.probes.find((p) => p.id === 'reasoning')!.status, 'unsupported');
    server.setFallback({ body: sse('Hello from the fake server.') });
  });
});

describe('tiny PNG', () => {
  it('is a valid PNG with the requested colour', () => {
    const url = tinyPngDataUrl([0, 128, 255], 4);
    const png = Buffer.from(url.replace('data:image/png;base64,', ''), 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 4);
    const idatLength = png.readUInt32BE(33);
    assert.equal(png.subarray(37, 41).toString('latin1'), 'IDAT');
    const pixels = inflateSync(png.subarray(41, 41 + idatLength));
    assert.equal(pixels.length, 4 * (1 + 4 * 3));
    assert.deepEqual([...pixels.subarray(0, 4)], [0, 0, 128, 255]);
  });
});

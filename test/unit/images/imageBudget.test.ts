import assert from 'node:assert/strict';
import { MemoryCapabilityStore, capabilityKey } from '../../../src/common/endpoint/capabilities';
import { streamChatCompletion, type EndpointConfig } from '../../../src/common/endpoint/chatClient';
import type { ChatCompletionRequest, ChatMessage, ContentPart } from '../../../src/common/endpoint/chatTypes';
import { EndpointError } from '../../../src/common/endpoint/endpointError';
import {
  budgetImages,
  imagePlaceholder,
  shrinkForRetry,
  withoutWebp,
  type ImageVariants,
} from '../../../src/common/images/imageBudget';
import type { ChatEvent } from '../../../src/common/stream/chatEvents';
import { describeNotice } from '../../../src/common/panel/errorView';
import { scriptedFetch, type Reply } from '../engine/fakes';
import { fixtureBytes } from '../engine/streamHarness';

/** A data URL of `bytes` bytes. */
const image = (type: string, bytes: number, tag = 'A') =>
  `data:${type};base64,${tag.repeat(Math.ceil((bytes * 4) / 3))}`.slice(
    0,
    `data:${type};base64,`.length + (bytes * 4) / 3,
  );

const userWith = (text: string, ...urls: string[]): ChatMessage => ({
  role: 'user',
  content: [
    { type: 'text', text },
    ...urls.map((url): ContentPart => ({ type: 'image_url', image_url: { url } })),
  ],
});
const answer = (text: string): ChatMessage => ({ role: 'assistant', content: text });

const urlsOf = (messages: ChatMessage[]) =>
  messages.map((m) =>
    Array.isArray(m.content)
      ? m.content.map((p) =>
          p.type === 'image_url' ? p.image_url.url.slice(0, 16) : p.type === 'text' ? p.text : '',
        )
      : m.content,
  );

describe('imageBudget: what earlier images cost', () => {
  const png = image('image/png', 300);
  const history = [
    userWith('one', png),
    answer('a1'),
    userWith('two', png),
    answer('a2'),
    userWith('three', png),
    answer('a3'),
    userWith('four', png),
  ];

  it('turns images from more than N earlier user messages into a short note', () => {
    const out = budgetImages(history, { resendTurns: 1, maxRequestBytes: 1e9 });
    const old = imagePlaceholder('old');
    assert.deepEqual(urlsOf(out), [
      ['one', old],
      'a1',
      ['two', old],
      'a2',
      ['three', 'data:image/png;b'],
      'a3',
      ['four', 'data:image/png;b'],
    ]);
    assert.deepEqual(budgetImages(history, { resendTurns: 10, maxRequestBytes: 1e9 }), history);
    const none = budgetImages(history, { resendTurns: 0, maxRequestBytes: 1e9 });
    assert.equal(
      urlsOf(none)
        .flat()
        .filter((x) => x === old).length,
      3,
    );
  });

  it('drops the oldest images until the request fits, never the latest message', () => {
    const out = budgetImages(history, { resendTurns: 10, maxRequestBytes: 650 });
    const cut = imagePlaceholder('budget');
    assert.deepEqual(urlsOf(out).filter(Array.isArray), [
      ['one', cut],
      ['two', cut],
      ['three', 'data:image/png;b'],
      ['four', 'data:image/png;b'],
    ]);
    const tiny = budgetImages(history, { resendTurns: 10, maxRequestBytes: 1 });
    assert.deepEqual(urlsOf(tiny).at(-1), ['four', 'data:image/png;b']);
  });

  it('shrinks once for a 413: earlier images out, the latest at its smaller size', () => {
    const big = image('image/png', 900, 'B');
    const small = image('image/jpeg', 100, 'C');
    const body: ChatCompletionRequest = {
      model: 'm',
      messages: [userWith('old', png), answer('a'), userWith('now', big)],
    };
    const variants = new Map<string, ImageVariants>([[big, { smaller: small }]]);
    const out = shrinkForRetry(body, (u) => variants.get(u))!;
    assert.deepEqual(urlsOf(out.messages), [
      ['old', imagePlaceholder('budget')],
      'a',
      ['now', 'data:image/jpeg;'],
    ]);
    assert.equal(
      shrinkForRetry({ model: 'm', messages: [userWith('now', big)] }, () => undefined),
      undefined,
    );
  });

  it('swaps WebP for its fallback, and a note where there is none', () => {
    const webp = image('image/webp', 60, 'W');
    const orphan = image('image/webp', 60, 'X');
    const fallback = image('image/png', 90, 'P');
    const body: ChatCompletionRequest = { model: 'm', messages: [userWith('x', webp, orphan)] };
    const out = withoutWebp(body, (u) => (u === webp ? { fallback } : undefined));
    assert.deepEqual(urlsOf(out.messages), [['x', 'data:image/png;b', imagePlaceholder('budget')]]);
  });
});

describe('streamChatCompletion: image retries', () => {
  const config = (store: MemoryCapabilityStore): EndpointConfig => ({
    baseUrl: 'https://relay.test/v1',
    profileId: 'p',
    capabilityStore: store,
  });
  const ok: Reply = { body: fixtureBytes('openai-basic.sse') };
  const refusal = (status: number, message: string): Reply => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: { message, type: 'invalid_request_error' } }),
  });
  async function run(gen: AsyncGenerator<ChatEvent>) {
    const events: ChatEvent[] = [];
    try {
      for await (const e of gen) events.push(e);
      return { events };
    } catch (error) {
      return { events, error };
    }
  }
  const sentUrls = (body: unknown) =>
    ((body as ChatCompletionRequest).messages.at(-1)!.content as ContentPart[]).flatMap((p) =>
      p.type === 'image_url' ? [p.image_url.url.slice(0, 15)] : [],
    );

  it('sends the PNG copy once WebP is refused, and remembers it', async () => {
    const webp = image('image/webp', 60, 'W');
    const fallback = image('image/png', 90, 'P');
    const store = new MemoryCapabilityStore();
    const f = scriptedFetch(refusal(400, 'Unsupported image format: image/webp'), ok, ok);
    const deps = { fetch: f.fetch, imageVariants: (u: string) => (u === webp ? { fallback } : undefined) };
    const request: ChatCompletionRequest = {
      model: 'gpt-4o',
      messages: [userWith('what?', webp)],
      stream: true,
    };
    const first = await run(streamChatCompletion(deps, config(store), request));
    assert.equal(first.error, undefined);
    assert.deepEqual(
      f.calls.map((c) => sentUrls(c.body)),
      [['data:image/webp'], ['data:image/png;']],
    );
    const notice = first.events.find((e) => e.type === 'notice');
    assert.equal(
      notice && describeNotice(notice),
      'This endpoint refused WebP images; sent them as PNG or JPEG.',
    );
    assert.deepEqual(store.get(capabilityKey('p', 'gpt-4o'))?.downgrades, ['image_webp']);
    // Remembered: the next request goes out without WebP at once.
    await run(streamChatCompletion(deps, config(store), request));
    assert.deepEqual(sentUrls(f.calls[2].body), ['data:image/png;']);
  });

  it('shrinks once after a 413 and retries; a second 413 stands', async () => {
    const big = image('image/png', 900, 'B');
    const small = image('image/jpeg', 100, 'C');
    const deps = (f: ReturnType<typeof scriptedFetch>) => ({
      fetch: f.fetch,
      imageVariants: (u: string) => (u === big ? { smaller: small } : undefined),
    });
    const request: ChatCompletionRequest = {
      model: 'gpt-4o',
      messages: [userWith('what?', big)],
      stream: true,
    };
    const f = scriptedFetch(refusal(413, 'Request Entity Too Large'), ok);
    const r = await run(streamChatCompletion(deps(f), config(new MemoryCapabilityStore()), request));
    assert.equal(r.error, undefined);
    assert.deepEqual(
      f.calls.map((c) => sentUrls(c.body)),
      [['data:image/png;'], ['data:image/jpeg']],
    );
    const notice = r.events.find((e) => e.type === 'notice');
    assert.equal(
      notice && describeNotice(notice),
      'The endpoint refused the request as too large (413); sent it again with smaller images.',
    );

    const twice = scriptedFetch(refusal(413, 'too large'), refusal(413, 'too large'), ok);
    const failed = await run(streamChatCompletion(deps(twice), config(new MemoryCapabilityStore()), request));
    assert.ok(failed.error instanceof EndpointError);
    assert.equal(failed.error.status, 413);
    assert.equal(twice.calls.length, 2);
  });
});

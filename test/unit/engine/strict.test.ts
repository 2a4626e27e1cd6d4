/**
 * Every entry of the strict-server catalogue through the engine, over real HTTP against the fake
 * server in strict mode: a refused field is answered after at most one automatic downgrade (and
 * remembered); a declared server kind gets it right the first time; a refused image ends as a
 * clear error, never as a silent resend without it.
 */
import assert from 'node:assert/strict';
import { capabilityKey, MemoryCapabilityStore } from '../../../src/common/endpoint/capabilities';
import { streamChatCompletion, type EndpointConfig } from '../../../src/common/endpoint/chatClient';
import type { ChatMessage, FunctionTool } from '../../../src/common/endpoint/chatTypes';
import { EndpointError } from '../../../src/common/endpoint/endpointError';
import type { Downgrade } from '../../../src/common/endpoint/paramDowngrade';
import { buildChatRequest } from '../../../src/common/endpoint/requestBuilder';
import { knownRefusals } from '../../../src/common/endpoint/serverKind';
import { tinyPngDataUrl } from '../../../src/common/endpoint/tinyPng';
import { choiceText, type ChatEvent } from '../../../src/common/stream/chatEvents';
import { describeError } from '../../../src/common/panel/errorView';
import { startFakeServer, type FakeServer } from '../../fakeServer/fakeServer';
import { CATALOGUE, refuses, type StrictEntry } from '../../fakeServer/strictMode';

const ANSWER = 'Hello from the fake server.';
const IMAGE = tinyPngDataUrl();

const readFile: FunctionTool = {
  type: 'function',
  function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
};

/** A conversation that carries everything the catalogue covers, text parts stored as parts. */
function history(withImage: boolean): ChatMessage[] {
  return [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      name: 'dev',
      content: [
        { type: 'text', text: 'Why?' },
        { type: 'text', text: 'File: a.ts (language: typescript), lines 1-1:\n```typescript\nx\n```' },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
      ],
    },
    { role: 'tool', content: [{ type: 'text', text: 'x' }], tool_call_id: 'call_1' },
    withImage
      ? {
          role: 'user',
          content: [
            { type: 'text', text: 'And this image?' },
            { type: 'image_url', image_url: { url: IMAGE } },
          ],
        }
      : { role: 'user', content: 'And now?' },
  ];
}

/** Reasoning models carry the developer role and max_completion_tokens; others everything else. */
function requestFor(entry: StrictEntry, withImage = false) {
  const model =
    entry.field === 'developer' || entry.field === 'max_completion_tokens' ? 'o3-mini' : 'strict-model';
  return buildChatRequest(model, history(withImage), {
    includeUsage: true,
    temperature: 0.2,
    n: 1,
    logprobs: true,
    logitBias: { '50256': -100 },
    tools: [readFile],
    parallelToolCalls: false,
    user: 'u-1',
    metadata: { app: 'relay-chat' },
    store: false,
    serviceTier: 'auto',
    reasoningEffort: 'minimal',
    maxTokens: 256,
    presencePenalty: 0,
    frequencyPenalty: 0,
  });
}

async function run(config: EndpointConfig, request: ReturnType<typeof requestFor>) {
  const events: ChatEvent[] = [];
  for await (const event of streamChatCompletion({ fetch }, config, request)) events.push(event);
  return events;
}

const notices = (events: ChatEvent[]) =>
  events.flatMap((e) => (e.type === 'notice' ? [e.downgrade] : [])) as Downgrade[];

/**
 * The notices of a request that leaves out what was refused before: token probabilities, which the
 * full request asks for as the panel's toggle does, are said to be left out on every answer.
 */
const saidEveryTime = (request: ReturnType<typeof requestFor>, refused: readonly Downgrade[]): Downgrade[] =>
  request.logprobs && refused.includes('logprobs') ? ['logprobs'] : [];

describe('strict servers: the catalogue through the engine', () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.setStrict(undefined);
  });

  const configFor = (entry: StrictEntry, store = new MemoryCapabilityStore()): EndpointConfig => ({
    baseUrl: server.baseUrl,
    profileId: `strict-${entry.id}`,
    capabilityStore: store,
    retry: { maxRetries: 0 },
  });

  it('covers every server and field the issue names, and says which words are quoted', () => {
    const servers = new Set(CATALOGUE.map((e) => e.serverKind));
    for (const kind of [
      'deepseek',
      'siliconflow',
      'groq',
      'mistral',
      'cerebras',
      'gemini',
      'anthropic',
      'xai',
      'moonshot',
      'zhipu',
      'dashscope',
      'ollama',
    ]) {
      assert.ok(servers.has(kind as never), kind);
    }
    const fields = new Set(CATALOGUE.map((e) => e.field));
    for (const field of [
      'stream_options',
      'n',
      'logprobs',
      'logit_bias',
      'parallel_tool_calls',
      'user',
      'metadata',
      'store',
      'service_tier',
      'name',
      'reasoning_effort',
      'developer',
      'max_completion_tokens',
      'content_array',
      'null_content',
    ]) {
      assert.ok(fields.has(field as never), field);
    }
    for (const entry of CATALOGUE) {
      assert.ok(entry.wording === 'real' || entry.wording === 'reconstructed', entry.id);
      assert.ok(entry.source.length > 10, `${entry.id} says where its words come from`);
      assert.ok(
        refuses(entry, requestFor(entry, true)),
        `${entry.id}: the full request trips the strict server`,
      );
    }
  });

  for (const entry of CATALOGUE) {
    const label = `${entry.server} refusing ${entry.field} (${entry.id}, ${entry.wording} wording)`;
    describe(label, () => {
      if (entry.field === 'content_array') {
        it('answers Ask About Selection and a follow-up with no refusal and no notice', async () => {
          server.setStrict(entry);
          const events = await run(configFor(entry), requestFor(entry));
          assert.equal(choiceText(events).content, ANSWER);
          assert.deepEqual(notices(events), []);
          assert.equal(server.refused.length, 0);
          assert.equal(server.requests.length, 1);
        });

        it('ends a message with an image as a clear error, the image sent and never dropped', async () => {
          server.setStrict(entry);
          const store = new MemoryCapabilityStore();
          await assert.rejects(run(configFor(entry, store), requestFor(entry, true)), (err: unknown) => {
            assert.ok(err instanceof EndpointError);
            const view = describeError(err);
            assert.equal(view.title, `Request failed: HTTP ${entry.status} from 127.0.0.1:${server.port}`);
            if (entry.imageExpect === 'textOnly') {
              assert.equal(err.hint, 'textOnly');
              assert.equal(
                view.hint,
                'This model or endpoint takes no images or files: nothing was sent without them. Remove the image and send again, or choose a model that takes images.',
              );
            } else {
              assert.equal(err.hint, 'badRequest');
            }
            assert.equal(view.detail, entry.shown);
            return true;
          });
          assert.equal(server.requests.length, 1, 'no second request without the image');
          assert.ok(server.refused[0].rawBody.includes(IMAGE), 'the image went out');
          if (entry.imageExpect === 'textOnly') {
            const key = capabilityKey(`strict-${entry.id}`, 'strict-model');
            assert.equal(store.get(key)?.vision, false, 'remembered as text-only');
          }
        });
        return;
      }

      it('answers after one downgrade of that field, remembered for the next request', async () => {
        server.setStrict(entry);
        const store = new MemoryCapabilityStore();
        const request = requestFor(entry);
        const first = await run(configFor(entry, store), request);
        assert.equal(choiceText(first).content, ANSWER);
        assert.deepEqual(notices(first), [entry.field]);
        assert.equal(server.refused.length, 1);
        assert.equal(server.requests.length, 2);
        assert.equal(refuses(entry, server.requests[1].body), false, 'the retry leaves the field out');

        server.reset();
        const second = await run(configFor(entry, store), request);
        assert.equal(choiceText(second).content, ANSWER);
        assert.deepEqual(
          notices(second),
          saidEveryTime(request, [entry.field as Downgrade]),
          'remembered per profile and model',
        );
        assert.equal(server.refused.length, 0);
      });

      const kind = entry.serverKind;
      if (kind && knownRefusals(kind).includes(entry.field as Downgrade)) {
        it(`is right from the first request when the profile declares serverKind "${kind}"`, async () => {
          server.setStrict(entry);
          const request = requestFor(entry);
          const events = await run({ ...configFor(entry), serverKind: kind }, request);
          assert.equal(choiceText(events).content, ANSWER);
          assert.deepEqual(notices(events), saidEveryTime(request, knownRefusals(kind)));
          assert.equal(server.refused.length, 0);
          assert.equal(server.requests.length, 1);
        });
      }
    });
  }
});

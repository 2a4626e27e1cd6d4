import assert from 'node:assert/strict';
import { runLmRequest, type LmResponsePart } from '../../../src/common/lm/lmResponse';
import { LM_ROLE, LM_TOOL_MODE } from '../../../src/common/lm/lmMessages';
import { EndpointError } from '../../../src/common/endpoint/endpointError';
import { MemoryCapabilityStore } from '../../../src/common/endpoint/capabilities';
import type { ChatEvent } from '../../../src/common/stream/chatEvents';

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

function fakeFetch(
  replies: { status?: number; body: string; type?: string }[],
  bodies: unknown[],
): typeof fetch {
  return (async (_url: string, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)));
    const reply = replies.shift()!;
    return new Response(reply.body, {
      status: reply.status ?? 200,
      headers: { 'content-type': reply.type ?? 'text/event-stream' },
    });
  }) as typeof fetch;
}

async function run(replies: { status?: number; body: string; type?: string }[], extra: object = {}) {
  const bodies: Record<string, unknown>[] = [];
  const parts: LmResponsePart[] = [];
  const asides: ChatEvent[] = [];
  await runLmRequest(
    { fetch: fakeFetch(replies, bodies), random: () => 0 },
    {
      baseUrl: 'https://relay.example.com/v1',
      apiKey: 'sk-test',
      capabilityStore: new MemoryCapabilityStore(),
      retry: { baseDelayMs: 1 },
    },
    { includeUsage: true, logprobs: true, n: 2 },
    { model: 'fake-model', messages: [{ role: LM_ROLE.user, content: [{ value: 'Hi' }] }], ...extra },
    { part: (p) => parts.push(p), aside: (e) => asides.push(e) },
  );
  return { bodies, parts, asides };
}

describe('An LM request through the engine', () => {
  it('streams the answer’s text as parts and keeps reasoning apart from it', async () => {
    const { bodies, parts, asides } = await run([
      {
        body:
          chunk({ reasoning_content: 'Thinking…' }) +
          chunk({ content: 'Hel' }) +
          chunk({ content: 'lo.' }, 'stop') +
          'data: [DONE]\n\n',
      },
    ]);
    assert.deepEqual(parts, [
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo.' },
    ]);
    assert.deepEqual(
      asides.map((e) => e.type),
      ['reasoning'],
    );
    // The panel's logprobs and n are the panel's; the caller's request carries neither.
    assert.equal(bodies[0].logprobs, undefined);
    assert.equal(bodies[0].n, undefined);
    assert.deepEqual(bodies[0].messages, [{ role: 'user', content: 'Hi' }]);
  });

  it('sends the tools and reports a streamed tool call as one call with parsed input', async () => {
    const { bodies, parts } = await run(
      [
        {
          body:
            chunk({
              tool_calls: [
                {
                  index: 0,
                  id: 'call_1',
                  type: 'function',
                  function: { name: 'weather', arguments: '{"ci' },
                },
              ],
            }) +
            chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }, 'tool_calls') +
            'data: [DONE]\n\n',
        },
      ],
      {
        tools: [{ name: 'weather', description: 'Weather', inputSchema: { type: 'object' } }],
        toolMode: LM_TOOL_MODE.required,
        modelOptions: { temperature: 0.2 },
      },
    );
    assert.deepEqual(parts, [
      { type: 'toolCall', call: { callId: 'call_1', name: 'weather', input: { city: 'Paris' } } },
    ]);
    assert.deepEqual(bodies[0].tool_choice, { type: 'function', function: { name: 'weather' } });
    assert.equal(bodies[0].temperature, 0.2);
  });

  it('drops a parameter the relay refuses and asks again, as the panel does', async () => {
    const { bodies, parts, asides } = await run([
      {
        status: 400,
        type: 'application/json',
        body: JSON.stringify({
          error: { message: 'Unrecognized request argument supplied: stream_options' },
        }),
      },
      { body: chunk({ content: 'OK' }, 'stop') + 'data: [DONE]\n\n' },
    ]);
    assert.equal(bodies.length, 2);
    assert.ok(bodies[0].stream_options);
    assert.equal(bodies[1].stream_options, undefined);
    assert.deepEqual(parts, [{ type: 'text', text: 'OK' }]);
    assert.deepEqual(
      asides.map((e) => e.type),
      ['notice'],
    );
  });

  it('throws the engine’s readable error with the server’s own words', async () => {
    await assert.rejects(
      run([
        {
          status: 401,
          type: 'application/json',
          body: JSON.stringify({ error: { message: 'Invalid API key provided' } }),
        },
      ]),
      (err: unknown) =>
        err instanceof EndpointError &&
        err.status === 401 &&
        err.serverMessage === 'Invalid API key provided',
    );
  });

  it('an answer with nothing in it is an error, not an empty success', async () => {
    await assert.rejects(
      run([{ body: chunk({ reasoning_content: 'hmm' }) + chunk({}, 'stop') + 'data: [DONE]\n\n' }]),
      (err: unknown) => err instanceof EndpointError && err.hint === 'emptyAnswer',
    );
  });
});

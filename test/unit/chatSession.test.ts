import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatSession, type ChatSessionDeps } from '../../src/common/conversation/chatSession';
import { describeError } from '../../src/common/panel/errorView';
import type { HostToWebview } from '../../src/common/panel/protocol';
import { sse } from '../fakeServer/fakeServer';

type FetchCall = {
  url: string;
  body: { model: string; stream: boolean; messages: { role: string; content: unknown }[] };
};

function sseResponse(body: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

function harness(
  responses: (() => Response | Promise<Response>)[],
  { model = 'm1', retry = { maxRetries: 0 } }: { model?: string; retry?: Record<string, number> } = {},
) {
  const posts: HostToWebview[] = [];
  const calls: FetchCall[] = [];
  let n = 0;
  const deps: ChatSessionDeps = {
    fetch: async (input, init) => {
      calls.push({ url: String(input), body: JSON.parse(String(init?.body)) });
      const next = responses.shift();
      if (!next) throw new Error('unexpected request');
      return next();
    },
    post: (m) => posts.push(m),
    resolveEndpoint: async () => ({ config: { baseUrl: 'http://127.0.0.1:1/v1', retry }, model }),
    describeError: (err) => describeError(err),
    newId: () => `id${n++}`,
  };
  return { session: new ChatSession(deps), posts, calls };
}

describe('ChatSession', () => {
  it('posts the user message, then the answer as deltas, then its end', async () => {
    const { session, posts, calls } = harness([() => sseResponse(sse('Hello world', { pieceSize: 4 }))]);
    await session.send({ display: 'hi', content: 'hi' });
    assert.equal(calls.length, 1);
    assert.equal(calls[0].url, 'http://127.0.0.1:1/v1/chat/completions');
    assert.equal(calls[0].body.model, 'm1');
    assert.equal(calls[0].body.stream, true);
    assert.deepEqual(calls[0].body.messages, [{ role: 'user', content: 'hi' }]);

    const types = posts.map((p) => p.type);
    assert.deepEqual(types.slice(0, 2), ['append', 'append']);
    assert.equal(types.at(-1), 'end');
    const text = posts.flatMap((p) => (p.type === 'delta' && p.content ? [p.content] : [])).join('');
    assert.equal(text, 'Hello world');
    const end = posts.at(-1) as Extract<HostToWebview, { type: 'end' }>;
    assert.equal(end.status, 'complete');
    const deltas = posts.filter((p) => p.type === 'delta') as Extract<HostToWebview, { type: 'delta' }>[];
    assert.ok(deltas.every((d) => d.requestId === end.requestId && d.messageId === end.messageId));
  });

  it('sends the whole conversation with a follow-up', async () => {
    const { session, calls } = harness([() => sseResponse(sse('A1')), () => sseResponse(sse('A2'))]);
    await session.send({ display: 'q1', content: 'q1' });
    await session.send({ display: 'q2', content: [{ type: 'text', text: 'q2' }] });
    assert.deepEqual(calls[1].body.messages, [
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'A1' },
      // Text parts go out as one string: strict servers (DeepSeek) refuse arrays.
      { role: 'user', content: 'q2' },
    ]);
  });

  it('turns an HTTP error into an error message and drops the empty answer; Retry asks again', async () => {
    const { session, posts, calls } = harness([
      () =>
        new Response(JSON.stringify({ error: { message: 'bad key', type: 'invalid_request_error' } }), {
          status: 401,
          headers: { 'content-type': 'application/json', 'x-request-id': 'req_42' },
        }),
      () => sseResponse(sse('ok now')),
    ]);
    await session.send({ display: 'hi', content: 'hi' });
    const error = posts.find((p) => p.type === 'append' && p.message.role === 'error') as Extract<
      HostToWebview,
      { type: 'append' }
    >;
    assert.ok(error, 'an error message was posted');
    assert.match(error.message.error!.title, /401/);
    assert.match(error.message.error!.title, /127\.0\.0\.1:1/);
    assert.equal(error.message.error!.detail, 'bad key');
    assert.equal(error.message.error!.requestId, 'req_42');
    assert.ok(
      posts.some((p) => p.type === 'remove'),
      'the empty assistant message is removed',
    );
    assert.deepEqual(
      session.state().messages.map((m) => m.role),
      ['user', 'error'],
    );

    await session.retry();
    assert.deepEqual(
      session.state().messages.map((m) => m.role),
      ['user', 'assistant'],
    );
    assert.deepEqual(calls[1].body.messages, [{ role: 'user', content: 'hi' }]);
  });

  it('keeps a half-received answer, marks it incomplete and reports the cut', async () => {
    const partial =
      sse('This answer will be cut off', { done: false }).split('\n\n').slice(0, 3).join('\n\n') + '\n\n';
    const { session, posts } = harness([() => sseResponse(partial)]);
    await session.send({ display: 'hi', content: 'hi' });
    const end = posts.find((p) => p.type === 'end') as Extract<HostToWebview, { type: 'end' }>;
    assert.equal(end.status, 'incomplete');
    const answer = session.state().messages.find((m) => m.role === 'assistant')!;
    assert.ok(answer.text.length > 0);
    assert.equal(session.state().messages.at(-1)!.role, 'error');
  });

  it('stop() aborts the request and keeps what arrived', async () => {
    let cancelled = false;
    const { session, posts } = harness([
      () => {
        const encoder = new TextEncoder();
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(
              encoder.encode(
                sse('partial text', { done: false }).split('\n\n').slice(0, 2).join('\n\n') + '\n\n',
              ),
            );
          },
          cancel() {
            cancelled = true;
          },
        });
        return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
      },
    ]);
    const sending = session.send({ display: 'hi', content: 'hi' });
    for (let i = 0; i < 100 && !posts.some((p) => p.type === 'delta'); i++)
      await new Promise((r) => setTimeout(r, 5));
    assert.ok(session.busy);
    session.stop();
    await sending;
    const end = posts.find((p) => p.type === 'end') as Extract<HostToWebview, { type: 'end' }>;
    assert.equal(end.status, 'stopped');
    assert.ok(!session.busy);
    assert.ok(cancelled, 'the response body was cancelled');
  });
});

describe('ChatSession: deltas, notices and history actions', () => {
  const deltas = (posts: HostToWebview[]) =>
    posts.filter((p) => p.type === 'delta') as Extract<HostToWebview, { type: 'delta' }>[];

  it('merges a burst of tokens into few posts, with exactly the same text', async () => {
    const text = 'token '.repeat(500);
    const { session, posts } = harness([
      () => sseResponse(sse(text, { pieceSize: 1, reasoning: 'think '.repeat(50) })),
    ]);
    await session.send({ display: 'hi', content: 'hi' });
    const ds = deltas(posts);
    assert.ok(ds.length <= 5, `${ds.length} posts for ${text.length} one-character chunks`);
    assert.equal(ds.map((d) => d.content ?? '').join(''), text);
    assert.equal(ds.map((d) => d.reasoning ?? '').join(''), 'think '.repeat(50));
    const bytes = ds.reduce((n, d) => n + JSON.stringify(d).length, 0);
    assert.ok(bytes < 2 * (text.length + 300), `${bytes} bytes posted for ${text.length + 300} characters`);
  });

  it('still shows a slow stream token by token', async () => {
    const encoder = new TextEncoder();
    const pieces = sse('one two three', { pieceSize: 4 }).split('\n\n').filter(Boolean);
    const { session, posts } = harness([
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            async start(controller) {
              for (const piece of pieces) {
                controller.enqueue(encoder.encode(`${piece}\n\n`));
                await new Promise((r) => setTimeout(r, 60));
              }
              controller.close();
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    ]);
    await session.send({ display: 'hi', content: 'hi' });
    assert.ok(deltas(posts).length >= 3, 'one post per slow token');
  });

  it('posts usage, and n > 1 choices as alternatives', async () => {
    const chunk = (choices: object[], extra: object = {}) =>
      `data: ${JSON.stringify({ id: 'x', model: 'm', choices, ...extra })}\n\n`;
    const body =
      chunk([
        { index: 0, delta: { content: 'first' } },
        { index: 1, delta: { content: 'second' } },
      ]) +
      chunk([
        { index: 0, delta: {}, finish_reason: 'stop' },
        { index: 1, delta: {}, finish_reason: 'stop' },
      ]) +
      chunk([], { usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }) +
      'data: [DONE]\n\n';
    const { session, posts } = harness([() => sseResponse(body)]);
    await session.send({ display: 'hi', content: 'hi' });
    const answer = session.state().messages[1];
    assert.equal(answer.text, 'first');
    assert.deepEqual(answer.alternatives, ['second']);
    assert.equal(answer.usage?.total_tokens, 7);
    assert.ok(posts.some((p) => p.type === 'usage'));
    assert.ok(posts.some((p) => p.type === 'alternatives'));
  });

  it('moves an answer that turns out to be a thought (lone </think>) into the reasoning, in order', async () => {
    const body = readFileSync(join(__dirname, '../fixtures/streams/think-close-only.sse'), 'utf8');
    const { session, posts, calls } = harness([() => sseResponse(body), () => sseResponse(sse('ok'))]);
    await session.send({ display: 'regex?', content: 'regex?' });
    const answer = session.state().messages[1];
    assert.match(answer.reasoning ?? '', /^Okay, the user asks for a regex .* is enough\.\n$/s);
    assert.match(answer.text, /^\n\nUse `<b>\[\^<\]\*<\/b>`:/);
    assert.doesNotMatch(answer.text, /Okay/);

    // The panel got the early text as answer deltas, then the move, then the real answer.
    const at = posts.findIndex((p) => p.type === 'contentWasReasoning');
    const move = posts[at] as Extract<HostToWebview, { type: 'contentWasReasoning' }>;
    assert.equal(move.from, 0);
    const before = deltas(posts.slice(0, at))
      .map((d) => d.content ?? '')
      .join('');
    const after = deltas(posts.slice(at))
      .map((d) => d.content ?? '')
      .join('');
    assert.equal(`${before}`, answer.reasoning);
    assert.equal(after, answer.text);

    // The next request carries the answer, not the thought.
    await session.send({ display: 'thanks', content: 'thanks' });
    assert.equal(calls[1].body.messages[1].content, answer.text);
  });

  it('shows a retry as a notice in the answer, then the answer', async () => {
    const { session, posts } = harness(
      [
        () => new Response('busy', { status: 503, headers: { 'retry-after': '0' } }),
        () => sseResponse(sse('after retry')),
      ],
      { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    await session.send({ display: 'hi', content: 'hi' });
    const notice = posts.find((p) => p.type === 'notice') as Extract<HostToWebview, { type: 'notice' }>;
    assert.match(notice.text, /Retrying in \d+ s \(1 of 1\)/);
    assert.equal(session.state().messages[1].text, 'after retry');
  });

  it('regenerates the last answer, edits a past question (keeping its code part) and deletes messages', async () => {
    const { session, calls } = harness([
      () => sseResponse(sse('A1')),
      () => sseResponse(sse('A1 again')),
      () => sseResponse(sse('A2')),
    ]);
    await session.send({
      display: 'q1',
      content: [
        { type: 'text', text: 'q1' },
        { type: 'text', text: 'File: a.ts' },
      ],
    });
    await session.regenerate();
    assert.deepEqual(
      session.state().messages.map((m) => m.text),
      ['q1', 'A1 again'],
    );
    const userId = session.state().messages[0].id;
    await session.edit(userId, 'q1 edited');
    assert.deepEqual(calls[2].body.messages, [
      {
        role: 'user',
        content: 'q1 edited\n\nFile: a.ts',
      },
    ]);
    assert.deepEqual(
      session.state().messages.map((m) => m.text),
      ['q1 edited', 'A2'],
    );
    session.deleteMessage(session.state().messages[1].id);
    assert.deepEqual(
      session.state().messages.map((m) => m.role),
      ['user'],
    );
  });

  it('round-trips through a stored record', async () => {
    const { session } = harness([() => sseResponse(sse('answer', { reasoning: 'why' }))]);
    await session.send({ display: 'question', content: 'question' });
    const record = session.toRecord();
    assert.equal(record.title, 'question');
    const { session: other, posts } = harness([]);
    other.restore(record);
    assert.equal(other.conversationId, record.id);
    assert.deepEqual(other.apiMessages(), session.apiMessages());
    assert.equal(
      (posts.at(-1) as Extract<HostToWebview, { type: 'state' }>).state.messages[1].reasoning,
      'why',
    );
  });
});

describe('ChatSession: Continue', () => {
  it('continues a cut-off answer in the same message, with the partial answer in the history', async () => {
    const partial = sse('The first half', { done: false }).split('\n\n').slice(0, 3).join('\n\n') + '\n\n';
    const { session, posts, calls } = harness([
      () => sseResponse(partial),
      () => sseResponse(sse(' and the second half.')),
    ]);
    await session.send({ display: 'hi', content: 'hi' });
    const cut = { ...session.state().messages.find((m) => m.role === 'assistant')! };
    assert.equal(cut.status, 'incomplete');
    await session.continueAnswer();

    const messages = session.state().messages;
    assert.deepEqual(
      messages.map((m) => m.role),
      ['user', 'assistant'],
      'the error is gone and no new message was added',
    );
    assert.equal(messages[1].id, cut.id);
    assert.equal(messages[1].text, `${cut.text} and the second half.`);
    assert.equal(messages[1].status, 'complete');
    assert.ok(posts.some((p) => p.type === 'resume' && p.messageId === cut.id));
    const sent = calls[1].body.messages;
    assert.deepEqual(sent.slice(0, 2), [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: cut.text },
    ]);
    assert.equal(sent[2].role, 'user');
    assert.match(String(sent[2].content), /Continue exactly where it stopped/);
    assert.deepEqual(session.apiMessages().at(-1), { role: 'assistant', content: messages[1].text });
  });

  it('does nothing when the last answer is complete', async () => {
    const { session, calls } = harness([() => sseResponse(sse('Done.'))]);
    await session.send({ display: 'hi', content: 'hi' });
    await session.continueAnswer();
    assert.equal(calls.length, 1);
  });
});

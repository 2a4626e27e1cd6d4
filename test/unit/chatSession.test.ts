import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ChatSession,
  SAVE_WHILE_STREAMING_MS,
  type ChatSessionDeps,
} from '../../src/common/conversation/chatSession';
import {
  DELTA_WINDOW_MAX_MS,
  DELTA_WINDOW_MS,
  deltaWindowFor,
} from '../../src/common/conversation/deltaWindow';
import type { ConversationRecord } from '../../src/common/conversation/conversationStore';
import { describeError } from '../../src/common/panel/errorView';
import type { HostToWebview } from '../../src/common/panel/protocol';
import type { MessageOp } from '../../src/common/panel/protocol';
import { PanelConversation, isConversationMessage } from '../../src/common/panel/panelConversation';
import { FakeClock } from './engine/fakes';
import { sse } from '../fakeServer/fakeServer';

type FetchCall = {
  url: string;
  body: { model: string; stream: boolean; messages: { role: string; content: unknown }[] };
};

function sseResponse(body: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

/** The ops of every update a session posted, in order, with the message they are about. */
const opsOf = (posts: HostToWebview[]) =>
  posts.flatMap((p) => (p.type === 'update' ? p.ops.map((op) => ({ messageId: p.messageId, op })) : []));
const textOps = (posts: HostToWebview[], channel = 'content') =>
  opsOf(posts).flatMap(({ op }) => (op.op === 'text' && op.channel === channel ? [op] : []));
const statusOps = (posts: HostToWebview[]) =>
  opsOf(posts).flatMap(({ op }) => (op.op === 'status' ? [op] : []));
const updates = (posts: HostToWebview[]) =>
  posts.filter((p) => p.type === 'update') as Extract<HostToWebview, { type: 'update' }>[];

/** What a panel that saw every post shows: the same fold the webview uses. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}

function panelOf(posts: HostToWebview[]) {
  const panel = new PanelConversation(() => assert.fail('a panel that saw every post never has a gap'));
  for (const p of posts) if (isConversationMessage(p)) panel.receive(p);
  return panel.messages;
}

function harness(
  responses: (() => Response | Promise<Response>)[],
  {
    model = 'm1',
    retry = { maxRetries: 0 },
    clock,
  }: { model?: string; retry?: Record<string, number>; clock?: FakeClock } = {},
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
    ...(clock ? { clock } : {}),
    // What the host would write to disk each time it is told to save.
    onChange: () => saves.push(JSON.parse(JSON.stringify(session.toRecord())) as ConversationRecord),
  };
  const saves: ConversationRecord[] = [];
  const session = new ChatSession(deps);
  return { session, posts, calls, saves };
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
    assert.equal(types.at(-1), 'update');
    const answerId = (posts[1] as Extract<HostToWebview, { type: 'append' }>).message.id;
    assert.ok(opsOf(posts).every((u) => u.messageId === answerId));
    // Each piece names where it starts; together they are the answer, once.
    let at = 0;
    for (const op of textOps(posts)) {
      assert.equal(op.at, at);
      at += op.text.length;
    }
    assert.equal(
      textOps(posts)
        .map((op) => op.text)
        .join(''),
      'Hello world',
    );
    assert.deepEqual(statusOps(posts).at(-1), { op: 'status', status: 'complete' });
    assert.deepEqual(panelOf(posts), session.state().messages);
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
    assert.equal(statusOps(posts).at(-1)?.status, 'incomplete');
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
    while (session.toRecord().turns[1]?.view.role !== 'assistant') await new Promise((r) => setImmediate(r));
    assert.ok(session.busy);
    session.stop();
    await sending;
    assert.equal(statusOps(posts).at(-1)?.status, 'stopped');
    assert.deepEqual(panelOf(posts), session.state().messages);
    assert.ok(!session.busy);
    assert.ok(cancelled, 'the response body was cancelled');
  });
});

describe('ChatSession: deltas, notices and history actions', () => {
  it('merges a burst of tokens into few posts, with exactly the same text', async () => {
    const text = 'token '.repeat(500);
    const { session, posts } = harness([
      () => sseResponse(sse(text, { pieceSize: 1, reasoning: 'think '.repeat(50) })),
    ]);
    await session.send({ display: 'hi', content: 'hi' });
    const ds = updates(posts);
    assert.ok(ds.length <= 5, `${ds.length} posts for ${text.length} one-character chunks`);
    assert.equal(
      textOps(posts)
        .map((op) => op.text)
        .join(''),
      text,
    );
    assert.equal(
      textOps(posts, 'reasoning')
        .map((op) => op.text)
        .join(''),
      'think '.repeat(50),
    );
    assert.deepEqual(panelOf(posts), session.state().messages);
    const bytes = ds.reduce((n, d) => n + JSON.stringify(d).length, 0);
    assert.ok(bytes < 2 * (text.length + 300), `${bytes} bytes posted for ${text.length + 300} characters`);
  });

  it('still shows a slow stream token by token: a held piece goes out when the window ends', async () => {
    const encoder = new TextEncoder();
    const pieces = sse('one two three', { pieceSize: 4 }).split('\n\n').filter(Boolean);
    let feed!: ReadableStreamDefaultController<Uint8Array>;
    const clock = new FakeClock(false);
    const { session, posts } = harness(
      [
        () =>
          new Response(new ReadableStream<Uint8Array>({ start: (c) => void (feed = c) }), {
            headers: { 'content-type': 'text/event-stream' },
          }),
      ],
      { clock },
    );
    const sending = session.send({ display: 'hi', content: 'hi' });
    const settle = () => new Promise((r) => setImmediate(r));
    await settle();
    const shown: number[] = [];
    for (const piece of pieces) {
      feed.enqueue(encoder.encode(`${piece}\n\n`));
      await settle();
      clock.advance(DELTA_WINDOW_MS);
      shown.push(updates(posts).length);
    }
    // The last piece is [DONE]: the session has already closed the stream.
    await sending;
    // Every content piece was posted within its own window, not held for the next one.
    const contentPieces = pieces.filter((p) => p.includes('"content"')).length;
    assert.ok(contentPieces >= 3);
    assert.ok(
      new Set(shown).size >= contentPieces,
      `posts after each piece: ${shown.join(', ')} for ${contentPieces} content pieces`,
    );
    assert.deepEqual(panelOf(posts), session.state().messages);
  });

  it('holds updates 32 ms while an answer is short, longer as it grows, never over 250 ms', () => {
    assert.equal(deltaWindowFor(0), DELTA_WINDOW_MS);
    assert.equal(deltaWindowFor(2_000), DELTA_WINDOW_MS);
    assert.equal(deltaWindowFor(7_000), 141);
    assert.equal(deltaWindowFor(12_000), DELTA_WINDOW_MAX_MS);
    assert.equal(deltaWindowFor(1_000_000), DELTA_WINDOW_MAX_MS);
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
    assert.ok(opsOf(posts).some(({ op }) => op.op === 'usage'));
    assert.deepEqual(
      textOps(posts, 'alt:0')
        .map((op) => op.text)
        .join(''),
      'second',
    );
    assert.deepEqual(panelOf(posts), session.state().messages);
  });

  it('moves an answer that turns out to be a thought (lone </think>) into the reasoning, in order', async () => {
    const body = readFileSync(join(__dirname, '../fixtures/streams/think-close-only.sse'), 'utf8');
    const { session, posts, calls } = harness([() => sseResponse(body), () => sseResponse(sse('ok'))]);
    await session.send({ display: 'regex?', content: 'regex?' });
    const answer = session.state().messages[1];
    assert.match(answer.reasoning ?? '', /^Okay, the user asks for a regex .* is enough\.\n$/s);
    assert.match(answer.text, /^\n\nUse `<b>\[\^<\]\*<\/b>`:/);
    assert.doesNotMatch(answer.text, /Okay/);

    // The panel got the early text as answer text, then the move, then the real answer.
    const ops = opsOf(posts).map(({ op }) => op);
    const at = ops.findIndex((op) => op.op === 'contentWasReasoning');
    const move = ops[at] as Extract<MessageOp, { op: 'contentWasReasoning' }>;
    assert.equal(move.from, 0);
    const text = (list: MessageOp[]) =>
      list.flatMap((op) => (op.op === 'text' && op.channel === 'content' ? [op.text] : [])).join('');
    assert.equal(text(ops.slice(0, at)), answer.reasoning);
    assert.equal(text(ops.slice(at)), answer.text);
    assert.deepEqual(panelOf(posts), session.state().messages);

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
    const notice = opsOf(posts).find(({ op }) => op.op === 'notice')?.op as Extract<
      MessageOp,
      { op: 'notice' }
    >;
    assert.match(notice.text, /Retrying in \d+ s \(1 of 1\)/);
    assert.deepEqual(panelOf(posts), session.state().messages);
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

describe('ChatSession: what is saved while an answer is on its way', () => {
  it('saves an answer that has not begun as interrupted, with Retry, never a bare question', async () => {
    let release!: (r: Response) => void;
    const { session, saves } = harness([() => new Promise<Response>((r) => (release = r))]);
    const sending = session.send({ display: 'Why does my build fail?', content: 'Why does my build fail?' });
    await until(() => !!release);
    // VS Code goes away now: the last thing written is what the user finds on the next start.
    const onDisk = saves.at(-1)!;
    assert.deepEqual(
      onDisk.turns.map((t) => [t.view.role, t.view.text, t.view.error?.retryable, t.api?.role]),
      [
        ['user', 'Why does my build fail?', undefined, 'user'],
        ['error', 'No answer: it was interrupted before any of it arrived', true, undefined],
      ],
    );
    release(sseResponse(sse('unused')));
    await sending;

    const { session: next, calls, posts } = harness([() => sseResponse(sse('Because of X.'))]);
    next.restore(onDisk);
    assert.deepEqual(panelOf(posts), next.state().messages);
    await next.retry();
    assert.deepEqual(calls[0].body.messages, [{ role: 'user', content: 'Why does my build fail?' }]);
    assert.deepEqual(
      next.state().messages.map((m) => [m.role, m.text, m.status]),
      [
        ['user', 'Why does my build fail?', undefined],
        ['assistant', 'Because of X.', 'complete'],
      ],
    );
  });

  it('saves what arrived of an answer as incomplete, and the finished answer once it ends', async () => {
    // The delta windows run by themselves; the stream's own timeouts (a minute and more) do not.
    const clock = new FakeClock((ms) => ms < SAVE_WHILE_STREAMING_MS);
    let push!: (text: string) => void;
    let end!: () => void;
    const { session, saves } = harness(
      [
        () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(controller) {
                const encoder = new TextEncoder();
                push = (text) => controller.enqueue(encoder.encode(text));
                end = () => controller.close();
              },
            }),
            { headers: { 'content-type': 'text/event-stream' } },
          ),
      ],
      { clock },
    );
    // The role, 'Half an ', 'answer.', the finish: one event each.
    const [role, half, rest, finish] = sse('Half an answer.', { done: false })
      .split('\n\n')
      .map((event) => `${event}\n\n`);
    const sending = session.send({ display: 'q', content: 'q' });
    await until(() => !!push);
    push(role + half);
    await until(() => session.state().messages[1]?.text === 'Half an ');
    // Some seconds on, the next piece: the conversation is saved as it stands.
    clock.advance(SAVE_WHILE_STREAMING_MS);
    push(rest);
    await until(() => saves.at(-1)!.turns[1]?.view.role === 'assistant');
    assert.deepEqual(saves.at(-1)!.turns[1], {
      view: { ...session.state().messages[1], status: 'incomplete' },
      api: { role: 'assistant', content: 'Half an answer.' },
    });
    push(finish);
    push('data: [DONE]\n\n');
    end();
    await sending;
    assert.deepEqual(
      saves.at(-1)!.turns.map((t) => [t.view.role, t.view.text, t.view.status]),
      [
        ['user', 'q', undefined],
        ['assistant', 'Half an answer.', 'complete'],
      ],
    );
  });

  it('saves an answer interrupted by opening another conversation the same way', async () => {
    let release!: (r: Response) => void;
    const { session, saves } = harness([() => new Promise<Response>((r) => (release = r))]);
    const sending = session.send({ display: 'q', content: 'q' });
    await until(() => !!release);
    const id = session.conversationId;
    session.clear();
    const left = saves.filter((r) => r.id === id).at(-1)!;
    assert.deepEqual(
      left.turns.map((t) => t.view.role),
      ['user', 'error'],
    );
    release(sseResponse(sse('late')));
    await sending;
    assert.ok(session.isEmpty, 'the late answer does not land in the new conversation');
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
    assert.ok(
      opsOf(posts).some(
        ({ messageId, op }) => messageId === cut.id && op.op === 'status' && op.status === 'streaming',
      ),
    );
    assert.deepEqual(panelOf(posts), messages);
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

describe('ChatSession: no turn ends in silence', () => {
  const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/streams', name), 'utf8');
  const run = async (name: string) => {
    const { session, posts } = harness([() => sseResponse(fixture(name))]);
    await session.send({ display: 'q', content: 'q' });
    const messages = session.state().messages;
    assert.deepEqual(panelOf(posts), messages);
    return messages;
  };

  it('keeps the text before an error object that arrives beside choices, and shows the error', async () => {
    const [, answer, error] = await run('error-beside-choices.sse');
    assert.equal(answer.text, 'Partial answer');
    assert.equal(answer.status, 'incomplete');
    assert.equal(error.role, 'error');
    assert.equal(
      error.error!.detail,
      'upstream connection reset (request id: 2024110715301234) (bad_response_status_code)',
    );
    assert.equal(error.error!.retryable, true);
  });

  it('shows an error sent on an `error:` line (llama.cpp), after the text that came first', async () => {
    const [, answer, error] = await run('error-field-line.sse');
    assert.equal(answer.text, 'Hi');
    assert.equal(answer.status, 'incomplete');
    assert.equal(error.error!.title, 'Request failed: HTTP 500 from 127.0.0.1:1');
    assert.equal(error.error!.detail, 'Failed to decode the batch, n_batch = 512');
  });

  it('tells a finish_reason outside the spec, with the response id, and keeps the text to continue', async () => {
    const [, answer, error] = await run('finish-unknown.sse');
    assert.equal(answer.text, 'Half an');
    assert.equal(answer.status, 'incomplete');
    assert.equal(error.error!.title, '127.0.0.1:1 ended the answer unexpectedly');
    assert.equal(error.error!.detail, 'finish_reason: error');
    assert.equal(error.error!.requestId, 'chatcmpl-relay1');
  });

  it('says so when a clean stream brought nothing at all', async () => {
    const messages = await run('empty-turn.sse');
    assert.deepEqual(
      messages.map((m) => m.role),
      ['user', 'error'],
    );
    const error = messages[1].error!;
    assert.equal(error.title, '127.0.0.1:1 ended the answer without any content');
    assert.equal(error.detail, 'finish_reason: stop');
    assert.equal(error.requestId, 'chatcmpl-relay1');
    assert.equal(error.retryable, true);
  });
});

describe('ChatSession: a model that takes no images', () => {
  it('asks again without the attachments on the user word, and the panel drops the thumbnails', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const { session, posts, calls } = harness([
      () =>
        new Response(JSON.stringify({ error: { message: 'image input not supported' } }), {
          status: 400,
          headers: { 'content-type': 'application/json' },
        }),
      () => sseResponse(sse('It is a question about a picture I cannot see.')),
    ]);
    await session.send({
      display: 'What is this?',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: png } },
      ],
      images: [png],
    });
    assert.deepEqual(
      session.state().messages.map((m) => m.role),
      ['user', 'error'],
    );
    await session.sendWithoutAttachments();
    assert.deepEqual(calls[1].body.messages, [{ role: 'user', content: 'What is this?' }]);
    const messages = session.state().messages;
    assert.deepEqual(
      messages.map((m) => m.role),
      ['user', 'assistant'],
    );
    assert.equal(messages[0].images, undefined);
    assert.deepEqual(panelOf(posts), messages);
  });
});

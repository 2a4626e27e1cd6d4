import assert from 'node:assert/strict';
import { ChatSession, type ChatSessionDeps } from '../../../src/common/conversation/chatSession';
import { describeError } from '../../../src/common/panel/errorView';
import type { HostToWebview } from '../../../src/common/panel/protocol';
import { PanelConversation, isConversationMessage } from '../../../src/common/panel/panelConversation';
import { jsonError, sse } from '../../fakeServer/fakeServer';

interface Asked {
  model: string;
  body: { messages: { role: string; content: unknown }[] };
  signal?: AbortSignal;
}

/** A stream that sends `first`, then waits for `release` before the rest: both answers are open at once. */
function held(first: string, rest: string, release: Promise<void>, signal?: AbortSignal): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(
        encoder.encode(
          sse(first, { done: false }).replace(/data: \{[^\n]*"finish_reason":"stop"[^\n]*\n\n/, ''),
        ),
      );
      signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
      await release;
      if (signal?.aborted) return;
      controller.enqueue(encoder.encode(sse(rest)));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

function harness(answer: (asked: Asked, index: number) => Response | Promise<Response>) {
  const posts: HostToWebview[] = [];
  const asked: Asked[] = [];
  let n = 0;
  const deps: ChatSessionDeps = {
    fetch: async (input, init) => {
      const body = JSON.parse(String(init?.body)) as Asked['body'] & { model: string };
      const one: Asked = {
        model: `${new URL(String(input)).pathname.split('/')[1]}/${body.model}`,
        body,
        signal: init?.signal ?? undefined,
      };
      asked.push(one);
      return answer(one, asked.length - 1);
    },
    post: (m) => posts.push(m),
    resolveEndpoint: async () => ({
      config: { baseUrl: 'http://127.0.0.1:1/main/v1', retry: { maxRetries: 0 } },
      model: 'solo',
      profileId: 'main',
    }),
    resolveEndpointFor: async (qualified) => {
      const [profileId, model] = [
        qualified.slice(0, qualified.indexOf('/')),
        qualified.slice(qualified.indexOf('/') + 1),
      ];
      return {
        config: { baseUrl: `http://127.0.0.1:1/${profileId}/v1`, retry: { maxRetries: 0 } },
        model,
        profileId,
      };
    },
    describeError: (err) => describeError(err),
    newId: () => `id${n++}`,
  };
  const session = new ChatSession(deps);
  const panel = () => {
    const p = new PanelConversation(() => assert.fail('no gap'));
    for (const m of posts) if (isConversationMessage(m)) p.receive(m);
    return p.messages;
  };
  return { session, posts, asked, panel };
}

describe('ChatSession: compare several models', () => {
  it('keeps compare mode off below two models and caps it at four', () => {
    const { session } = harness(() => new Response(sse('x')));
    session.setCompare(['a/m']);
    assert.deepEqual(session.compare, []);
    session.setCompare(['a/m', 'b/m', 'a/m', 'c/m', 'd/m', 'e/m']);
    assert.deepEqual(session.compare, ['a/m', 'b/m', 'c/m', 'd/m']);
  });

  it('streams one question to two models at once, one failing while the other finishes; the pick becomes the answer', async () => {
    let release!: () => void;
    const bothAsked = new Promise<void>((r) => (release = r));
    const h = harness(async (asked, i) => {
      if (i === 1) release();
      if (asked.model === 'p1/fast') return held('Fast ', 'answer.', bothAsked, asked.signal);
      await bothAsked;
      return new Response(String(jsonError(500, 'upstream down').body), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    });
    h.session.setCompare(['p1/fast', 'p2/broken']);
    await h.session.send({ display: 'Which is best?', content: 'Which is best?' });
    assert.deepEqual(h.asked.map((a) => a.model).sort(), ['p1/fast', 'p2/broken']);
    const [, fast, error] = h.session.state().messages;
    assert.equal(fast.text, 'Fast answer.');
    assert.equal(fast.status, 'complete');
    assert.deepEqual(fast.compare, { group: fast.compare!.group, model: 'p1/fast' });
    assert.equal(error.role, 'error');
    assert.deepEqual(error.compare, { group: fast.compare!.group, model: 'p2/broken' });
    assert.match(error.error!.title, /500/);
    assert.deepEqual(h.panel(), h.session.state().messages);

    h.session.pickAnswer(fast.id);
    const after = h.session.state().messages;
    assert.equal(after.length, 2, 'the error of the other model goes with the pick');
    assert.equal(after[1].compare, undefined);
    assert.deepEqual(after[1].choiceLabels, ['p1/fast']);
    assert.deepEqual(h.panel(), after);
  });

  it('keeps the other answers as alternatives labelled by model, and the next request carries the pick only', async () => {
    const h = harness((asked) => new Response(sse(`Answer of ${asked.model}.`)));
    h.session.setCompare(['p1/a', 'p2/b']);
    await h.session.send({ display: 'q1', content: 'q1' });
    const second = h.session.state().messages.find((m) => m.compare?.model === 'p2/b')!;
    h.session.pickAnswer(second.id);
    const picked = h.session.state().messages[1];
    assert.equal(picked.text, 'Answer of p2/b.');
    assert.deepEqual(picked.alternatives, ['Answer of p1/a.']);
    assert.deepEqual(picked.choiceLabels, ['p2/b', 'p1/a']);

    // Compare mode stays on: the next question goes to both again, carrying the picked text only.
    await h.session.send({ display: 'q2', content: 'q2' });
    const next = h.asked.slice(2);
    assert.equal(next.length, 2);
    for (const request of next) {
      assert.deepEqual(request.body.messages, [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: 'Answer of p2/b.' },
        { role: 'user', content: 'q2' },
      ]);
    }
    h.session.setCompare([]);
    await h.session.send({ display: 'q3', content: 'q3' });
    assert.equal(h.asked.at(-1)!.model, 'main/solo');
    // Unpicked, the second compare turn contributes its first answer only.
    assert.deepEqual(
      h.asked.at(-1)!.body.messages.map((m) => m.content),
      ['q1', 'Answer of p2/b.', 'q2', 'Answer of p1/a.', 'q3'],
    );
    assert.deepEqual(h.panel(), h.session.state().messages);
  });

  it('stops one answer with its own Stop while the other finishes, and a restart keeps the whole turn', async () => {
    let release!: () => void;
    const later = new Promise<void>((r) => (release = r));
    const h = harness((asked) => held(`${asked.model} starts `, 'and ends.', later, asked.signal));
    h.session.setCompare(['p1/a', 'p2/b']);
    const sent = h.session.send({ display: 'q', content: 'q' });
    while (h.session.state().messages.filter((m) => m.text).length < 2)
      await new Promise((r) => setTimeout(r, 5));
    const [, a] = h.session.state().messages;
    h.session.stopAnswer(a.id);
    release();
    await sent;
    const [, stopped, finished] = h.session.state().messages;
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.text, 'p1/a starts ');
    assert.equal(finished.status, 'complete');
    assert.equal(finished.text, 'p2/b starts and ends.');

    const record = JSON.parse(JSON.stringify(h.session.toRecord()));
    const restored = harness(() => new Response(sse('x')));
    restored.session.restore(record);
    assert.deepEqual(restored.session.state().messages, h.session.state().messages);
  });
});

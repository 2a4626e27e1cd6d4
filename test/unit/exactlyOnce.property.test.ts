/**
 * Every character exactly once (issue 12): the host session and the panel's fold in one process,
 * on a fake clock, for thousands of seeds. Each seed streams answers in random read pieces and
 * random batching windows, with n > 1 choices, reasoning, a thought closed only by `</think>`,
 * tool-call fragments, stops, Continue and Regenerate, while the panel is rebuilt at random
 * moments (posts to a panel that has not said `ready` are lost, as in the provider). Whenever the
 * two sides are quiet, and at the end, the panel's messages equal the host's, character for
 * character.
 */
import assert from 'node:assert/strict';
import { ChatSession } from '../../src/common/conversation/chatSession';
import { DELTA_WINDOW_MAX_MS, DELTA_WINDOW_MS } from '../../src/common/conversation/deltaWindow';
import { describeError } from '../../src/common/panel/errorView';
import { PanelConversation, isConversationMessage } from '../../src/common/panel/panelConversation';
import type { HostToWebview, ViewMessage } from '../../src/common/panel/protocol';
import { channelText } from '../../src/common/panel/messageReducer';
import { FakeClock } from './engine/fakes';

const SEEDS = Number(process.env.RELAY_PROPERTY_SEEDS ?? 10_000);

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const ALPHABET = ['a', 'b', 'k', '0', '7', ' ', '\n', '`', '#', '中', '文', 'é', '😀'];
function words(rng: Rng, max: number): string {
  let s = '';
  const n = rng.int(max);
  for (let i = 0; i < n; i++) s += ALPHABET[rng.int(ALPHABET.length)];
  return s;
}

/** Cuts a string into 1..max-character pieces (surrogate pairs may be cut: JSON keeps them). */
function pieces(rng: Rng, text: string, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const n = 1 + rng.int(max);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/** One random answer as the SSE body a relay would send. */
function randomStream(rng: Rng): string {
  const chunk = (choices: object[], extra: object = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-p', model: 'm', choices, ...extra })}\n\n`;
  const n = rng.chance(0.2) ? 2 + rng.int(2) : 1;
  const events: string[] = [];
  const perChoice: object[][] = [];
  for (let c = 0; c < n; c++) {
    const list: object[] = [];
    if (c === 0 && rng.chance(0.3)) {
      for (const p of pieces(rng, words(rng, 60), 5)) list.push({ reasoning_content: p });
    }
    let content = words(rng, 200);
    // A thought the chat template opened in the prompt, closed only in the stream.
    if (rng.chance(0.15)) content = `${words(rng, 40)}</think>${content}`;
    for (const p of pieces(rng, content, 6)) list.push({ content: p });
    if (c === 0 && rng.chance(0.15)) {
      const args = JSON.stringify({ path: `src/${words(rng, 8)}.ts`, n: rng.int(100) });
      list.push({
        tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }],
      });
      for (const p of pieces(rng, args, 7))
        list.push({ tool_calls: [{ index: 0, function: { arguments: p } }] });
    }
    perChoice.push(list);
  }
  const withLogprobs = rng.chance(0.3);
  // Interleave the choices' deltas as relays do.
  const cursors = perChoice.map(() => 0);
  while (cursors.some((at, c) => at < perChoice[c].length)) {
    const c = rng.int(n);
    if (cursors[c] >= perChoice[c].length) continue;
    const delta = perChoice[c][cursors[c]++] as { content?: string };
    // Token probabilities beside the answer's text, as a relay sends them when asked (issue 10).
    const logprobs =
      withLogprobs && c === 0 && delta.content !== undefined
        ? { content: [{ token: delta.content, logprob: -rng.int(300) / 100, top_logprobs: [] }] }
        : undefined;
    events.push(chunk([{ index: c, delta, logprobs, finish_reason: null }]));
  }
  if (!rng.chance(0.1)) {
    events.push(chunk(perChoice.map((_, c) => ({ index: c, delta: {}, finish_reason: 'stop' }))));
    if (rng.chance(0.5)) {
      events.push(chunk([], { usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }));
    }
    events.push('data: [DONE]\n\n');
  }
  return events.join('');
}

interface World {
  rng: Rng;
  clock: FakeClock;
  session: ChatSession;
  panel: PanelConversation;
  /** Posts on their way to the panel, in order. */
  queue: HostToWebview[];
  /** The panel said `ready`: the provider posts only then. */
  ready: boolean;
  /** Message ids the panel asked for again, on their way to the host. */
  resyncs: string[];
  /** Feeds the response body of the request in flight. */
  feed?: ReadableStreamDefaultController<Uint8Array>;
  reads: Uint8Array[];
  rebuilds: number;
  gaps: number;
  /** Text the panel already had when it arrived again. */
  skipped: number;
}

const settle = () => new Promise((r) => setImmediate(r));

function newPanel(world: World): PanelConversation {
  return new PanelConversation((id) => {
    world.gaps += 1;
    world.resyncs.push(id);
  });
}

function deliver(world: World, count: number): void {
  for (let i = 0; i < count && world.queue.length; i++) {
    const message = world.queue.shift()!;
    if (!isConversationMessage(message)) continue;
    if (message.type === 'update') {
      const target = world.panel.get(message.messageId);
      for (const op of message.ops) {
        if (target && op.op === 'text' && op.at < channelText(target, op.channel).length) world.skipped += 1;
      }
    }
    world.panel.receive(message);
  }
}

function answerResyncs(world: World): void {
  for (const id of world.resyncs.splice(0)) {
    const message = world.session.message(id);
    if (message && world.ready) world.queue.push({ type: 'message', message });
  }
}

/** The panel is rebuilt: its posts in flight are lost, and it knows nothing until `ready`. */
function rebuild(world: World): void {
  world.panel = newPanel(world);
  world.queue = [];
  world.resyncs = [];
  world.ready = false;
  world.rebuilds += 1;
}

/**
 * The panel says `ready` and gets a snapshot. The provider takes it with `state()`, which sends what
 * the session holds first. Half the time the snapshot is taken the way issue 12 found it, while a
 * batch is still held (that batch then arrives after a snapshot that already has it), to prove the
 * offsets alone keep the text exact: a piece the panel has is skipped, and a hole is asked for again.
 */
function becomeReady(world: World, unflushed = world.rng.chance(0.5)): void {
  if (world.ready) return;
  world.ready = true;
  if (unflushed) {
    const held = (world.session as unknown as { turns: { view: ViewMessage }[] }).turns;
    world.queue.push({
      type: 'state',
      state: { messages: held.map((t) => structuredClone(t.view)), model: 'm', options: {} },
    });
  } else {
    world.queue.push({ type: 'state', state: world.session.state() });
  }
}

/** Lets every held batch go, delivers everything, answers every resync: then both sides agree. */
function quiesce(world: World, label: string): void {
  world.clock.advance(DELTA_WINDOW_MAX_MS);
  becomeReady(world, false);
  for (let round = 0; round < 5 && (world.queue.length || world.resyncs.length); round++) {
    deliver(world, Infinity);
    answerResyncs(world);
  }
  assert.deepEqual(world.panel.messages, world.session.state().messages, label);
}

async function step(world: World): Promise<void> {
  const r = world.rng.next();
  if (r < 0.45 && world.reads.length && world.feed) {
    try {
      world.feed.enqueue(world.reads.shift()!);
      if (!world.reads.length) world.feed.close();
    } catch {
      // The session already cancelled the body ([DONE] read, or stopped).
      world.feed = undefined;
    }
    await settle();
  } else if (r < 0.65) {
    world.clock.advance(world.rng.int(2 * DELTA_WINDOW_MS));
  } else if (r < 0.82) {
    deliver(world, 1 + world.rng.int(4));
  } else if (r < 0.87) {
    rebuild(world);
  } else if (r < 0.93) {
    becomeReady(world);
  } else if (r < 0.95) {
    quiesce(world, 'mid-stream');
  } else {
    answerResyncs(world);
  }
}

async function runSeed(seed: number): Promise<{ rebuilds: number; gaps: number; skipped: number }> {
  const rng = prng(seed);
  const clock = new FakeClock(false);
  let ids = 0;
  const world = {
    rng,
    clock,
    queue: [],
    ready: true,
    resyncs: [],
    reads: [],
    rebuilds: 0,
    gaps: 0,
    skipped: 0,
  } as unknown as World;
  world.panel = newPanel(world);
  world.session = new ChatSession({
    clock,
    fetch: async (_input, init) => {
      const body = randomStream(rng);
      const bytes = new TextEncoder().encode(body);
      world.reads = [];
      for (let i = 0; i < bytes.length;) {
        const n = 1 + rng.int(400);
        world.reads.push(bytes.subarray(i, i + n));
        i += n;
      }
      const signal = init?.signal;
      return new Response(
        new ReadableStream<Uint8Array>({
          start: (c) => {
            world.feed = c;
            signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    },
    post: (message) => {
      if (world.ready) world.queue.push(message);
    },
    resolveEndpoint: async () => ({
      config: { baseUrl: 'http://127.0.0.1:1/v1', retry: { maxRetries: 0 } },
      model: 'm',
    }),
    describeError: (err) => describeError(err),
    newId: () => `m${ids++}`,
  });

  const turns = 1 + rng.int(3);
  for (let turn = 0; turn < turns; turn++) {
    const action = turn === 0 ? 0 : rng.int(4);
    const session = world.session;
    const running =
      action === 1
        ? session.continueAnswer()
        : action === 2
          ? session.regenerate()
          : session.send({ display: `q${turn}`, content: `q${turn}` });
    let done = false;
    void running.then(() => (done = true));
    await settle();
    for (let i = 0; !done && i < 10_000; i++) {
      if (rng.chance(0.02)) session.stop();
      await step(world);
    }
    await running;
    quiesce(world, `seed ${seed}, after turn ${turn}`);
  }
  return { rebuilds: world.rebuilds, gaps: world.gaps, skipped: world.skipped };
}

describe('every character exactly once (property, host session + panel fold)', function () {
  this.timeout(300_000);

  it(`the panel equals the host after every turn, across random rebuilds, for ${SEEDS} seeds`, async () => {
    let rebuilds = 0;
    let gaps = 0;
    let skipped = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const result = await runSeed(seed);
      rebuilds += result.rebuilds;
      gaps += result.gaps;
      skipped += result.skipped;
    }
    // The runs did exercise what they claim to: rebuilds mid-stream, text that arrived twice and
    // was skipped, and holes healed by asking for the message again.
    assert.ok(rebuilds > SEEDS / 2, `${rebuilds} rebuilds`);
    assert.ok(skipped > SEEDS / 20, `${skipped} repeated pieces skipped`);
    assert.ok(gaps > 0, `${gaps} gaps`);
  });
});

/**
 * The engine's stream path against its baselines, in one process on the same bytes:
 *   ours: client    streamChatCompletion over a fetch whose body delivers the bytes in network-sized
 *                   reads: timers, one await per read, one async step per event for its consumer.
 *                   The figure the target is about.
 *   ours: client, sink  readChatCompletion over the same: what the chat panel, the edit rounds and
 *                   the LM provider run (a read's events handed over at once, no step per event).
 *   ours: decoder   the same reads through ChatStreamDecoder, synchronously: the client's per-read work
 *   openai SDK      Stream.fromSSEResponse over a Response of the same reads → chunk objects
 *   floor           JSON.parse of the payload strings alone: no bytes, no framing, no folding
 * Each stream is measured twice over: with a forced gc before every run (the work itself) and
 * without (the work plus the garbage it leaves for later runs to collect); GC pauses seen by a
 * PerformanceObserver during the un-forced runs are reported per run. Medians after warm-up.
 * Never asserts on time.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { Stream } from 'openai/streaming';
import type { ChatEvent } from '../src/common/stream/chatEvents';
import { readChatCompletion, streamChatCompletion } from '../src/common/endpoint/chatClient';
import { ChatStreamDecoder } from '../src/common/stream/sseDecoder';

const CHUNKS = 20_000;
const REPETITIONS = 11;
const WARM_UP = 5;

// A deterministic generator, so every run measures the same bytes.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

const WORDS = [
  'the',
  'function',
  ' returns',
  ' a',
  ' Promise',
  '<string>',
  ' when',
  '```ts\n',
  'const',
  ' 你好',
  '世界',
  ' ✓',
  '\n',
  ' value',
  ' —',
  ' and',
];

interface Recording {
  name: string;
  bytes: Uint8Array;
  payloads: string[];
  pieces: Uint8Array[];
}

/**
 * `perChunk` adds what varies from chunk to chunk besides the content: nothing (one upstream, one
 * id: the usual case), OpenAI's random `obfuscation` padding, or a fresh id per chunk as some
 * relays send (no chunk repeats another's layout, so every payload takes the general path).
 */
function record(name: string, perChunk: 'none' | 'obfuscation' | 'id'): Recording {
  const base = {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'gpt-4o-2024-08-06',
    service_tier: 'default',
    system_fingerprint: 'fp_f9f4fb6dbf',
  };
  const chunk = (i: number, choices: unknown[], extra: object = {}) => {
    const id = perChunk === 'id' ? { id: `chatcmpl-${(1e9 + i * 7919).toString(36)}` } : {};
    const padding =
      perChunk === 'obfuscation' ? { obfuscation: Math.floor(random() * 1e8).toString(36) } : {};
    return JSON.stringify({ ...base, ...id, choices, ...extra, ...padding });
  };
  const payloads: string[] = [];
  payloads.push(
    chunk(0, [
      {
        index: 0,
        delta: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ]),
  );
  for (let i = 1; i < CHUNKS - 2; i++) {
    const content = Array.from(
      { length: 1 + Math.floor(random() * 3) },
      () => WORDS[Math.floor(random() * WORDS.length)],
    ).join('');
    payloads.push(chunk(i, [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]));
  }
  payloads.push(chunk(CHUNKS - 2, [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
  payloads.push(
    chunk(CHUNKS - 1, [], {
      usage: { prompt_tokens: 1200, completion_tokens: CHUNKS, total_tokens: CHUNKS + 1200 },
    }),
  );
  const text = payloads.map((p) => `data: ${p}\n\n`).join('') + 'data: [DONE]\n\n';
  const bytes = new TextEncoder().encode(text);
  return { name, bytes, payloads, pieces: networkPieces(bytes) };
}

/** Reads of 8–16 KiB, cut anywhere (inside lines and UTF-8 sequences), as sockets deliver them. */
function networkPieces(bytes: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 8 * 1024 + Math.floor(random() * 8 * 1024);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

const bodyOf = (pieces: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });

const CLIENT = 'ours: client';
const SDK = 'openai SDK';
const FLOOR = 'floor (JSON.parse)';

interface Case {
  name: string;
  run(r: Recording): Promise<number> | number;
}

const cases: Case[] = [
  {
    name: CLIENT,
    async run(r) {
      const fetch = () =>
        Promise.resolve(new Response(bodyOf(r.pieces), { headers: { 'content-type': 'text/event-stream' } }));
      const events = streamChatCompletion(
        { fetch },
        { baseUrl: 'http://bench.invalid/v1' },
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'Explain promises.' }] },
      );
      let n = 0;
      for await (const _event of events) n++;
      return n;
    },
  },
  {
    name: 'ours: client, sink',
    async run(r) {
      const fetch = () =>
        Promise.resolve(new Response(bodyOf(r.pieces), { headers: { 'content-type': 'text/event-stream' } }));
      let n = 0;
      await readChatCompletion(
        { fetch },
        { baseUrl: 'http://bench.invalid/v1' },
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'Explain promises.' }] },
        (events) => void (n += events.length),
      );
      return n;
    },
  },
  {
    name: 'ours: decoder (sync core)',
    run(r) {
      const decoder = new ChatStreamDecoder('bench');
      const out: ChatEvent[] = [];
      let n = 0;
      for (const piece of r.pieces) {
        decoder.push(piece, out);
        n += out.length;
        out.length = 0;
        if (decoder.done) break;
      }
      decoder.end(out);
      return n + out.length;
    },
  },
  {
    name: SDK,
    async run(r) {
      const response = new Response(bodyOf(r.pieces), { headers: { 'content-type': 'text/event-stream' } });
      let n = 0;
      for await (const _chunk of Stream.fromSSEResponse(response, new AbortController())) n++;
      return n;
    },
  },
  {
    name: FLOOR,
    run(r) {
      let n = 0;
      for (const payload of r.payloads) if (JSON.parse(payload)) n++;
      return n;
    },
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Sample {
  forced: number[];
  free: number[];
  gcMs: number;
  items: number;
}

async function measure(r: Recording, gc: (() => void) | undefined): Promise<Map<string, Sample>> {
  const samples = new Map<string, Sample>(
    cases.map((c) => [c.name, { forced: [], free: [], gcMs: 0, items: 0 }]),
  );
  const pauses: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, duration: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const windows: { name: string; start: number; end: number }[] = [];
  for (const c of cases) for (let i = 0; i < WARM_UP; i++) await c.run(r);
  // Interleaved, so drift and other load hit every path alike.
  for (let rep = 0; rep < REPETITIONS; rep++) {
    for (const c of cases) {
      const s = samples.get(c.name)!;
      gc?.();
      let start = performance.now();
      s.items = await c.run(r);
      s.forced.push(performance.now() - start);
      start = performance.now();
      await c.run(r);
      const end = performance.now();
      s.free.push(end - start);
      windows.push({ name: c.name, start, end });
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the observer deliver
  observer.disconnect();
  for (const p of pauses) {
    const w = windows.find((w) => p.start >= w.start && p.start < w.end);
    if (w) samples.get(w.name)!.gcMs += p.duration / REPETITIONS;
  }
  return samples;
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) console.log('(run with --expose-gc for the forced-gc column)');
  const recordings = [
    record('OpenAI-style stream (one id, no padding)', 'none'),
    record('OpenAI with `obfuscation` padding', 'obfuscation'),
    record('relay with a fresh id per chunk (no fast path)', 'id'),
  ];
  for (const r of recordings) {
    const samples = await measure(r, gc);
    const mb = r.bytes.length / 1e6;
    const ms = (name: string, which: 'forced' | 'free' = 'forced') => median(samples.get(name)![which]);
    console.log(
      `\n${r.name}: ${CHUNKS} chunks, ${mb.toFixed(2)} MB in ${r.pieces.length} reads; median of ${REPETITIONS} runs`,
    );
    console.table(
      cases.map((c) => ({
        path: c.name,
        'ms (gc before)': ms(c.name).toFixed(1),
        'ms (no gc)': ms(c.name, 'free').toFixed(1),
        'GC ms/run': samples.get(c.name)!.gcMs.toFixed(1),
        'MB/s': (mb / (ms(c.name) / 1000)).toFixed(0),
        '× floor': (ms(c.name) / ms(FLOOR)).toFixed(2),
        'SDK ÷ this': (ms(SDK) / ms(c.name)).toFixed(2),
        'items out': samples.get(c.name)!.items,
      })),
    );
    const ratio = (which: 'forced' | 'free') => (ms(CLIENT, which) / ms(FLOOR, which)).toFixed(2);
    console.log(
      `${CLIENT} / floor: ${ratio('forced')}× (gc before), ${ratio('free')}× (no gc); target ≤ 1.5×. ` +
        `SDK / ${CLIENT}: ${(ms(SDK) / ms(CLIENT)).toFixed(2)}×; target > 1×.`,
    );
  }
}

void main();

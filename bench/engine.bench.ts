/**
 * The engine's stream path against its baselines, in one process on the same bytes:
 *   ours (core)    bytes in network-sized pieces → ChatStreamDecoder → ChatEvents (what the client's
 *                  read loop runs per read)
 *   ours (stream)  the same through decodeChatStream over a ReadableStream, one async yield per event
 *   openai SDK     Stream.fromSSEResponse over a Response of the same pieces → chunk objects
 *   floor          JSON.parse of the payload strings alone, framing and folding excluded
 * Prints medians over several repetitions. Never asserts on time.
 */
import { Stream } from 'openai/streaming';
import type { ChatEvent } from '../src/common/chatEvents';
import { ChatStreamDecoder, decodeChatStream } from '../src/common/sseDecoder';

const CHUNKS = 20_000;
const REPETITIONS = 9;

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

function makeStream(): { bytes: Uint8Array; payloads: string[] } {
  const base = {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'gpt-4o-2024-08-06',
    service_tier: 'default',
    system_fingerprint: 'fp_f9f4fb6dbf',
  };
  const payloads: string[] = [];
  payloads.push(
    JSON.stringify({
      ...base,
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', content: '', refusal: null },
          logprobs: null,
          finish_reason: null,
        },
      ],
    }),
  );
  for (let i = 0; i < CHUNKS - 3; i++) {
    const content = Array.from(
      { length: 1 + Math.floor(random() * 3) },
      () => WORDS[Math.floor(random() * WORDS.length)],
    ).join('');
    payloads.push(
      JSON.stringify({
        ...base,
        choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }],
      }),
    );
  }
  payloads.push(
    JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }),
  );
  payloads.push(
    JSON.stringify({
      ...base,
      choices: [],
      usage: { prompt_tokens: 1200, completion_tokens: CHUNKS, total_tokens: CHUNKS + 1200 },
    }),
  );
  const text = payloads.map((p) => `data: ${p}\n\n`).join('') + 'data: [DONE]\n\n';
  return { bytes: new TextEncoder().encode(text), payloads };
}

/** Reads of 1–16 KiB, cut anywhere (inside lines and UTF-8 sequences), as sockets deliver them. */
function networkPieces(bytes: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1024 + Math.floor(random() * 15 * 1024);
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

interface Case {
  name: string;
  run(): Promise<number> | number;
}

const { bytes, payloads } = makeStream();
const pieces = networkPieces(bytes);

const cases: Case[] = [
  {
    name: 'ours (core)',
    run() {
      const decoder = new ChatStreamDecoder('bench');
      const out: ChatEvent[] = [];
      let events = 0;
      for (const piece of pieces) {
        decoder.push(piece, out);
        events += out.length;
        out.length = 0;
      }
      decoder.end(out);
      return events + out.length;
    },
  },
  {
    name: 'ours (stream)',
    async run() {
      let events = 0;
      for await (const _event of decodeChatStream(bodyOf(pieces))) events++;
      return events;
    },
  },
  {
    name: 'openai SDK',
    async run() {
      const response = new Response(bodyOf(pieces), { headers: { 'content-type': 'text/event-stream' } });
      let chunks = 0;
      for await (const _chunk of Stream.fromSSEResponse(response, new AbortController())) chunks++;
      return chunks;
    },
  },
  {
    name: 'floor (JSON.parse)',
    run() {
      let n = 0;
      for (const payload of payloads) if (JSON.parse(payload)) n++;
      return n;
    },
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const outputs = new Map<string, number>();
  // Warm up every path before timing any, then interleave so drift hits all alike.
  for (const c of cases) for (let i = 0; i < 5; i++) await c.run();
  for (let rep = 0; rep < REPETITIONS; rep++) {
    for (const c of cases) {
      gc?.();
      const start = performance.now();
      outputs.set(c.name, await c.run());
      times.get(c.name)!.push(performance.now() - start);
    }
  }
  const mb = bytes.length / 1e6;
  console.log(
    `${CHUNKS} chunks, ${mb.toFixed(2)} MB in ${pieces.length} reads; median of ${REPETITIONS} runs${gc ? '' : ' (no --expose-gc)'}`,
  );
  const ms = (name: string) => median(times.get(name)!);
  const rows = cases.map((c) => ({
    path: c.name,
    'ms (median)': ms(c.name).toFixed(1),
    'MB/s': (mb / (ms(c.name) / 1000)).toFixed(1),
    'chunks/s': Math.round(CHUNKS / (ms(c.name) / 1000)).toLocaleString('en-US'),
    'items out': outputs.get(c.name),
  }));
  console.table(rows);
  const floor = ms('floor (JSON.parse)');
  console.log(`ours (core) / floor:   ${(ms('ours (core)') / floor).toFixed(2)}×  (target ≤ 1.5×)`);
  console.log(`ours (stream) / floor: ${(ms('ours (stream)') / floor).toFixed(2)}×`);
  console.log(`SDK / ours (core):     ${(ms('openai SDK') / ms('ours (core)')).toFixed(2)}×  (target > 1×)`);
  console.log(`SDK / ours (stream):   ${(ms('openai SDK') / ms('ours (stream)')).toFixed(2)}×`);
}

void main();

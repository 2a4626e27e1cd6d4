/**
 * Host → webview traffic while an answer streams: bytes posted per character of answer, through the
 * real ChatSession (engine + delta coalescing) fed one token per SSE chunk.
 * `node --import tsx bench/session.bench.ts` (or `npm run bench session`). Prints figures only.
 *
 * Baselines, computed for the same token stream: one post per token (what the panel would get
 * without coalescing) and the full text so far per token (what peers that re-post state send).
 */
import { ChatSession } from '../src/common/conversation/chatSession';
import { describeError } from '../src/common/panel/errorView';
import type { HostToWebview } from '../src/common/panel/protocol';

function answerText(chars: number): string {
  const para = 'Streaming cost should grow with the answer, not with its square. ';
  const code = '```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```\n\n';
  let out = '';
  for (let i = 0; out.length < chars; i++) out += i % 4 === 3 ? code : `${para.repeat(3)}\n\n`;
  return out.slice(0, chars);
}

function tokens(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 4) out.push(text.slice(i, i + 4));
  return out;
}

function chunk(token: string): string {
  return `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content: token }, finish_reason: null }] })}\n\n`;
}

/** Streams the tokens, `perSecond` of them per second (0: as fast as they are read). */
function stream(parts: string[], perSecond: number): Response {
  const encoder = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i >= parts.length) {
        controller.enqueue(
          encoder.encode(
            'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
          ),
        );
        controller.close();
        return;
      }
      if (perSecond) await new Promise((r) => setTimeout(r, 1000 / perSecond));
      controller.enqueue(encoder.encode(chunk(parts[i++])));
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

async function run(text: string, perSecond: number) {
  const parts = tokens(text);
  const posts: HostToWebview[] = [];
  let n = 0;
  const session = new ChatSession({
    fetch: async () => stream(parts, perSecond),
    post: (m) => posts.push(m),
    resolveEndpoint: async () => ({
      config: { baseUrl: 'http://127.0.0.1:1/v1', retry: { maxRetries: 0 } },
      model: 'm',
    }),
    describeError: (err) => describeError(err),
    newId: () => `id${n++}`,
  });
  const started = performance.now();
  await session.send({ display: 'q', content: 'q' });
  const ms = performance.now() - started;
  const deltas = posts.filter((p) => p.type === 'update');
  const bytes = deltas.reduce((sum, p) => sum + JSON.stringify(p).length, 0);
  // The envelope one post per token would cost: the same update, with one piece of text.
  const sample = JSON.stringify({
    type: 'update',
    messageId: 'id2',
    ops: [{ op: 'text', channel: 'content', at: 1000, text: '' }],
  }).length;
  const perToken = parts.reduce((sum, t) => sum + sample + JSON.stringify(t).length - 2, 0);
  let fullText = 0;
  for (let i = 0, len = 0; i < parts.length; i++) fullText += sample + (len += parts[i].length);
  return { chars: text.length, tokens: parts.length, posts: deltas.length, bytes, perToken, fullText, ms };
}

void (async () => {
  const cases: [string, string, number][] = [
    ['60k answer, burst (tokens as fast as read)', answerText(60_000), 0],
    ['6k answer, burst', answerText(6_000), 0],
    ['2.4k answer at 200 tokens/s', answerText(2_400), 200],
    ['1.2k answer at 50 tokens/s (slow relay)', answerText(1_200), 50],
  ];
  const rows = [];
  for (const [name, text, rate] of cases) {
    const r = await run(text, rate);
    rows.push({
      case: name,
      'answer chars': r.chars,
      tokens: r.tokens,
      posts: r.posts,
      'bytes / char (ours)': (r.bytes / r.chars).toFixed(2),
      'bytes / char (post per token)': (r.perToken / r.chars).toFixed(2),
      'bytes / char (full text per token)': (r.fullText / r.chars).toFixed(0),
      'ms total': r.ms.toFixed(0),
    });
  }
  console.table(rows);
  console.log('Target: host→webview bytes within 2× of the answer (≤ 2.00 bytes per char).');
})();

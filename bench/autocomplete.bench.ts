/**
 * Completion as you type (issue 27): a typing trace over real source files replayed against the
 * engine, on a fake clock, with a fake endpoint of fixed latency that streams the file's real next
 * characters (most of the time) so typed-ahead reuse and the cache are exercised as in use.
 * `npm run bench autocomplete`. Prints figures only.
 *
 * Baseline, in the same run over the same trace: a request on every keystroke (the previous one
 * aborted), the prompt window built each time, no debounce, no cache, no typed-ahead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionEngine } from '../src/common/completion/engine/completionEngine';
import { promptWindow, DEFAULT_WINDOW_BUDGET } from '../src/common/completion/engine/promptWindow';
import type { CompletionPrompt, CompletionResult } from '../src/common/completion/engine/types';
import { FakeClock } from '../test/unit/engine/fakes';

const LATENCY_MS = 300;
const PIECE_MS = 8;
const PIECE_CHARS = 4;
const RIGHT_ANSWERS = 0.7;

/** mulberry32: the same trace every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Key = { gap: number } & (
  { kind: 'char'; char: string } | { kind: 'backspace' } | { kind: 'accept'; text: string }
);
interface Session {
  path: string;
  before: string;
  region: string;
  after: string;
  keys: Key[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Human typing: log-normal gaps near 170 ms, pauses at line ends, slips fixed by backspace, lines accepted whole. */
function trace(minKeys: number): Session[] {
  const rnd = random(27);
  const files = sourceFiles(join(__dirname, '..', 'src', 'common')).sort();
  const sessions: Session[] = [];
  let total = 0;
  for (let f = 0; total < minKeys; f = (f + 7) % files.length) {
    const text = readFileSync(files[f], 'utf8');
    const lines = text.split('\n');
    if (lines.length < 60) continue;
    const start = 10 + Math.floor(rnd() * (lines.length - 50));
    const before = lines.slice(0, start).join('\n') + '\n';
    const region = lines.slice(start, start + 25).join('\n') + '\n';
    const after = lines.slice(start + 25).join('\n');
    const keys: Key[] = [];
    const gap = () => Math.min(1200, Math.exp(Math.log(170) + 0.45 * (rnd() * 2 - 1) * 1.7));
    for (let i = 0; i < region.length;) {
      const lineEnd = region.indexOf('\n', i);
      const atLineStart = i === 0 || region[i - 1] === '\n';
      if (atLineStart && rnd() < 0.25 && lineEnd > i + 3) {
        // The user takes what was suggested: the rest of the line at once (Tab).
        keys.push({ gap: 350 + rnd() * 400, kind: 'accept', text: region.slice(i, lineEnd) });
        i = lineEnd;
        continue;
      }
      if (rnd() < 0.03 && region[i] !== '\n') {
        keys.push({ gap: gap(), kind: 'char', char: 'x' });
        keys.push({ gap: 250 + rnd() * 200, kind: 'backspace' });
      }
      const pause = region[i] === '\n' && rnd() < 0.4 ? 600 + rnd() * 1800 : 0;
      keys.push({ gap: gap() + pause, kind: 'char', char: region[i] });
      i++;
    }
    total += keys.length;
    sessions.push({ path: files[f], before, region, after, keys });
  }
  return sessions;
}

interface Figures {
  keystrokes: number;
  requests: number;
  hostMs: number[];
  lastByteToOffer: number[];
  cacheHits: number;
  typedAheadHits: number;
  aborted: number;
  offered: number;
}

type Ask = (
  doc: { text: string; offset: number; path: string },
  signal: AbortSignal,
) => Promise<string | undefined>;

/** The fake endpoint: after LATENCY_MS, streams what the file really holds next (or another place's text). */
function endpoint(clock: FakeClock, truth: () => string, rnd: () => number, onLastByte: () => void) {
  let requests = 0;
  const complete = (prompt: CompletionPrompt, signal: AbortSignal, onText?: (piece: string) => void) =>
    new Promise<CompletionResult>((resolve, reject) => {
      requests++;
      const real = truth();
      const wanted = prompt.multiline ? real.split('\n').slice(0, 3).join('\n') : real.split('\n')[0];
      const text = rnd() < RIGHT_ANSWERS ? wanted : `value${Math.floor(rnd() * 100)}.next();`;
      let sent = 0;
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      const piece = () => {
        if (signal.aborted) return;
        if (sent >= text.length) {
          onLastByte();
          resolve({ text, usage: { promptTokens: 800, completionTokens: Math.ceil(text.length / 4) } });
          return;
        }
        onText?.(text.slice(sent, sent + PIECE_CHARS));
        sent += PIECE_CHARS;
        clock.setTimeout(piece, PIECE_MS);
      };
      clock.setTimeout(piece, LATENCY_MS);
    });
  return { complete, count: () => requests };
}

const flush = () => new Promise((r) => setImmediate(r));

async function replay(
  sessions: Session[],
  make: (
    clock: FakeClock,
    complete: ReturnType<typeof endpoint>['complete'],
  ) => { ask: Ask; stats?: () => Partial<Figures> },
): Promise<Figures> {
  const clock = new FakeClock(false);
  const rnd = random(5);
  let truth = '';
  let lastByte: number | undefined;
  const fake = endpoint(
    clock,
    () => truth,
    rnd,
    () => (lastByte = performance.now()),
  );
  const { ask, stats } = make(clock, fake.complete);
  const figures: Figures = {
    keystrokes: 0,
    requests: 0,
    hostMs: [],
    lastByteToOffer: [],
    cacheHits: 0,
    typedAheadHits: 0,
    aborted: 0,
    offered: 0,
  };
  for (const s of sessions) {
    let typed = '';
    let caller = new AbortController();
    for (const key of s.keys) {
      // Time passes in small steps so streamed pieces and timers interleave as they would.
      for (let left = key.gap; left > 0; left -= 10) {
        clock.advance(Math.min(10, left));
        await flush();
        // An offer counts against the last byte only within the same step: a request whose result
        // nobody waited for must not pair with a later, unrelated offer.
        lastByte = undefined;
      }
      if (key.kind === 'char') typed += key.char;
      else if (key.kind === 'backspace') typed = typed.slice(0, -1);
      else typed += key.text;
      caller.abort();
      caller = new AbortController();
      const text = s.before + typed + s.region.slice(typed.length).replace(/^[^\n]*/, '') + s.after;
      const offset = s.before.length + typed.length;
      truth = s.region.startsWith(typed) ? s.region.slice(typed.length) : '';
      figures.keystrokes++;
      const t0 = performance.now();
      const offered = ask({ text, offset, path: s.path }, caller.signal);
      figures.hostMs.push(performance.now() - t0);
      void offered.then((value) => {
        if (value === undefined) return;
        figures.offered++;
        if (lastByte !== undefined) {
          figures.lastByteToOffer.push(performance.now() - lastByte);
          lastByte = undefined;
        }
      });
    }
    caller.abort();
    clock.advance(5_000);
    await flush();
  }
  figures.requests = fake.count();
  return { ...figures, ...stats?.() };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

void (async () => {
  const sessions = trace(2_000);
  const keys = sessions.reduce((n, s) => n + s.keys.length, 0);
  console.log(
    `trace: ${keys} keystrokes over ${sessions.length} regions of src/common files; endpoint ${LATENCY_MS} ms to first byte, ${PIECE_CHARS} chars per ${PIECE_MS} ms`,
  );

  const ours = await replay(sessions, (clock, complete) => {
    const engine = new CompletionEngine({ complete, clock });
    return {
      ask: (doc, signal) =>
        engine.onRequest(
          {
            documentKey: doc.path,
            path: doc.path,
            languageId: 'typescript',
            text: doc.text,
            offset: doc.offset,
            cursors: 1,
          },
          signal,
        ),
      stats: () => ({
        cacheHits: engine.stats.cacheHits,
        typedAheadHits: engine.stats.typedAheadHits,
        aborted: engine.stats.aborted,
      }),
    };
  });

  const baseline = await replay(sessions, (_clock, complete) => {
    let inFlight: AbortController | undefined;
    let aborted = 0;
    return {
      ask: async (doc, signal) => {
        if (inFlight && !inFlight.signal.aborted) {
          inFlight.abort();
          aborted++;
        }
        const controller = (inFlight = new AbortController());
        signal.addEventListener('abort', () => controller.abort(), { once: true });
        const { prefix, suffix } = promptWindow(doc.text, doc.offset, DEFAULT_WINDOW_BUDGET);
        const prompt = {
          prefix,
          suffix,
          snippets: [],
          languageId: 'typescript',
          path: doc.path,
          multiline: true,
        };
        try {
          return (await complete(prompt, controller.signal)).text || undefined;
        } catch {
          return undefined;
        }
      },
      stats: () => ({ aborted }),
    };
  });

  const row = (f: Figures) => ({
    keystrokes: f.keystrokes,
    requests: f.requests,
    'requests / keystroke': (f.requests / f.keystrokes).toFixed(3),
    'host ms p50': pct(f.hostMs, 50).toFixed(3),
    'host ms p99': pct(f.hostMs, 99).toFixed(3),
    'last byte → offer ms p50': pct(f.lastByteToOffer, 50).toFixed(3),
    'last byte → offer ms p99': pct(f.lastByteToOffer, 99).toFixed(3),
    'cache hits': f.cacheHits,
    'typed-ahead hits': f.typedAheadHits,
    aborted: f.aborted,
    offered: f.offered,
  });
  console.table({ engine: row(ours), 'every keystroke (baseline)': row(baseline) });
  console.log(`ratio of requests: ${(ours.requests / baseline.requests).toFixed(3)} of the baseline`);
  console.log(
    'Targets: ≤ 0.3 requests per keystroke, ≤ 1 ms p99 host time per keystroke, ≤ 5 ms from last byte to offer.',
  );
})();

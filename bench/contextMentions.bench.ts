/**
 * The `@` picker and the request for mentioned files, without VS Code. `npm run bench context`
 * (which also runs context.bench.ts, the token estimate) or
 * `node --import tsx bench/contextMentions.bench.ts`. Prints figures only.
 *
 * 1. A generated 50,000-path workspace (a monorepo's nesting and names): listing it into the
 *    PathIndex through the ignores, against a plain array of the same paths (what a
 *    `workspace.findFiles` + filter picker keeps).
 * 2. Typing a 20-character query letter by letter, each keystroke a new query as the picker sends
 *    it (with the index's real pauses between chunks): the first keystroke, every keystroke, p50/p99.
 *    Baselines in the same run: `filter(includes)` over every path per keystroke, and the same
 *    fuzzy score over every path per keystroke (no narrowing).
 * 3. The request for 20 mentioned files read from a generated temp folder: read + text/binary +
 *    mentionParts, against a plain read + concatenate.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fuzzyScore, normalizeQuery, NO_MATCH, preparePath } from '../src/common/mentions/fuzzyScore';
import { mentionParts } from '../src/common/mentions/mentionParts';
import type { ResolvedMention } from '../src/common/mentions/mentionTypes';
import { PathIndex } from '../src/common/mentions/pathIndex';
import { decodeFileBytes } from '../src/common/mentions/textDecode';
import { WorkspaceIgnores } from '../src/common/mentions/workspaceIgnores';

const FILES = 50_000;
const RUNS = 20;

// A seeded generator: the same workspace every run.
let seed = 42;
// mulberry32
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

const WORDS = [
  'chat',
  'view',
  'panel',
  'session',
  'store',
  'client',
  'request',
  'stream',
  'render',
  'message',
  'composer',
  'mention',
  'picker',
  'index',
  'path',
  'edit',
  'tool',
  'image',
  'token',
  'model',
  'profile',
  'settings',
  'history',
  'export',
  'theme',
  'button',
  'dialog',
  'router',
  'auth',
  'user',
  'cache',
  'queue',
];
const EXT = ['ts', 'ts', 'ts', 'tsx', 'js', 'json', 'md', 'css', 'test.ts', 'spec.ts'];
const TOP = ['packages', 'packages', 'packages', 'apps', 'libs', 'tools', 'docs'];

function camel(n: number): string {
  const words = Array.from({ length: n }, () => pick(WORDS));
  return (
    words[0] +
    words
      .slice(1)
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join('')
  );
}

/** 120 packages of about 40 folders each (~6,000 folders with their parents, as a real monorepo has). */
function workspacePaths(): string[] {
  const out = new Set<string>();
  const packages = Array.from({ length: 120 }, () => {
    const root = `${pick(TOP)}/${pick(WORDS)}-${pick(WORDS)}`;
    const dirs = Array.from({ length: 40 }, () => {
      const depth = 1 + Math.floor(random() * 4);
      return Array.from({ length: depth }, () => (random() < 0.3 ? camel(2) : pick(WORDS))).join('/');
    });
    return { root, dirs };
  });
  while (out.size < FILES) {
    const pkg = pick(packages);
    out.add(`${pkg.root}/src/${pick(pkg.dirs)}/${camel(1 + Math.floor(random() * 3))}.${pick(EXT)}`);
  }
  return [...out];
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const row = (label: string, p50: number, p99: number, base?: [number, number]) =>
  console.log(
    `  ${label.padEnd(34)} p50 ${ms(p50).padStart(9)}  p99 ${ms(p99).padStart(9)}` +
      (base
        ? `   (×${(base[0] / p50).toFixed(1)} / ×${(base[1] / p99).toFixed(1)} faster than the baseline)`
        : ''),
  );

const paths = workspacePaths();
// The query a user types for one real file, 20 characters: its package, then its name.
const target = paths[31_337];
const parts = target.split('/');
const query = normalizeQuery(`${parts[1]}/${parts.at(-1)}`).slice(0, 20);
console.log(
  `${FILES.toLocaleString('en')} paths in ${new Set(paths.map((p) => p.slice(0, p.lastIndexOf('/')))).size.toLocaleString('en')} folders; typing "${query}" (for ${target})`,
);

// 1. Listing.
const ignores = new WorkspaceIgnores(
  ['**/node_modules', '**/.git'],
  [{ dir: '', text: 'dist/\n*.log\ncoverage/\n' }],
);
const listMs: number[] = [];
const plainMs: number[] = [];
let index = new PathIndex();
for (let run = 0; run < 5; run++) {
  let start = performance.now();
  const fresh = new PathIndex();
  fresh.setFolders(['app']);
  for (const p of paths) if (!ignores.ignores(p)) fresh.add('app', p);
  listMs.push(performance.now() - start);
  index = fresh;
  start = performance.now();
  const plain: string[] = [];
  for (const p of paths) plain.push(p);
  plainMs.push(performance.now() - start);
}
console.log('\nlisting into the index (ignores applied, folders derived; median of 5):');
console.log(
  `  PathIndex        ${ms(percentile(listMs, 50))}  (${index.fileCount.toLocaleString('en')} files)`,
);
console.log(`  plain array      ${ms(percentile(plainMs, 50))}  (baseline: no search structure)`);

async function main(): Promise<void> {
  // 2. Typing.
  async function typeOnce(run: (q: string) => Promise<unknown>): Promise<number[]> {
    const times: number[] = [];
    for (let i = 1; i <= query.length; i++) {
      const start = performance.now();
      await run(query.slice(0, i));
      times.push(performance.now() - start);
    }
    return times;
  }

  const prepared = paths.map(preparePath);
  const naiveIncludes = async (q: string) =>
    paths
      .filter((p) => p.toLowerCase().includes(q))
      .sort((a, b) => a.length - b.length)
      .slice(0, 50);
  const naiveFuzzy = async (q: string) => {
    const scored: { p: string; s: number }[] = [];
    for (const entry of prepared) {
      const s = fuzzyScore(q, entry);
      if (s !== NO_MATCH) scored.push({ p: entry.path, s });
    }
    return scored.sort((a, b) => b.s - a.s).slice(0, 50);
  };

  const results: Record<string, { first: number[]; all: number[] }> = {};
  for (const [name, run] of [
    ['PathIndex (narrowing)', (q: string) => index.query(q, { limit: 51 })],
    ['baseline: filter(includes)', naiveIncludes],
    ['baseline: fuzzy over all', naiveFuzzy],
  ] as const) {
    await typeOnce(run); // warm the JIT
    const first: number[] = [];
    const all: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const times = await typeOnce(run);
      first.push(times[0]);
      all.push(...times);
    }
    results[name] = { first, all };
  }
  const ours = results['PathIndex (narrowing)'];
  for (const [label, pickTimes] of [
    ['first keystroke', (r: { first: number[] }) => r.first],
    ['every keystroke', (r: { all: number[] }) => r.all],
  ] as const) {
    console.log(`\n${label} (${RUNS} runs of ${query.length} keystrokes; target ≤ 100 ms):`);
    for (const [name, r] of Object.entries(results)) {
      const t = pickTimes(r);
      const mine = pickTimes(ours);
      row(name, percentile(t, 50), percentile(t, 99));
      if (name !== 'PathIndex (narrowing)')
        console.log(
          `  ${''.padEnd(34)} PathIndex is ×${(percentile(t, 50) / percentile(mine, 50)).toFixed(1)} at p50, ×${(percentile(t, 99) / percentile(mine, 99)).toFixed(1)} at p99`,
        );
    }
  }

  // 3. The request for 20 files.
  const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  const CODE =
    'export function compute(value: number, label: string): string {\n  return `${label}: ${value * 2}`;\n}\n';
  const mentioned = Array.from({ length: 20 }, (_, i) => `src/${pick(WORDS)}/${camel(2)}${i}.ts`);
  mentioned.forEach((rel, i) => {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, CODE.repeat(10 + i * 20)); // 1 KB to 36 KB
  });
  async function ourRequest(): Promise<number> {
    const resolved: ResolvedMention[] = await Promise.all(
      mentioned.map(async (path): Promise<ResolvedMention> => {
        const bytes = await readFile(join(dir, path));
        return { kind: 'file', file: { path, content: decodeFileBytes(bytes) } };
      }),
    );
    const out = mentionParts(resolved, {
      budget: 100_000,
      apiKeys: ['sk-test-key-1234567890'],
      confirmed: new Set(),
    });
    return out.reduce((sum, m) => sum + m.parts.length, 0);
  }
  async function plainRequest(): Promise<number> {
    const texts = await Promise.all(mentioned.map((path) => readFile(join(dir, path), 'utf8')));
    return mentioned.map((path, i) => `${path}:\n${texts[i]}`).join('\n\n').length;
  }
  const requestTimes: Record<string, number[]> = { ours: [], plain: [] };
  for (let r = 0; r < RUNS + 2; r++) {
    for (const [name, build] of [
      ['ours', ourRequest],
      ['plain', plainRequest],
    ] as const) {
      const start = performance.now();
      await build();
      if (r >= 2) requestTimes[name].push(performance.now() - start);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`\nthe request for 20 mentioned files (1–36 KB each, ${RUNS} runs):`);
  row('read + decode + mentionParts', percentile(requestTimes.ours, 50), percentile(requestTimes.ours, 99));
  row('baseline: read + concatenate', percentile(requestTimes.plain, 50), percentile(requestTimes.plain, 99));
  console.log(
    `  mentionParts' fences, budget shares, key masking and token counts cost ×${(percentile(requestTimes.ours, 50) / percentile(requestTimes.plain, 50)).toFixed(1)} the plain read at p50`,
  );
}

void main();

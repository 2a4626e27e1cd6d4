/**
 * The context window's estimate: its speed on a 3 MB selection (target ≤ 50 ms) and its accuracy
 * against a real BPE tokenizer (gpt-tokenizer, o200k and cl100k) on English, Chinese, code, JSON
 * and log samples. `npm run bench context`; `node --import tsx bench/context.bench.ts --write-counts`
 * stores the tokenizer's counts in test/fixtures/tokens/counts.json for the unit test, which then
 * needs no tokenizer.
 *
 * Baseline, in the same run: the tokenizer itself on the same 3 MB.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { estimateTokens } from '../src/common/tokens/estimateTokens';
import { planRequest } from '../src/common/context/contextPlan';
import { buildSelectionParts } from '../src/common/conversation/selectionPrompt';

const DIR = join(__dirname, '..', 'test', 'fixtures', 'tokens');

function selectionOf(bytes: number): string {
  const code = readFileSync(join(DIR, 'code.ts.txt'), 'utf8');
  let out = '';
  while (out.length < bytes) out += code;
  return out.slice(0, bytes);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(run: () => void, times: number): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const selection = selectionOf(3 * 1024 * 1024);
estimateTokens(selection); // warm the class table and the JIT
const estimateMs = time(() => estimateTokens(selection), 15);
const question = buildSelectionParts('What does this do?', {
  path: 'src/big.ts',
  languageId: 'typescript',
  startLine: 1,
  endLine: selection.split('\n').length,
  text: selection,
});
const planMs = time(
  () => planRequest([{ role: 'user', content: question }], { tokens: 8192, source: 'override' }),
  9,
);
const tokenizerMs = time(() => encodeO200k(selection), 1);

console.log(`3 MB selection (${selection.length.toLocaleString('en')} characters):`);
console.log(`  estimateTokens          ${estimateMs.toFixed(1)} ms (median of 15; target ≤ 50 ms)`);
console.log(`  whole request planned   ${planMs.toFixed(1)} ms (median of 9)`);
console.log(`  o200k BPE (baseline)    ${tokenizerMs.toFixed(0)} ms`);

const files = readdirSync(DIR)
  .filter((f) => f !== 'counts.json')
  .sort();
const counts: Record<string, { o200k: number; cl100k: number }> = {};
console.log('\naccuracy (estimate vs tokenizer; + counts high, − counts low):');
console.log('  sample               estimate   o200k    error   cl100k    error');
let worst = 0;
for (const file of files) {
  const text = readFileSync(join(DIR, file), 'utf8');
  const real = { o200k: encodeO200k(text).length, cl100k: encodeCl100k(text).length };
  counts[file] = real;
  const estimate = estimateTokens(text);
  const err = (n: number) => `${estimate >= n ? '+' : '−'}${Math.abs((estimate / n - 1) * 100).toFixed(1)}%`;
  worst = Math.min(worst, estimate / real.o200k - 1);
  console.log(
    `  ${file.padEnd(20)} ${String(estimate).padStart(8)} ${String(real.o200k).padStart(7)} ${err(real.o200k).padStart(8)} ${String(real.cl100k).padStart(8)} ${err(real.cl100k).padStart(8)}`,
  );
}
console.log(`  worst undercount against o200k: ${worst < 0 ? `${(worst * 100).toFixed(1)}%` : 'none'}`);

const stored = JSON.parse(readFileSync(join(DIR, 'counts.json'), 'utf8')) as typeof counts;
if (process.argv.includes('--write-counts')) {
  writeFileSync(join(DIR, 'counts.json'), `${JSON.stringify(counts, null, 2)}\n`);
  console.log('\nwrote test/fixtures/tokens/counts.json');
} else if (JSON.stringify(stored) !== JSON.stringify(counts)) {
  console.log('\ntest/fixtures/tokens/counts.json is stale: run with -- --write-counts');
  process.exitCode = 1;
}

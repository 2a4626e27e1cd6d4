/**
 * The estimate against a real BPE tokenizer, without shipping one: test/fixtures/tokens holds
 * English, Chinese, code, JSON and log samples and their o200k / cl100k counts, measured by
 * gpt-tokenizer (`node --import tsx bench/context.bench.ts --write-counts` measures them again).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateTokens } from '../../../src/common/tokens/estimateTokens';

const DIR = join(__dirname, '..', '..', 'fixtures', 'tokens');
const counts = JSON.parse(readFileSync(join(DIR, 'counts.json'), 'utf8')) as Record<
  string,
  { o200k: number; cl100k: number }
>;
/** cl100k spends about 1.5 tokens per Chinese character; the estimate plans for o200k's 0.8–1. */
const CL100K_CJK = new Set(['chinese-prose.txt']);

describe('estimateTokens against BPE counts', () => {
  it('has samples of every kind', () => {
    assert.ok(Object.keys(counts).length >= 8);
  });
  for (const [file, real] of Object.entries(counts)) {
    it(`never undercounts ${file} by more than 10%`, () => {
      const estimate = estimateTokens(readFileSync(join(DIR, file), 'utf8'));
      assert.ok(estimate >= real.o200k * 0.9, `${estimate} < 90% of o200k ${real.o200k}`);
      if (!CL100K_CJK.has(file))
        assert.ok(estimate >= real.cl100k * 0.9, `${estimate} < 90% of cl100k ${real.cl100k}`);
      // Leaning high, but not so high that a window is wasted.
      assert.ok(estimate <= real.o200k * 1.5, `${estimate} > 150% of o200k ${real.o200k}`);
    });
  }
});

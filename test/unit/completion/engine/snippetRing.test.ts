import assert from 'node:assert/strict';
import { identifiers, jaccard, SnippetRing } from '../../../../src/common/completion/engine/snippetRing';

const file = (words: string[]) => words.map((w, i) => `const ${w}${i} = ${w}();`).join('\n');

describe('SnippetRing', () => {
  it('measures similarity over identifiers', () => {
    assert.equal(jaccard(identifiers('a b c'), identifiers('b c d')), 2 / 4);
    assert.equal(jaccard(identifiers(''), identifiers('')), 0);
  });

  it('keeps chunks of N lines around the line seen, dropping the oldest past the cap', () => {
    const ring = new SnippetRing({ chunkLines: 2, maxChunks: 2, replaceSimilarity: 0.9 });
    ring.add('a.ts', 'alpha\nbeta\ngamma\ndelta', 2);
    ring.add('b.ts', 'one\ntwo', 0);
    ring.add('c.ts', 'red\ngreen', 1);
    assert.equal(ring.size, 2);
    assert.deepEqual(
      ring.pick('zzz', 100).map((s) => `${s.path}:${s.text}`),
      ['b.ts:one\ntwo', 'c.ts:red\ngreen'],
    );
  });

  it('replaces a chunk seen again instead of keeping both', () => {
    const ring = new SnippetRing({ chunkLines: 4, maxChunks: 8, replaceSimilarity: 0.9 });
    ring.add('a.ts', file(['fetch', 'parse', 'render']), 1);
    ring.add('a.ts', file(['fetch', 'parse', 'render']), 1);
    ring.add('a.ts', 'blank\n\n\n', 0);
    ring.add('e.ts', '\n\n  \n', 0);
    assert.equal(ring.size, 2);
  });

  it('picks the most similar chunks that fit the budget, skipping ones the context already holds', () => {
    const ring = new SnippetRing({ chunkLines: 10, maxChunks: 8, replaceSimilarity: 0.9 });
    ring.add('http.ts', 'function request(url, headers) { return fetch(url, { headers }); }', 0);
    ring.add('math.ts', 'function add(a, b) { return a + b; }', 0);
    ring.add('same.ts', 'const total = add(price, tax);', 0);
    const context = 'const total = add(price, tax);';
    assert.deepEqual(
      ring.pick('const r = request(url, headers)', 1000).map((s) => s.path),
      ['http.ts', 'same.ts', 'math.ts'],
    );
    assert.deepEqual(
      ring.pick(context, 1000).map((s) => s.path),
      ['math.ts', 'http.ts'],
    );
    assert.deepEqual(
      ring.pick('request url headers', 16).map((s) => s.path),
      ['math.ts'],
    );
  });
});

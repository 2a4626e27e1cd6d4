import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ThinkTagSplitter } from '../../../src/common/thinkTagSplitter';

function run(pieces: string[]): { reasoning: string; content: string } {
  const splitter = new ThinkTagSplitter();
  const out = { reasoning: '', content: '' };
  const emit = (reasoning: boolean, text: string) => {
    if (reasoning) out.reasoning += text;
    else out.content += text;
  };
  for (const p of pieces) splitter.push(p, emit);
  splitter.end(emit);
  return out;
}

describe('ThinkTagSplitter', () => {
  it('moves a leading <think> block to the reasoning channel', () => {
    assert.deepEqual(run(['<think>plan it</think>Answer']), { reasoning: 'plan it', content: 'Answer' });
  });

  it('ignores whitespace before the opening tag', () => {
    assert.deepEqual(run(['\n\n<think>x</think>y']), { reasoning: 'x', content: 'y' });
  });

  it('leaves a <think> that comes after answer text alone', () => {
    assert.deepEqual(run(['Use <think>tags</think>.']), {
      reasoning: '',
      content: 'Use <think>tags</think>.',
    });
  });

  it('flushes a held-back partial tag at the end', () => {
    assert.deepEqual(run(['<thi']), { reasoning: '', content: '<thi' });
    assert.deepEqual(run(['<think>unfinished </thi']), { reasoning: 'unfinished </thi', content: '' });
  });

  it('passes text with no tag through untouched', () => {
    assert.deepEqual(run(['a < b', ' and c > d']), { reasoning: '', content: 'a < b and c > d' });
  });

  it('any split of the text gives the same channels (property)', () => {
    const text = fc.constantFrom(
      '<think>We need 2+2.</think>\n\nIt is 4 <ok>.',
      '  <think></think>Empty thought',
      '<think>a<b>c</think>d</think>e',
      'No thinking at all < here',
    );
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 10 }), (t, cuts) => {
        const offsets = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b);
        const pieces: string[] = [];
        let start = 0;
        for (const o of [...offsets, t.length]) {
          pieces.push(t.slice(start, o));
          start = o;
        }
        assert.deepEqual(run(pieces), run([t]));
      }),
      { numRuns: 300 },
    );
  });
});

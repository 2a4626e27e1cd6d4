import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ThinkTagSplitter, type ThinkPiece } from '../../../src/common/stream/thinkTagSplitter';

function run(pieces: string[]): { reasoning: string; content: string } {
  const splitter = new ThinkTagSplitter();
  const out = { reasoning: '', content: '' };
  const emit = (kind: ThinkPiece, text: string) => {
    if (kind === 'reasoning') out.reasoning += text;
    else if (kind === 'content') out.content += text;
    else {
      out.reasoning += out.content;
      out.content = '';
    }
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

  it('turns a stream that starts mid-thought into reasoning at its lone </think>', () => {
    // The chat template put <think> into the prompt (DeepSeek-R1 distills, QwQ on vLLM/Ollama).
    assert.deepEqual(run(['Okay, the user wants 2+2.', '\n</think>\n\n', 'It is **4**.']), {
      reasoning: 'Okay, the user wants 2+2.\n',
      content: '\n\nIt is **4**.',
    });
    assert.deepEqual(run(['\n</think>\n\nJust the answer.']), {
      reasoning: '',
      content: '\n\nJust the answer.',
    });
  });

  it('keeps a </think> quoted as code, or after the first one, in the answer', () => {
    const inline = 'Close the block with `</think>` and carry on.';
    assert.deepEqual(run([inline]), { reasoning: '', content: inline });
    const fenced = 'A parser:\n\n```ts\nconst end = "</think>";\n```\n';
    assert.deepEqual(run([fenced]), { reasoning: '', content: fenced });
    assert.deepEqual(run(['<think>x</think>Then ', '</think> stays.']), {
      reasoning: 'x',
      content: 'Then </think> stays.',
    });
    assert.deepEqual(run(['thought</think>answer ', '</think> again']), {
      reasoning: 'thought',
      content: 'answer </think> again',
    });
  });

  it('any split of the text gives the same channels (property)', () => {
    const text = fc.constantFrom(
      '<think>We need 2+2.</think>\n\nIt is 4 <ok>.',
      '  <think></think>Empty thought',
      '<think>a<b>c</think>d</think>e',
      'No thinking at all < here',
      'Use <think>tags</think> mid-answer.',
      'Mid-thought `code` here\n</think>\n\nAnswer with </think> inside.',
      'Quoted:\n```\n</think>\n```\nand `` </think>`` not a tag',
      '``` fence ```</think>after',
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

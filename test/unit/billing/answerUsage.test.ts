import assert from 'node:assert/strict';
import { estimateUsage } from '../../../src/common/billing/answerUsage';
import { imageTokens } from '../../../src/common/images/imageTokens';
import { estimateTokens } from '../../../src/common/tokens/estimateTokens';

/** A 1×1 PNG as a data URL: OpenAI counts any image in high detail as at least one tile. */
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('estimateUsage: the tokens of an answer the relay did not count', () => {
  it('counts each message with its overhead, the request’s priming, and the answer', () => {
    const usage = estimateUsage(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is 2 + 2?' },
      ],
      'Four.',
    );
    const prompt = 3 + (4 + estimateTokens('Be brief.')) + (4 + estimateTokens('What is 2 + 2?'));
    assert.deepEqual(usage, {
      prompt_tokens: prompt,
      completion_tokens: estimateTokens('Four.'),
      total_tokens: prompt + estimateTokens('Four.'),
    });
  });

  it('counts an image by the size the model sees, not as nothing', () => {
    const withImage = estimateUsage(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: PIXEL } },
          ],
        },
      ],
      'A dot.',
    );
    const textOnly = estimateUsage([{ role: 'user', content: 'What is this?' }], 'A dot.');
    assert.equal(withImage.prompt_tokens! - textOnly.prompt_tokens!, imageTokens({ width: 1, height: 1 }));
  });

  it('counts the tool calls of earlier rounds', () => {
    const call = {
      id: 'c1',
      type: 'function' as const,
      function: { name: 'read_file', arguments: '{"path":"a.ts"}' },
    };
    const usage = estimateUsage(
      [
        { role: 'user', content: 'Read a.ts' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: 'c1', content: 'export {}' },
      ],
      'Done.',
    );
    const expected =
      3 +
      (4 + estimateTokens('Read a.ts')) +
      (4 + estimateTokens('read_file') + estimateTokens('{"path":"a.ts"}') + 3) +
      (4 + estimateTokens('export {}'));
    assert.equal(usage.prompt_tokens, expected);
  });
});

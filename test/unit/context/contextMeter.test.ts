import assert from 'node:assert/strict';
import { contextInfo, meterTotal } from '../../../src/common/context/contextMeter';
import type { ChatMessage } from '../../../src/common/endpoint/chatTypes';
import { estimateTokens } from '../../../src/common/tokens/estimateTokens';

const turn = (i: number): ChatMessage[] => [
  { role: 'user', content: `question ${i} `.repeat(200) },
  { role: 'assistant', content: `answer ${i} `.repeat(300) },
];

describe('the context meter figures', () => {
  it('counts the system prompt, the turns, the selection and the reserve, and what would be left out', () => {
    const history: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      ...turn(1),
      ...turn(2),
      ...turn(3),
    ];
    const info = contextInfo(history, { tokens: 2048, source: 'override' }, 256, 'const a = 1;\n');
    assert.equal(info.window, 2048);
    assert.equal(info.reserve, 256);
    assert.equal(info.selection, estimateTokens('const a = 1;\n'));
    assert.equal(info.system, 4 + estimateTokens('Be brief.'));
    assert.ok(info.leftOut > 0 && info.leftOut % 2 === 0, `${info.leftOut}`);
    assert.equal(info.turns, 3 - info.leftOut / 2);
    const { total } = meterTotal(info, { text: 'why?', images: [], includeSelection: true });
    assert.ok(total <= 2048, `${total}`);
  });
  it('shows what the request carries; the answer reserve counts only in the total that must fit', () => {
    const info = contextInfo([], { tokens: 8192, source: 'override' }, undefined, undefined);
    const empty = meterTotal(info, { text: '', images: [], includeSelection: false });
    assert.equal(info.reserve, 1638);
    assert.equal(empty.request, 3 + 4, 'an empty composer: the request and its message overhead');
    assert.equal(empty.total, empty.request + 1638);
  });

  it('grows with the draft and the images, and knows no window when none is known', () => {
    const info = contextInfo(turn(1), undefined, undefined, undefined);
    assert.equal(info.window, undefined);
    assert.equal(info.leftOut, 0);
    assert.equal(info.reserve, 0);
    const empty = meterTotal(info, { text: '', images: [], includeSelection: false }).total;
    const typed = meterTotal(info, {
      text: 'a longer question about the code',
      images: [],
      includeSelection: false,
    }).total;
    assert.equal(typed - empty, estimateTokens('a longer question about the code'));
    const withImage = meterTotal(info, {
      text: '',
      images: ['data:image/png;base64,AAAA'],
      includeSelection: false,
    });
    assert.equal(withImage.attachments, 1445);
  });

  it('adds the mentions and the rules the host measured to what the request carries', () => {
    const info = contextInfo([], { tokens: 8192, source: 'override' }, undefined, undefined);
    const plain = meterTotal(info, { text: 'why?', images: [], includeSelection: false });
    const mentioned = meterTotal(info, {
      text: 'why?',
      images: [],
      includeSelection: false,
      contextTokens: 1234,
    });
    assert.equal(plain.context, 0);
    assert.equal(mentioned.context, 1234);
    assert.equal(mentioned.request - plain.request, 1234);
    assert.equal(mentioned.total - plain.total, 1234);
  });
});

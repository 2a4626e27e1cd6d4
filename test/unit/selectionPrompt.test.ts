import assert from 'node:assert/strict';
import {
  buildSelectionParts,
  DEFAULT_QUESTION,
  fenceFor,
  selectionLabel,
} from '../../src/common/conversation/selectionPrompt';
import { buildChatRequest } from '../../src/common/endpoint/requestBuilder';

const sel = {
  path: 'src/a.ts',
  languageId: 'typescript',
  startLine: 3,
  endLine: 5,
  text: 'const a = 1;\nconst b = 2;',
};

describe('selection prompt', () => {
  it('keeps the question and the code (path, language, line numbers) as two text parts', () => {
    const parts = buildSelectionParts('Why?', sel);
    assert.deepEqual(parts[0], { type: 'text', text: 'Why?' });
    assert.equal(parts[1].type, 'text');
    assert.equal(
      (parts[1] as { text: string }).text,
      'File: src/a.ts (language: typescript), lines 3-5:\n```typescript\nconst a = 1;\nconst b = 2;\n```',
    );
  });

  it('goes on the wire as one string, a blank line between question and fenced code', () => {
    const request = buildChatRequest('deepseek-chat', [
      { role: 'user', content: buildSelectionParts('Why?', sel) },
    ]);
    assert.equal(
      request.messages[0].content,
      'Why?\n\nFile: src/a.ts (language: typescript), lines 3-5:\n```typescript\nconst a = 1;\nconst b = 2;\n```',
    );
  });

  it('closes the fence right after the last line when the selection ends in a line break', () => {
    const text = (buildSelectionParts('q', { ...sel, text: 'const a = 1;\n' })[1] as { text: string }).text;
    assert.equal(text, 'File: src/a.ts (language: typescript), lines 3-5:\n```typescript\nconst a = 1;\n```');
  });

  it('falls back to the default question when none is given', () => {
    assert.equal((buildSelectionParts('   ', sel)[0] as { text: string }).text, DEFAULT_QUESTION);
  });

  it('uses a fence longer than any backtick run inside the code', () => {
    assert.equal(fenceFor('no ticks'), '```');
    assert.equal(fenceFor('a ```` b'), '`````');
    const text = (buildSelectionParts('q', { ...sel, text: 'x = ```y```' })[1] as { text: string }).text;
    assert.ok(text.includes('````typescript\nx = ```y```\n````'));
  });

  it('labels single lines and ranges', () => {
    assert.equal(selectionLabel(sel), 'src/a.ts:3-5');
    assert.equal(selectionLabel({ ...sel, endLine: 3 }), 'src/a.ts:3');
  });
});

import assert from 'node:assert/strict';
import { composeUserInput } from '../../src/common/conversation/composerInput';

const png = 'data:image/png;base64,iVBORw0KGgo=';

describe('composeUserInput', () => {
  it('keeps a plain question a plain string', () => {
    assert.deepEqual(composeUserInput({ text: 'hello', images: [], files: [] }), {
      display: 'hello',
      content: 'hello',
    });
  });

  it('sends images as image_url parts and shows them as thumbnails', () => {
    const input = composeUserInput({
      text: 'what is this?',
      images: [{ name: 'a.png', dataUrl: png }],
      files: [],
    });
    assert.deepEqual(input.content, [
      { type: 'text', text: 'what is this?' },
      { type: 'image_url', image_url: { url: png } },
    ]);
    assert.deepEqual(input.images, [png]);
  });

  it('adds the selection and dropped files as labelled code parts', () => {
    const input = composeUserInput({
      text: 'compare',
      images: [],
      selection: { path: 'src/a.ts', languageId: 'typescript', startLine: 1, endLine: 2, text: 'a\nb' },
      files: [
        { kind: 'text', path: 'src/b.py', languageId: 'python', text: 'print(1)', truncated: false },
        { kind: 'text', path: 'big.log', languageId: 'log', text: 'x', truncated: true },
        { kind: 'image', path: 'shot.png', dataUrl: png },
        { kind: 'unreadable', path: 'secret.bin', reason: 'binary file' },
      ],
    });
    const parts = input.content as { type: string; text?: string }[];
    assert.equal(parts[0].text, 'compare');
    assert.match(
      parts[1].text!,
      /^File: src\/a\.ts \(language: typescript\), lines 1-2:\n```typescript\na\nb\n```$/,
    );
    assert.match(parts[2].text!, /^File: src\/b\.py \(language: python\):\n```python\nprint\(1\)\n```$/);
    assert.match(parts[3].text!, /first 200000 characters/);
    assert.equal(parts[4].type, 'image_url');
    assert.match(parts[5].text!, /secret\.bin could not be attached: binary file/);
    assert.deepEqual(
      input.context!.map((c) => c.label),
      ['src/a.ts:1-2', 'src/b.py', 'big.log', 'shot.png', 'secret.bin'],
    );
  });
});

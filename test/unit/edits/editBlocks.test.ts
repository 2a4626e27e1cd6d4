import assert from 'node:assert/strict';
import { blockToToolCall, EditBlockParser, parseEditBlocks } from '../../../src/common/edits/editBlocks';

const ANSWER = [
  'I will rename the function.',
  '',
  '```edit src/app.ts',
  '<<<<<<< SEARCH',
  'function old() {',
  '  return 1;',
  '}',
  '=======',
  'function renamed() {',
  '  return 1;',
  '}',
  '>>>>>>> REPLACE',
  '```',
  '',
  'And a new file 📄:',
  '',
  '````edit docs/说明.md',
  '<<<<<<< SEARCH',
  '=======',
  '# 说明',
  '```ts',
  'code();',
  '```',
  '>>>>>>> REPLACE',
  '````',
  'Done.',
].join('\n');

const EXPECTED = [
  {
    path: 'src/app.ts',
    search: 'function old() {\n  return 1;\n}\n',
    replace: 'function renamed() {\n  return 1;\n}\n',
  },
  { path: 'docs/说明.md', search: '', replace: '# 说明\n```ts\ncode();\n```\n' },
];

describe('fallback edit blocks', () => {
  it('reads the blocks of a whole answer, a fence inside the replacement included', () => {
    assert.deepEqual(parseEditBlocks(ANSWER), EXPECTED);
  });

  it('reads the same blocks at every split of the stream, each block once', () => {
    for (let i = 0; i <= ANSWER.length; i++) {
      const parser = new EditBlockParser();
      const got = [...parser.push(ANSWER.slice(0, i)), ...parser.push(ANSWER.slice(i)), ...parser.end()];
      assert.deepEqual(got, EXPECTED, `split at ${i}`);
    }
  });

  it('hands a block out as soon as its fence closes, before the answer ends', () => {
    const parser = new EditBlockParser();
    const cut = ANSWER.indexOf('\nAnd a new file');
    assert.deepEqual(parser.push(ANSWER.slice(0, cut + 1)), [EXPECTED[0]]);
  });

  it('reads CRLF answers, two changes in one fence, and a fence never closed', () => {
    const text = [
      '```edit a.txt',
      '<<<<<<< SEARCH',
      'one',
      '=======',
      'ONE',
      '>>>>>>> REPLACE',
      '<<<<<<< SEARCH',
      'two',
      '=======',
      'TWO',
      '>>>>>>> REPLACE',
    ].join('\r\n');
    assert.deepEqual(parseEditBlocks(text), [
      { path: 'a.txt', search: 'one\n', replace: 'ONE\n' },
      { path: 'a.txt', search: 'two\n', replace: 'TWO\n' },
    ]);
  });

  it('ignores ordinary code fences and an unfinished block', () => {
    assert.deepEqual(parseEditBlocks('```ts\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n```\n'), []);
    assert.deepEqual(parseEditBlocks('```edit a\n<<<<<<< SEARCH\nx\n=======\ny'), []);
  });

  it('turns blocks into the tool calls they stand for', () => {
    assert.deepEqual(blockToToolCall(EXPECTED[0], 'b1'), {
      id: 'b1',
      type: 'function',
      function: {
        name: 'replace_in_file',
        arguments: JSON.stringify({
          path: 'src/app.ts',
          old_text: EXPECTED[0].search,
          new_text: EXPECTED[0].replace,
        }),
      },
    });
    assert.equal(blockToToolCall(EXPECTED[1], 'b2').function.name, 'create_file');
  });
});

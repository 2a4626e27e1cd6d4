/**
 * A learnt layout's hole is read without JSON.parse (ChunkLayouts reads its escapes by hand). For
 * any text in the hole, made of backslashes, escape letters, hex digits and near-hex letters, the
 * hole must read as JSON.parse reads the same string literal, and not at all where JSON.parse throws.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ARGUMENTS_KEY, ChunkLayouts } from '../../../src/common/stream/chunkLayouts';

const payload = (inside: string) =>
  `{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"${inside}"}}]}}]}`;
const target = { kind: 'arguments' as const, choice: 0, call: { index: 0, function: {} } };

function learnt(): ChunkLayouts {
  const layouts = new ChunkLayouts();
  layouts.learn(payload('ab'), ARGUMENTS_KEY, 'ab', target);
  layouts.learn(payload('cd'), ARGUMENTS_KEY, 'cd', target);
  assert.equal(layouts.size, 1);
  return layouts;
}

function parsed(inside: string): string | undefined {
  try {
    return JSON.parse(`"${inside}"`) as string;
  } catch {
    return undefined;
  }
}

describe('ChunkLayouts: escapes in the hole read as JSON.parse reads them', () => {
  const layouts = learnt();
  const pieces = fc.constantFrom(
    '\\',
    'u',
    'U',
    'n',
    't',
    'r',
    'b',
    'f',
    '/',
    '"',
    'x',
    '0',
    '9',
    'a',
    'f',
    'A',
    'F',
    'g',
    'G',
    ':',
    '@',
    '`',
    'é',
    '\ud83d',
    '\ude00',
    ' ',
    '\\u00e9',
    '\\ud83d\\ude00',
    '\\"',
    '\\\\',
  );

  it('for every mix of escape letters and digits (property)', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
        const inside = parts.join('');
        const expected = parsed(inside);
        const got = layouts.match(payload(inside));
        // A bare quote ends the string early: the payload is then not the layout at all.
        if (expected === undefined) assert.equal(got, undefined, inside);
        else assert.equal(got, expected, inside);
      }),
      { numRuns: 5000 },
    );
  });

  it('each hex digit case, and the letters next to them', () => {
    for (const code of ['00e9', '00E9', '00e', '00eg', '00:0', '00@0', '00`0', 'FFFF', 'ffff', 'd83d']) {
      const inside = `x\\u${code}y`;
      assert.equal(layouts.match(payload(inside)), parsed(inside), inside);
    }
  });
});

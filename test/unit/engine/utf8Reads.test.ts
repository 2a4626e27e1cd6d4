/**
 * Utf8Reads decodes each read whole (Node's fast path) and carries a cut character to the next
 * read; it must give exactly the text a streaming TextDecoder gives, for any bytes at any split:
 * characters of every length cut anywhere, a leading BOM (dropped) and a later one (kept), and
 * bytes that are not UTF-8 (replaced as the streaming decoder replaces them), also at the end.
 */
import assert from 'node:assert/strict';
import { Utf8Reads } from '../../../src/common/stream/utf8Reads';

let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

const encoder = new TextEncoder();
const PIECES = ['a', 'data: ', '\n', 'é', '你好', '€', '😀', '\ufeff', '𝄞', ' '].map((s) =>
  encoder.encode(s),
);
/** Lead bytes without their continuation, stray continuations, bytes UTF-8 never uses, surrogates. */
const BROKEN = [
  [0xe2, 0x82],
  [0xf0, 0x9f],
  [0xc3],
  [0x80],
  [0xbf, 0xbf],
  [0xc0, 0xaf],
  [0xff],
  [0xf5, 0x80],
  [0xed, 0xa0, 0x80],
  [0xe0, 0x80],
].map((b) => new Uint8Array(b));

function bytesOf(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function streamed(pieces: Uint8Array[]): string {
  const decoder = new TextDecoder();
  return pieces.map((p) => decoder.decode(p, { stream: true })).join('') + decoder.decode();
}

function ours(pieces: Uint8Array[]): string {
  const reads = new Utf8Reads();
  return pieces.map((p) => reads.decode(p)).join('') + reads.end();
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [0, ...cuts.sort((a, b) => a - b), bytes.length];
  return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
}

describe('Utf8Reads: the text of a streaming TextDecoder, one whole decode per read', () => {
  it('every split of text with characters of one to four bytes and BOMs', () => {
    const bytes = bytesOf([encoder.encode('\ufeff'), ...PIECES, ...PIECES.slice().reverse()]);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        const pieces = split(bytes, [a, b]);
        assert.equal(ours(pieces), streamed(pieces), `cut at ${a} and ${b}`);
      }
    }
  });

  it('random text, broken sequences among it, cut into random reads (property)', () => {
    for (let run = 0; run < 2000; run++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 30) }, () =>
        random() < 0.2 ? pick(BROKEN) : pick(PIECES),
      );
      const bytes = bytesOf(parts);
      const cuts = Array.from({ length: Math.floor(random() * 8) }, () =>
        Math.floor(random() * (bytes.length + 1)),
      );
      const pieces = split(bytes, cuts);
      assert.equal(
        ours(pieces),
        streamed(pieces),
        `run ${run}: ${Array.from(bytes).join(',')} cut at ${cuts}`,
      );
    }
  });

  it('a leading BOM is dropped even when the first read cuts it, one later is kept', () => {
    const bytes = encoder.encode('\ufeffhi\ufeff');
    assert.equal(ours([bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)]), 'hi\ufeff');
    assert.equal(ours([new Uint8Array(0), bytes]), 'hi\ufeff');
  });

  it('keeps no view of a read it was given: the read buffer may be reused', () => {
    const reads = new Utf8Reads();
    const euro = encoder.encode('€');
    const buffer = new Uint8Array([0x61, euro[0], euro[1]]);
    assert.equal(reads.decode(buffer), 'a');
    buffer.fill(0);
    assert.equal(reads.decode(euro.subarray(2)), '€');
  });
});

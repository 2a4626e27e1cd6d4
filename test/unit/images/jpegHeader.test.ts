import assert from 'node:assert/strict';
import { jpegDecodeSize, jpegSize } from '../../../src/common/images/jpegHeader';

/** SOI, the given segments, then SOS: enough header for jpegSize. */
function jpeg(...segments: number[][]): Uint8Array {
  return new Uint8Array([0xff, 0xd8, ...segments.flat(), 0xff, 0xda, 0, 2]);
}
const segment = (marker: number, payload: number[]) => [
  0xff,
  marker,
  (payload.length + 2) >> 8,
  (payload.length + 2) & 255,
  ...payload,
];
const sof = (marker: number, width: number, height: number) =>
  segment(marker, [
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ]);

describe('jpegHeader: a JPEG size before decoding', () => {
  it('reads the frame size of baseline and progressive JPEGs, past APP segments and fill bytes', () => {
    assert.deepEqual(jpegSize(jpeg(sof(0xc0, 5120, 2880))), { width: 5120, height: 2880 });
    const exif = segment(0xe1, [0x45, 0x78, 0x69, 0x66, 0, 0, ...new Array(300).fill(7)]);
    const jfif = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    const dht = segment(0xc4, new Array(20).fill(1));
    assert.deepEqual(jpegSize(jpeg(jfif, exif, dht, [0xff], sof(0xc2, 4032, 3024))), {
      width: 4032,
      height: 3024,
    });
  });

  it('gives up on what is not a JPEG header it can read', () => {
    assert.equal(jpegSize(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0, 0, 0])), undefined);
    assert.equal(jpegSize(jpeg(segment(0xe0, [1, 2, 3]))), undefined, 'scan before any frame');
    assert.equal(jpegSize(jpeg(sof(0xc0, 5120, 2880)).slice(0, 10)), undefined, 'cut short');
    assert.equal(jpegSize(jpeg(sof(0xc0, 0, 2880))), undefined);
  });

  it('decodes at the smallest n/8 that still holds the target, and only when that is at most half', () => {
    // 5120×2880 sent at 1365×768: 0.267 of it, so 3/8.
    assert.deepEqual(jpegDecodeSize({ width: 5120, height: 2880 }, 1365 / 5120), {
      width: 1920,
      height: 1080,
    });
    // Exactly a quarter needs no more than 2/8.
    assert.deepEqual(jpegDecodeSize({ width: 4000, height: 3000 }, 0.25), { width: 1000, height: 750 });
    // n/8 sizes round up, as libjpeg's do.
    assert.deepEqual(jpegDecodeSize({ width: 4001, height: 3001 }, 0.25), { width: 1001, height: 751 });
    assert.deepEqual(jpegDecodeSize({ width: 4000, height: 3000 }, 0.01), { width: 500, height: 375 });
    assert.deepEqual(jpegDecodeSize({ width: 2560, height: 1600 }, 0.48), { width: 1280, height: 800 });
    assert.equal(jpegDecodeSize({ width: 1920, height: 1080 }, 0.711), undefined, '6/8: a full decode');
    assert.equal(jpegDecodeSize({ width: 800, height: 600 }, 1), undefined);
  });
});

import type { PixelSize } from './imageTokens';

/**
 * What a JPEG's header says before any pixel is decoded: its stored size, and the smallest size
 * its decoder can produce natively (libjpeg scales by n/8 while decoding) that still holds
 * `target`. Decoding a 5120×2880 photo straight at 3/8 skips most of the work of a full decode.
 */

/** The stored (not EXIF-oriented) size from the first SOF marker; undefined when none is found in `bytes`. */
export function jpegSize(bytes: Uint8Array): PixelSize | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI, EOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      i += 2;
      continue;
    }
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = (bytes[i + 5] << 8) | bytes[i + 6];
      const width = (bytes[i + 7] << 8) | bytes[i + 8];
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    if (marker === 0xda) return undefined; // image data before any frame header
    i += 2 + ((bytes[i + 2] << 8) | bytes[i + 3]);
  }
  return undefined;
}

/**
 * The n/8 decode size of a `stored`-size JPEG that is at least `scale` of it in both sides (so the
 * draw after it only ever scales down); undefined unless it is at most half the stored size: above
 * that, converting the decoder's frame costs about what the smaller decode saves (measured).
 */
export function jpegDecodeSize(stored: PixelSize, scale: number): PixelSize | undefined {
  const eighths = Math.max(1, Math.ceil(scale * 8 - 1e-9));
  if (eighths > 4) return undefined;
  return {
    width: Math.ceil((stored.width * eighths) / 8),
    height: Math.ceil((stored.height * eighths) / 8),
  };
}

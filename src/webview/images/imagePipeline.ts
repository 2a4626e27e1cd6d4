/**
 * Every image the composer takes (pasted, dropped, attached, sent by Explain Image or Capture
 * Screenshot) passes through here once: decoded upright (EXIF orientation honoured), scaled down
 * to what the model looks at (never up), and re-encoded to the smallest format that keeps its
 * content. Runs in the webview with createImageBitmap and OffscreenCanvas: no native dependency.
 */
import {
  CLASSIFY_ROWS,
  classifyPixels,
  encodeCandidates,
  fallbackCandidate,
  targetSize,
  type EncodeCandidate,
  type ImageContent,
  type ImagePolicy,
} from '../../common/images/imagePolicy';
import { imageTokens, type ImageDetail, type PixelSize } from '../../common/images/imageTokens';
import { MAX_IMAGE_BYTES } from '../../common/images/imageTypes';
import { jpegDecodeSize, jpegSize } from '../../common/images/jpegHeader';

export interface PipelineOptions {
  policy: ImagePolicy;
  detail?: ImageDetail;
  /** Formats this endpoint refused (`image/webp`): not produced. */
  refusedFormats?: readonly string[];
  /** Largest encoded image; above it the image is scaled down further. */
  maxImageBytes?: number;
  /** Filled with milliseconds per stage (decode, draw, classify, encode …, later …): the bench's view. */
  timings?: Record<string, number>;
}

export interface ProcessedImage {
  dataUrl: string;
  type: string;
  bytes: number;
  width: number;
  height: number;
  content: ImageContent;
  /** Prompt tokens OpenAI counts for the image as sent. */
  tokens: number;
  original: { type: string; bytes: number; width: number; height: number };
  /** When `dataUrl` is WebP: the same image as PNG or JPEG, for an endpoint that refuses WebP. */
  fallbackDataUrl?: string;
  /** Half the size again, for one retry after a 413. */
  smallerDataUrl?: string;
  /** An animated GIF: only its first frame is sent. */
  firstFrameOnly?: boolean;
}

/**
 * `image` is ready to show and to send as soon as its PNG or JPEG is encoded. `settled` finishes
 * the rest off the critical path: the WebP candidate (swapped in when smaller), the PNG/JPEG
 * fallback that goes with a WebP, and the half-size copy for a 413. It never rejects: when that
 * work fails, it resolves to `image` as it was.
 */
export type PipelineResult =
  | { ok: true; image: ProcessedImage; settled: Promise<ProcessedImage> }
  | { ok: false; problem: 'tooLarge' | 'undecodable' | 'empty' };

/** Below this a smaller copy for the 413 retry is not worth its bytes. */
const SMALLER_COPY_FROM = 96 * 1024;
/** Where a JPEG's frame header is looked for: EXIF with a thumbnail fits well inside. */
const JPEG_HEAD_BYTES = 256 * 1024;

export async function processImage(blob: Blob, options: PipelineOptions): Promise<PipelineResult> {
  if (blob.size > MAX_IMAGE_BYTES) return { ok: false, problem: 'tooLarge' };
  if (blob.size === 0) return { ok: false, problem: 'empty' };
  const clock = stageClock(options.timings);
  const type = blob.type || (await sniffType(blob));
  const detail = options.detail ?? 'auto';
  const sizeFor = (size: PixelSize) => targetSize(size, options.policy, detail);
  let decoded: Decoded;
  try {
    decoded = await decode(blob, type, sizeFor, clock);
  } catch {
    return { ok: false, problem: 'undecodable' };
  }
  const original = { type, bytes: blob.size, ...decoded.size };
  let size = sizeFor(original);
  let canvas: OffscreenCanvas;
  try {
    if (!original.width || !original.height) return { ok: false, problem: 'undecodable' };
    canvas = await clock('draw', () => draw(decoded.source, size));
  } finally {
    decoded.close();
  }
  const content = await clock('classify', () => classifyCanvas(canvas));
  const candidates = encodeCandidates(content, options.refusedFormats);
  const cap = options.maxImageBytes;
  // Already the right size, under the cap, in a format with no orientation to apply (PNG, WebP):
  // ready as it came; re-encodings are tried after and swapped in if smaller.
  const unchanged = size.width === original.width && size.height === original.height;
  const keepable = type === 'image/png' || (type === 'image/webp' && !options.refusedFormats?.includes(type));
  let all: Blob[] = [];
  let later = candidates;
  let best: Blob;
  if (unchanged && keepable && !(cap && blob.size > cap)) {
    best = blob.type === type ? blob : new Blob([blob], { type });
  } else {
    // PNG for screenshots, JPEG for photos: quick to encode, so the image is ready with it. WebP
    // (several times slower) is tried after, off the critical path.
    all = [await encode(canvas, candidates[0], clock)];
    later = candidates.slice(1);
    best = all[0];
    if (cap && best.size > cap) {
      all.push(...(await Promise.all(later.map((c) => encode(canvas, c, clock)))));
      later = [];
      best = smallest(all);
      // Still over the byte cap: scale by the ratio (bytes grow with pixels), at most twice.
      for (let i = 0; i < 2 && best.size > cap; i++) {
        const ratio = Math.sqrt(cap / best.size) * 0.9;
        size = {
          width: Math.max(1, Math.floor(size.width * ratio)),
          height: Math.max(1, Math.floor(size.height * ratio)),
        };
        const from = canvas;
        canvas = await clock('draw', () => draw(from, size));
        all = await Promise.all(candidates.map((c) => encode(canvas, c, clock)));
        best = smallest(all);
      }
    }
  }
  const image: ProcessedImage = {
    dataUrl: await clock('dataUrl', () => dataUrlOf(best)),
    type: best.type,
    bytes: best.size,
    width: size.width,
    height: size.height,
    content,
    tokens: imageTokens(size, detail),
    original,
  };
  if (type === 'image/gif' && isAnimatedGif(new Uint8Array(await blob.arrayBuffer()))) {
    image.firstFrameOnly = true;
  }
  const settled = settle(image, { canvas, best, all, later, clock }).catch(() => image);
  return { ok: true, image, settled };
}

/** The work after the image is ready; see PipelineResult. */
async function settle(
  ready: ProcessedImage,
  state: { canvas: OffscreenCanvas; best: Blob; all: Blob[]; later: EncodeCandidate[]; clock: StageClock },
): Promise<ProcessedImage> {
  const { canvas, all, later, clock } = state;
  let best = state.best;
  const image = { ...ready };
  for (const candidate of later) {
    const blob = await encode(canvas, candidate, clock, 'later ');
    all.push(blob);
    if (blob.size >= best.size) continue;
    best = blob;
    image.dataUrl = await clock('later dataUrl', () => dataUrlOf(blob));
    image.type = blob.type;
    image.bytes = blob.size;
  }
  if (best.type === 'image/webp') {
    const fallbackType = fallbackCandidate(image.content).type;
    const fallback = all.find((b) => b.type === fallbackType);
    if (fallback) image.fallbackDataUrl = await clock('later fallback', () => dataUrlOf(fallback));
  }
  if (best.size >= SMALLER_COPY_FROM) {
    const half = {
      width: Math.max(1, Math.round(image.width / 2)),
      height: Math.max(1, Math.round(image.height / 2)),
    };
    image.smallerDataUrl = await clock('later 413 copy', async () =>
      dataUrlOf(await encode(draw(canvas, half), fallbackCandidate(image.content))),
    );
  }
  return image;
}

/** Upright pixels (EXIF orientation applied) and their size, before any scaling. */
interface Decoded {
  source: CanvasImageSource;
  size: PixelSize;
  close(): void;
}

/** SVG goes through an <img>, which rasterises it; JPEG may decode straight at a smaller size. */
async function decode(
  blob: Blob,
  type: string,
  sizeFor: (size: PixelSize) => PixelSize,
  clock: StageClock,
): Promise<Decoded> {
  if (type === 'image/svg+xml') {
    return clock('decode', async () => {
      const img = new Image();
      img.src = await dataUrlOf(blob);
      await img.decode();
      const width = img.naturalWidth || 1024;
      const height = img.naturalHeight || 1024;
      return ofBitmap(await createImageBitmap(img, { resizeWidth: width, resizeHeight: height }));
    });
  }
  if (type === 'image/jpeg') {
    const scaled = await decodeJpegScaled(blob, sizeFor, clock).catch(() => undefined);
    if (scaled) return scaled;
  }
  // createImageBitmap's resizeWidth/resizeHeight would not help: Chromium decodes in full, then scales.
  return clock('decode', async () =>
    ofBitmap(await createImageBitmap(blob, { imageOrientation: 'from-image' })),
  );
}

function ofBitmap(bitmap: ImageBitmap): Decoded {
  return {
    source: bitmap,
    size: { width: bitmap.width, height: bitmap.height },
    close: () => bitmap.close(),
  };
}

/**
 * A JPEG larger than what is sent, through WebCodecs' ImageDecoder at the smallest n/8 scale that
 * still holds the target size: libjpeg then skips most of the work. The frame carries the EXIF
 * orientation, and drawImage applies it. Undefined where a full decode is needed anyway.
 */
async function decodeJpegScaled(
  blob: Blob,
  sizeFor: (size: PixelSize) => PixelSize,
  clock: StageClock,
): Promise<Decoded | undefined> {
  if (typeof ImageDecoder === 'undefined') return undefined;
  const stored = jpegSize(new Uint8Array(await blob.slice(0, JPEG_HEAD_BYTES).arrayBuffer()));
  if (!stored) return undefined;
  // The geometry does not depend on which way round the image is, so the stored size gives the scale.
  const aim = sizeFor(stored);
  const desired = jpegDecodeSize(stored, Math.max(aim.width / stored.width, aim.height / stored.height));
  if (!desired) return undefined;
  const decoder = new ImageDecoder({
    data: blob.stream(),
    type: 'image/jpeg',
    desiredWidth: desired.width,
    desiredHeight: desired.height,
  });
  let frame: VideoFrame | undefined;
  try {
    const eighths = Math.round((desired.width * 8) / stored.width);
    frame = (await clock(`decode jpeg ${eighths}/8`, () => decoder.decode())).image;
    const turned = frame.codedWidth > frame.codedHeight !== frame.displayWidth > frame.displayHeight;
    const size = turned ? { width: stored.height, height: stored.width } : stored;
    const need = sizeFor(size);
    if (frame.displayWidth < need.width || frame.displayHeight < need.height)
      throw new Error('decoded too small');
    const decoded = frame;
    return { source: decoded, size, close: () => (decoded.close(), decoder.close()) };
  } catch {
    frame?.close();
    decoder.close();
    return undefined;
  }
}

/** A software canvas: its pixels are read back (classify) and encoded on the CPU anyway. */
function draw(source: CanvasImageSource, size: PixelSize): OffscreenCanvas {
  const canvas = new OffscreenCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, size.width, size.height);
  return canvas;
}

/** Only the rows classifyPixels looks at are read back. */
function classifyCanvas(canvas: OffscreenCanvas): ImageContent {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const { width, height } = canvas;
  const rows = Math.min(height, CLASSIFY_ROWS);
  if (rows === height) return classifyPixels(ctx.getImageData(0, 0, width, height).data, width, height);
  const strip = new Uint8ClampedArray(width * 4 * rows);
  for (let r = 0; r < rows; r++) {
    strip.set(ctx.getImageData(0, Math.floor((r * height) / rows), width, 1).data, r * width * 4);
  }
  return classifyPixels(strip, width, rows);
}

type StageClock = <T>(stage: string, work: () => T | Promise<T>) => Promise<T>;

/** Runs `work`, adding its milliseconds to `timings[stage]` when timings are asked for. */
function stageClock(timings: Record<string, number> | undefined): StageClock {
  return async (stage, work) => {
    if (!timings) return work();
    const start = performance.now();
    try {
      return await work();
    } finally {
      timings[stage] = (timings[stage] ?? 0) + performance.now() - start;
    }
  };
}

/** A type the browser cannot encode comes back as PNG: still a valid candidate. */
function encode(
  canvas: OffscreenCanvas,
  c: EncodeCandidate,
  clock: StageClock = stageClock(undefined),
  stage = '',
): Promise<Blob> {
  const name = c.type.replace('image/', '');
  const label =
    c.type === 'image/png' ? name : c.quality === 1 ? `${name} lossless` : `${name} q${c.quality}`;
  return clock(`${stage}encode ${label}`, () => canvas.convertToBlob({ type: c.type, quality: c.quality }));
}

function smallest(blobs: Blob[]): Blob {
  return blobs.reduce((a, b) => (b.size < a.size ? b : a));
}

function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

/** A pasted file may arrive without a type; the first bytes say what it is. */
async function sniffType(blob: Blob): Promise<string> {
  const head = new Uint8Array(await blob.slice(0, 16).arrayBuffer());
  const ascii = String.fromCharCode(...head);
  if (head[0] === 0x89 && ascii.slice(1, 4) === 'PNG') return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8) return 'image/jpeg';
  if (ascii.startsWith('GIF8')) return 'image/gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp';
  if (ascii.startsWith('BM')) return 'image/bmp';
  if (ascii.slice(4, 12).startsWith('ftyphei') || ascii.slice(4, 12).startsWith('ftypmif1'))
    return 'image/heic';
  if (/^\s*<(\?xml|svg)/.test(ascii)) return 'image/svg+xml';
  return 'application/octet-stream';
}

/** More than one Graphic Control Extension (21 F9 04, four bytes, 00): more than one frame. */
export function isAnimatedGif(bytes: Uint8Array): boolean {
  let frames = 0;
  for (let i = 0; i + 7 < bytes.length; i++) {
    if (bytes[i] !== 0x21 || bytes[i + 1] !== 0xf9 || bytes[i + 2] !== 0x04 || bytes[i + 7] !== 0) continue;
    if (++frames > 1) return true;
  }
  return false;
}

/**
 * Every image the composer takes (pasted, dropped, attached, sent by Explain Image or Capture
 * Screenshot) passes through here once: decoded upright (EXIF orientation honoured), scaled down
 * to what the model looks at (never up), and re-encoded to the smallest format that keeps its
 * content. Runs in the webview with createImageBitmap and OffscreenCanvas: no native dependency.
 */
import {
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

export interface PipelineOptions {
  policy: ImagePolicy;
  detail?: ImageDetail;
  /** Formats this endpoint refused (`image/webp`): not produced. */
  refusedFormats?: readonly string[];
  /** Largest encoded image; above it the image is scaled down further. */
  maxImageBytes?: number;
  /** Filled with milliseconds per stage (decode, draw, classify, encode:<type>, …): the bench's view. */
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

export type PipelineResult =
  { ok: true; image: ProcessedImage } | { ok: false; problem: 'tooLarge' | 'undecodable' | 'empty' };

/** Below this a smaller copy for the 413 retry is not worth its bytes. */
const SMALLER_COPY_FROM = 96 * 1024;

export async function processImage(blob: Blob, options: PipelineOptions): Promise<PipelineResult> {
  if (blob.size > MAX_IMAGE_BYTES) return { ok: false, problem: 'tooLarge' };
  if (blob.size === 0) return { ok: false, problem: 'empty' };
  const clock = stageClock(options.timings);
  const type = blob.type || (await sniffType(blob));
  let bitmap: ImageBitmap;
  try {
    bitmap = await clock('decode', () => decode(blob, type));
  } catch {
    return { ok: false, problem: 'undecodable' };
  }
  try {
    const original = { type, bytes: blob.size, width: bitmap.width, height: bitmap.height };
    if (!original.width || !original.height) return { ok: false, problem: 'undecodable' };
    const detail = options.detail ?? 'auto';
    let size = targetSize(original, options.policy, detail);
    let canvas = await clock('draw', () => draw(bitmap, size));
    const content = await clock('classify', () => classifyCanvas(canvas));
    let encoded = await encodeSmallest(canvas, encodeCandidates(content, options.refusedFormats), clock);
    // Over the byte cap: scale by the ratio (bytes grow with pixels), at most twice.
    for (let i = 0; i < 2 && options.maxImageBytes && encoded.best.size > options.maxImageBytes; i++) {
      const ratio = Math.sqrt(options.maxImageBytes / encoded.best.size) * 0.9;
      size = {
        width: Math.max(1, Math.floor(size.width * ratio)),
        height: Math.max(1, Math.floor(size.height * ratio)),
      };
      canvas = await clock('draw', () => draw(bitmap, size));
      encoded = await encodeSmallest(canvas, encodeCandidates(content, options.refusedFormats), clock);
    }
    let { best } = encoded;
    const { all } = encoded;
    // Already the right size in a format with no orientation to apply (PNG, WebP) and smaller
    // than any re-encoding: sent as it came.
    const unchanged = size.width === original.width && size.height === original.height;
    const keepable =
      type === 'image/png' || (type === 'image/webp' && !options.refusedFormats?.includes(type));
    if (unchanged && keepable && blob.size <= best.size)
      best = blob.type === type ? blob : new Blob([blob], { type });
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
    if (best.type === 'image/webp') {
      const fallbackType = fallbackCandidate(content).type;
      const fallback = all.find((b) => b.type === fallbackType);
      if (fallback) image.fallbackDataUrl = await clock('fallback', () => dataUrlOf(fallback));
    }
    if (best.size >= SMALLER_COPY_FROM) {
      const half = {
        width: Math.max(1, Math.round(size.width / 2)),
        height: Math.max(1, Math.round(size.height / 2)),
      };
      image.smallerDataUrl = await clock('smaller413', async () => {
        const smaller = await encodeSmallest(draw(bitmap, half), [fallbackCandidate(content)]);
        return dataUrlOf(smaller.best);
      });
    }
    if (type === 'image/gif' && isAnimatedGif(new Uint8Array(await blob.arrayBuffer()))) {
      image.firstFrameOnly = true;
    }
    return { ok: true, image };
  } finally {
    bitmap.close();
  }
}

/** Upright pixels: EXIF orientation applied. SVG goes through an <img>, which rasterises it. */
async function decode(blob: Blob, type: string): Promise<ImageBitmap> {
  if (type === 'image/svg+xml') {
    const img = new Image();
    img.src = await dataUrlOf(blob);
    await img.decode();
    const width = img.naturalWidth || 1024;
    const height = img.naturalHeight || 1024;
    return createImageBitmap(img, { resizeWidth: width, resizeHeight: height });
  }
  return createImageBitmap(blob, { imageOrientation: 'from-image' });
}

function draw(bitmap: ImageBitmap, size: PixelSize): OffscreenCanvas {
  const canvas = new OffscreenCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, size.width, size.height);
  return canvas;
}

function classifyCanvas(canvas: OffscreenCanvas): ImageContent {
  const ctx = canvas.getContext('2d')!;
  const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return classifyPixels(data, width, height);
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

async function encodeSmallest(
  canvas: OffscreenCanvas,
  candidates: EncodeCandidate[],
  clock: StageClock = stageClock(undefined),
): Promise<{ best: Blob; all: Blob[] }> {
  const all = await Promise.all(
    candidates.map((c) =>
      clock(`encode ${encodeLabel(c)}`, () => canvas.convertToBlob({ type: c.type, quality: c.quality })),
    ),
  );
  // A type the browser cannot encode comes back as PNG: still a valid candidate.
  const best = all.reduce((a, b) => (b.size < a.size ? b : a));
  return { best, all };
}

function encodeLabel(c: EncodeCandidate): string {
  const name = c.type.replace('image/', '');
  return c.type === 'image/png' ? name : c.quality === 1 ? `${name} lossless` : `${name} q${c.quality}`;
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

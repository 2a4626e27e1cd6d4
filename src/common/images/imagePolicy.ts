import { seenSize, type ImageDetail, type PixelSize } from './imageTokens';

/**
 * What size and format an image is sent at. The model never looks at more pixels than its
 * geometry allows, so sending more only costs bytes (and 413s from relays):
 * - `openai`: OpenAI's high detail (fit 2048×2048, short side to 768), also capped at the pixel
 *   limit so Claude-family models behind the same relay do not downsize it again;
 * - `claude`: Anthropic's guidance, long side at most 1568 px and about 1.15 megapixels;
 * - `original`: the pixels as given (re-encoded only).
 * Nothing is ever scaled up.
 */
export type ImageGeometry = 'openai' | 'claude' | 'original';

/** `auto` follows the model's rule (modelRules.ts), `openai` where the model has none. */
export type ImageGeometrySetting = ImageGeometry | 'auto';

export interface ImagePolicy {
  geometry: ImageGeometry;
  /** The pixel cap in megapixels (not applied to `original`). */
  maxMegapixels: number;
}

export const DEFAULT_MAX_MEGAPIXELS = 1.15;
export const DEFAULT_IMAGE_POLICY: ImagePolicy = {
  geometry: 'openai',
  maxMegapixels: DEFAULT_MAX_MEGAPIXELS,
};

const CLAUDE_LONG_SIDE = 1568;
/** OpenAI's low detail looks at a 512×512 version. */
const LOW_DETAIL_BOX = 512;

/** The setting, then the model's own rule, then OpenAI's geometry. */
export function imagePolicy(
  setting: ImageGeometrySetting | undefined,
  modelGeometry: ImageGeometry | undefined,
  maxMegapixels = DEFAULT_MAX_MEGAPIXELS,
): ImagePolicy {
  const geometry = setting && setting !== 'auto' ? setting : (modelGeometry ?? 'openai');
  const cap = Number.isFinite(maxMegapixels) && maxMegapixels > 0 ? maxMegapixels : DEFAULT_MAX_MEGAPIXELS;
  return { geometry, maxMegapixels: cap };
}

/** The pixel size to send: what the model looks at, never more than what was given. */
export function targetSize(size: PixelSize, policy: ImagePolicy, detail: ImageDetail = 'auto'): PixelSize {
  const { width, height } = size;
  if (width <= 0 || height <= 0) return { width: 0, height: 0 };
  if (policy.geometry === 'original') return { width, height };
  let scale: number;
  if (detail === 'low') {
    scale = Math.min(1, LOW_DETAIL_BOX / Math.max(width, height));
  } else if (policy.geometry === 'openai') {
    scale = seenSize(size).width / width;
  } else {
    scale = Math.min(1, CLAUDE_LONG_SIDE / Math.max(width, height));
  }
  const pixels = width * height * scale * scale;
  const cap = policy.maxMegapixels * 1_000_000;
  // Capped sizes round down, so the cap holds to the pixel.
  const round = pixels > cap ? Math.floor : Math.round;
  if (pixels > cap) scale *= Math.sqrt(cap / pixels);
  return {
    width: Math.max(1, Math.min(width, round(width * scale))),
    height: Math.max(1, Math.min(height, round(height * scale))),
  };
}

/** Screenshots (text, flat colours) keep every pixel; photos may lose what the eye cannot see. */
export type ImageContent = 'screenshot' | 'photo';

export type EncodeType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface EncodeCandidate {
  type: EncodeType;
  /** convertToBlob's quality: 1 asks Chromium for lossless WebP; ignored for PNG. */
  quality?: number;
}

/** Photo quality: indistinguishable from the original at the sizes models look at. */
export const PHOTO_QUALITY = 0.85;

/**
 * The encodings tried for one image, the smallest of which is sent. `refused` are formats this
 * endpoint turned away (remembered like the other downgrades); PNG and JPEG are never refused.
 */
export function encodeCandidates(content: ImageContent, refused: readonly string[] = []): EncodeCandidate[] {
  const all: EncodeCandidate[] =
    content === 'screenshot'
      ? [{ type: 'image/png' }, { type: 'image/webp', quality: 1 }]
      : [
          { type: 'image/jpeg', quality: PHOTO_QUALITY },
          { type: 'image/webp', quality: PHOTO_QUALITY },
        ];
  return all.filter((c) => c.type === 'image/png' || c.type === 'image/jpeg' || !refused.includes(c.type));
}

/** The lossless-or-JPEG encoding to fall back to when an endpoint refuses `type`. */
export function fallbackCandidate(content: ImageContent): EncodeCandidate {
  return content === 'screenshot' ? { type: 'image/png' } : { type: 'image/jpeg', quality: PHOTO_QUALITY };
}

/** Rows classifyPixels looks at, at most: a caller may hand it just these rows. */
export const CLASSIFY_ROWS = 200;

/**
 * Screenshot or photo, from RGBA pixels: screenshots repeat exact colours along a row (flat
 * backgrounds, text on one colour); camera noise makes that rare in photos. Looks at up to about
 * 40,000 pixels, so the cost does not grow with the image.
 */
export function classifyPixels(rgba: ArrayLike<number>, width: number, height: number): ImageContent {
  if (width < 2 || height < 1) return 'screenshot';
  const rows = Math.min(height, CLASSIFY_ROWS);
  const step = Math.max(1, Math.floor(width / 200));
  let same = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const y = Math.floor((r * height) / rows);
    const row = y * width * 4;
    for (let x = step; x < width; x += step) {
      const a = row + x * 4;
      const b = a - 4;
      total += 1;
      if (rgba[a] === rgba[b] && rgba[a + 1] === rgba[b + 1] && rgba[a + 2] === rgba[b + 2]) same += 1;
    }
  }
  return total > 0 && same / total >= 0.45 ? 'screenshot' : 'photo';
}

/** Bytes a base64 data URL decodes to. */
export function dataUrlBytes(dataUrl: string): number {
  const comma = dataUrl.indexOf(',');
  const data = comma >= 0 ? dataUrl.slice(comma + 1) : dataUrl;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

/** "1.2 MB", "340 KB", "900 B": for thumbnails and messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

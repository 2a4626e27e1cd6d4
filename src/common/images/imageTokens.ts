/**
 * How many pixels a vision model looks at, and what that costs in prompt tokens.
 *
 * OpenAI's high detail (the documented geometry, also what `auto` means for any image larger than
 * 512 px): fit the image into 2048×2048, then scale its short side down to 768, then count 512 px
 * tiles at 170 tokens each plus a base of 85. Low detail is a flat 85. Neither ever scales up.
 */
export type ImageDetail = 'auto' | 'low' | 'high';

export interface PixelSize {
  readonly width: number;
  readonly height: number;
}

const FIT_BOX = 2048;
const SHORT_SIDE = 768;
const TILE = 512;
const TOKENS_PER_TILE = 170;
const BASE_TOKENS = 85;

/** The size the model looks at in high detail: never larger than what was given. */
export function seenSize(size: PixelSize): PixelSize {
  const { width, height } = scaled(size);
  return { width: Math.round(width), height: Math.round(height) };
}

/** Prompt tokens for one image of this pixel size (OpenAI's published geometry). */
export function imageTokens(size: PixelSize, detail: ImageDetail = 'auto'): number {
  if (detail === 'low' || size.width <= 0 || size.height <= 0) return BASE_TOKENS;
  const { width, height } = scaled(size);
  return TOKENS_PER_TILE * Math.ceil(width / TILE) * Math.ceil(height / TILE) + BASE_TOKENS;
}

function scaled({ width, height }: PixelSize): PixelSize {
  const fit = Math.min(1, FIT_BOX / Math.max(width, height));
  const shrink = Math.min(1, SHORT_SIDE / (Math.min(width, height) * fit));
  return { width: width * fit * shrink, height: height * fit * shrink };
}

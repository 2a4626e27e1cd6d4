/**
 * The one table of image types Relay Chat sends: what every vision endpoint takes as an
 * `image_url` data URL. The Explorer's "Explain Image" menu (package.json) names the same
 * extensions; a unit test keeps the two in step.
 */
export const IMAGE_TYPES = {
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/gif': ['.gif'],
  'image/webp': ['.webp'],
} as const satisfies Record<string, readonly string[]>;

export type ImageType = keyof typeof IMAGE_TYPES;

/**
 * What can come in: the types above plus those the webview rasterises before sending (BMP, SVG,
 * AVIF, ICO). HEIC is listed so it is recognised and refused with a clear message: Chromium
 * cannot decode it.
 */
export const SOURCE_IMAGE_TYPES = {
  ...IMAGE_TYPES,
  'image/bmp': ['.bmp'],
  'image/svg+xml': ['.svg'],
  'image/avif': ['.avif'],
  'image/x-icon': ['.ico'],
  'image/heic': ['.heic', '.heif'],
} as const satisfies Record<string, readonly string[]>;

export type SourceImageType = keyof typeof SOURCE_IMAGE_TYPES;

/** `.png` from `shots/Screen.PNG`, lower-cased; '' when the name has none. */
export function fileExtension(path: string): string {
  return /\.[^./\\]+$/.exec(path)?.[0]?.toLowerCase() ?? '';
}

/** `.bmp` → `image/bmp`: any type an image may arrive as (the webview decides what it can decode). */
export function sourceImageTypeOfExtension(extension: string): SourceImageType | undefined {
  const ext = extension.toLowerCase();
  return (Object.keys(SOURCE_IMAGE_TYPES) as SourceImageType[]).find((mime) =>
    (SOURCE_IMAGE_TYPES[mime] as readonly string[]).includes(ext),
  );
}

/** The largest image read from disk or accepted from the clipboard. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export function isImageType(mime: string): mime is ImageType {
  return Object.hasOwn(IMAGE_TYPES, mime);
}

/** `.png` → `image/png`; undefined for anything else. Case-insensitive. */
export function imageTypeOfExtension(extension: string): ImageType | undefined {
  const ext = extension.toLowerCase();
  return (Object.keys(IMAGE_TYPES) as ImageType[]).find((mime) =>
    (IMAGE_TYPES[mime] as readonly string[]).includes(ext),
  );
}

/** A base64 data URL of one of the types above. */
export const IMAGE_DATA_URL = new RegExp(
  `^data:(?:${Object.keys(IMAGE_TYPES)
    .map((t) => t.replace('/', '\\/'))
    .join('|')});base64,`,
);

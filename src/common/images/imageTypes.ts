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

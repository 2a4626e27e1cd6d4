/**
 * Images as composer attachments: the pipeline's result as an Attachment, and the chip that shows
 * what will be sent (bytes, pixels, estimated tokens; the original on hover; a detail choice).
 */
import type { Attachment, PanelImageConfig, RawImage } from '../../common/panel/protocol';
import { DEFAULT_IMAGE_POLICY, dataUrlBytes, formatBytes } from '../../common/images/imagePolicy';
import { imageTokens, type ImageDetail } from '../../common/images/imageTokens';
import { el, format } from '../dom';
import type { Strings } from '../strings';
import { processImage, type ProcessedImage } from './imagePipeline';

export type ImageAttachment = Extract<Attachment, { kind: 'image' }>;

export const DEFAULT_PANEL_IMAGES: PanelImageConfig = {
  policy: DEFAULT_IMAGE_POLICY,
  maxImageBytes: 1024 * 1024,
  refusedFormats: [],
};

/**
 * `attachment` is ready to show and send; `settled` is the same image once the pipeline's later
 * work is done (perhaps a smaller WebP, its fallback, the 413 copy). It never rejects.
 */
export type Intake =
  { attachment: ImageAttachment; settled: Promise<ImageAttachment>; note?: string } | { problem: string };

/** One image through the pipeline; a sentence for the composer's note when it cannot be sent. */
export async function takeImage(
  blob: Blob,
  name: string,
  config: PanelImageConfig,
  strings: Strings,
  detail: ImageDetail = 'auto',
): Promise<Intake> {
  const result = await processImage(blob, {
    policy: config.policy,
    detail,
    refusedFormats: config.refusedFormats,
    maxImageBytes: config.maxImageBytes,
  });
  if (!result.ok) {
    const template = result.problem === 'tooLarge' ? strings.attachmentTooLarge : strings.imageUndecodable;
    return { problem: format(template, name) };
  }
  const attachment = asAttachment(result.image, name, detail);
  const settled = result.settled.then((image) =>
    image === result.image ? attachment : asAttachment(image, name, detail),
  );
  return {
    attachment,
    settled,
    ...(result.image.firstFrameOnly ? { note: format(strings.imageFirstFrame, name) } : {}),
  };
}

function asAttachment(image: ProcessedImage, name: string, detail: ImageDetail): ImageAttachment {
  return {
    kind: 'image',
    name,
    dataUrl: image.dataUrl,
    width: image.width,
    height: image.height,
    original: image.original,
    ...(detail !== 'auto' ? { detail } : {}),
    ...(image.fallbackDataUrl ? { fallbackDataUrl: image.fallbackDataUrl } : {}),
    ...(image.smallerDataUrl ? { smallerDataUrl: image.smallerDataUrl } : {}),
  };
}

/** The host's raw bytes as a Blob of the type its extension named. */
export function rawImageBlob(raw: RawImage): Blob {
  const binary = atob(raw.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: raw.type });
}

/** Whether a dropped or pasted file goes to the image pipeline (an unnamed type is sniffed there). */
export function isImageFile(file: File): boolean {
  return (
    file.type.startsWith('image/') || (file.type === '' && /\.(heic|heif|avif|bmp|svg|ico)$/i.test(file.name))
  );
}

/** A file name the image pipeline takes (what the Explorer's Explain Image offers, and HEIC to explain). */
export function isImageName(name: string): boolean {
  return /\.(png|jpe?g|gif|webp|bmp|svg|avif|ico|heic|heif)$/i.test(name);
}

/** "340 KB · 1229×768 · 1105 tokens" under the thumbnail. */
export function imageMeta(a: ImageAttachment, strings: Strings): string {
  const bytes = dataUrlBytes(a.dataUrl);
  if (!a.width || !a.height) return formatBytes(bytes);
  const tokens = imageTokens({ width: a.width, height: a.height }, a.detail ?? 'auto');
  return format(strings.imageMeta, formatBytes(bytes), `${a.width}×${a.height}`, String(tokens));
}

/** Hover: the original next to what is sent. */
export function imageHover(a: ImageAttachment, strings: Strings): string {
  const sent = `${formatBytes(dataUrlBytes(a.dataUrl))}, ${a.width ?? '?'}×${a.height ?? '?'}, ${typeOf(a.dataUrl)}`;
  if (!a.original) return `${a.name}\n${format(strings.imageSent, sent)}`;
  const o = a.original;
  const original = `${formatBytes(o.bytes)}, ${o.width}×${o.height}, ${o.type.replace('image/', '')}`;
  return `${a.name}\n${format(strings.imageOriginal, original)}\n${format(strings.imageSent, sent)}`;
}

function typeOf(dataUrl: string): string {
  return /^data:image\/([\w+.-]+)/.exec(dataUrl)?.[1] ?? '?';
}

/** Thumbnail, figures and the detail choice; `onDetail` re-runs the pipeline for the new detail. */
export function imageChipParts(
  a: ImageAttachment,
  strings: Strings,
  onDetail: (detail: ImageDetail) => void,
): HTMLElement[] {
  const thumb = el('img', { class: 'thumb', src: a.dataUrl, alt: a.name });
  const meta = el('span', { class: 'image-meta', 'data-testid': 'image-meta' }, imageMeta(a, strings));
  const select = el('select', {
    class: 'image-detail',
    'data-testid': 'image-detail',
    title: strings.imageDetail,
    'aria-label': strings.imageDetail,
  });
  const labels: Record<ImageDetail, string> = {
    auto: strings.detailAuto,
    low: strings.detailLow,
    high: strings.detailHigh,
  };
  for (const detail of ['auto', 'low', 'high'] as const) {
    const option = el('option', { value: detail }, labels[detail]);
    if ((a.detail ?? 'auto') === detail) option.selected = true;
    select.append(option);
  }
  select.addEventListener('change', () => onDetail(select.value as ImageDetail));
  return [thumb, meta, select];
}

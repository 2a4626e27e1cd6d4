/**
 * How many image bytes a request carries. Every earlier image is re-sent with every turn unless
 * something stops it; relays refuse large bodies with 413. Three limits, applied in order:
 * images older than `resendTurns` user messages become a short note; then the oldest images go
 * until the request's image bytes fit `maxRequestBytes`; after a 413, one retry with every earlier
 * image left out and the latest ones at their smaller size.
 */
import type { ChatCompletionRequest, ChatMessage, ContentPart } from '../endpoint/chatTypes';
import { dataUrlBytes } from './imagePolicy';

export interface ImageBudget {
  /** Images from more than this many earlier user messages are not re-sent. */
  resendTurns: number;
  /** The most image bytes one request carries. */
  maxRequestBytes: number;
}

export const DEFAULT_IMAGE_BUDGET: ImageBudget = { resendTurns: 4, maxRequestBytes: 4 * 1024 * 1024 };

/** What the image pipeline made besides the image sent: keyed by the sent data URL. */
export interface ImageVariants {
  /** PNG or JPEG, for an endpoint that refuses WebP. */
  fallback?: string;
  /** Half the size, for the retry after a 413. */
  smaller?: string;
}

export type ImageVariantLookup = (url: string) => ImageVariants | undefined;

/** What the model reads where an image was. */
export function imagePlaceholder(reason: 'old' | 'budget'): string {
  return reason === 'old'
    ? '[An image was attached here earlier; it is not sent again.]'
    : '[An image was attached here; it was left out to keep the request small.]';
}

const isImage = (p: ContentPart): p is Extract<ContentPart, { type: 'image_url' }> => p.type === 'image_url';

function mapUserParts(
  message: ChatMessage,
  fn: (part: Extract<ContentPart, { type: 'image_url' }>) => ContentPart,
): ChatMessage {
  if (message.role !== 'user' || !Array.isArray(message.content)) return message;
  if (!message.content.some(isImage)) return message;
  return { ...message, content: message.content.map((p) => (isImage(p) ? fn(p) : p)) };
}

/** Older images as notes, then the oldest out until the bytes fit. The latest message keeps its own. */
export function budgetImages(messages: ChatMessage[], budget: ImageBudget): ChatMessage[] {
  const userAt = messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  const ageOf = new Map(userAt.map((index, n) => [index, userAt.length - 1 - n]));
  const out = messages.map((m, i) => {
    const age = ageOf.get(i) ?? 0;
    return age > budget.resendTurns
      ? mapUserParts(m, () => ({ type: 'text', text: imagePlaceholder('old') }))
      : m;
  });
  let total = out.reduce((sum, m) => sum + imageBytes(m), 0);
  const latest = userAt.at(-1) ?? -1;
  for (let i = 0; i < out.length && total > budget.maxRequestBytes; i++) {
    if (i === latest) break;
    total -= imageBytes(out[i]);
    out[i] = mapUserParts(out[i], () => ({ type: 'text', text: imagePlaceholder('budget') }));
  }
  return out;
}

function imageBytes(message: ChatMessage): number {
  if (message.role !== 'user' || !Array.isArray(message.content)) return 0;
  return message.content.reduce((sum, p) => sum + (isImage(p) ? dataUrlBytes(p.image_url.url) : 0), 0);
}

/**
 * The one retry after a 413: earlier images left out, the latest message's images at their
 * smaller size. Undefined when that changes nothing (the 413 then stands).
 */
export function shrinkForRetry(
  body: ChatCompletionRequest,
  lookup: ImageVariantLookup | undefined,
): ChatCompletionRequest | undefined {
  let latest = -1;
  body.messages.forEach((m, i) => {
    if (m.role === 'user') latest = i;
  });
  let changed = false;
  const messages = body.messages.map((m, i) =>
    mapUserParts(m, (part) => {
      if (i !== latest) {
        changed = true;
        return { type: 'text', text: imagePlaceholder('budget') };
      }
      const smaller = lookup?.(part.image_url.url)?.smaller;
      if (!smaller) return part;
      changed = true;
      return { ...part, image_url: { ...part.image_url, url: smaller } };
    }),
  );
  return changed ? { ...body, messages } : undefined;
}

/** WebP images as their PNG/JPEG fallback; one without a fallback becomes a note. */
export function withoutWebp(
  body: ChatCompletionRequest,
  lookup: ImageVariantLookup | undefined,
): ChatCompletionRequest {
  if (!hasWebp(body)) return body;
  const messages = body.messages.map((m) =>
    mapUserParts(m, (part) => {
      if (!part.image_url.url.startsWith('data:image/webp')) return part;
      const fallback = lookup?.(part.image_url.url)?.fallback;
      return fallback
        ? { ...part, image_url: { ...part.image_url, url: fallback } }
        : { type: 'text', text: imagePlaceholder('budget') };
    }),
  );
  return { ...body, messages };
}

export function hasWebp(body: ChatCompletionRequest): boolean {
  return body.messages.some(
    (m) =>
      m.role === 'user' &&
      Array.isArray(m.content) &&
      m.content.some((p) => isImage(p) && p.image_url.url.startsWith('data:image/webp')),
  );
}

// "unsupported image format", "image/webp is not supported", "图片格式不支持".
const REFUSES_WEBP = /webp|image (format|type|mime)|unsupported (image|mime|media)|图片格式|图像格式/i;

/** A 400/415/422 that refuses the WebP images this request carries. */
export function refusesWebp(
  status: number | undefined,
  message: string | undefined,
  body: ChatCompletionRequest,
): boolean {
  return (
    (status === 400 || status === 415 || status === 422) &&
    !!message &&
    REFUSES_WEBP.test(message) &&
    hasWebp(body)
  );
}

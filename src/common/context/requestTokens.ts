import type { ChatMessage, ContentPart, FunctionTool } from '../endpoint/chatTypes';
import { imageTokens, type ImageDetail, type PixelSize } from '../images/imageTokens';
import { estimateTokens } from '../tokens/estimateTokens';
import type { KnownWindow } from './modelLimits';

/** Role and separators around each message (OpenAI's chat format spends 3–4). */
export const MESSAGE_OVERHEAD = 4;
/** The reply's priming tokens. */
export const REQUEST_OVERHEAD = 3;
/** The most one image costs in high detail (2048×768 → 8 tiles): what an unreadable size counts as. */
export const MAX_IMAGE_TOKENS = imageTokens({ width: 2048, height: 768 });
/** Without max_tokens, this share of the window is kept for the answer. */
export const ANSWER_SHARE = 0.2;
/** …but never more than this, so a 1M window does not keep 200k for a reply. */
export const ANSWER_RESERVE_CAP = 16_384;
/** A question above this many tokens asks first when the window is unknown. */
export const UNKNOWN_WINDOW_ASK_ABOVE = 128_000;

/** Prompt tokens of one message: its text by the shared estimate, images by the size the model sees. */
export function messageTokens(message: ChatMessage): number {
  let tokens = MESSAGE_OVERHEAD + contentTokens(message.content);
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) {
      tokens += estimateTokens(call.function.name) + estimateTokens(call.function.arguments) + 3;
    }
  }
  return tokens;
}

export function contentTokens(content: string | readonly ContentPart[] | null | undefined): number {
  if (!content) return 0;
  if (typeof content === 'string') return estimateTokens(content);
  let tokens = 0;
  for (const part of content) tokens += partTokens(part);
  return tokens;
}

export function partTokens(part: ContentPart): number {
  switch (part.type) {
    case 'text':
      return estimateTokens(part.text);
    case 'image_url':
      return dataUrlImageTokens(part.image_url.url, part.image_url.detail);
    case 'input_audio':
      // Audio is billed by its length; a byte-based guess keeps it from counting as nothing.
      return Math.ceil(part.input_audio.data.length / 64);
    case 'file':
      return Math.ceil((part.file.file_data?.length ?? 0) / 4);
  }
}

/** An image's prompt tokens from its header's pixel size; the worst case when it cannot be read. */
export function dataUrlImageTokens(url: string, detail: ImageDetail = 'auto'): number {
  if (detail === 'low') return imageTokens({ width: 1, height: 1 }, 'low');
  const size = dataUrlPixelSize(url);
  return size ? imageTokens(size, detail) : MAX_IMAGE_TOKENS;
}

/** Width and height from a PNG, GIF or JPEG header inside a base64 data URL, without decoding it all. */
export function dataUrlPixelSize(url: string): PixelSize | undefined {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0 || !url.slice(0, comma).endsWith(';base64')) return undefined;
  let bytes: Uint8Array;
  try {
    // JPEG puts its size after the EXIF block; 64 KB of it is enough for any camera's header.
    const head = url.slice(comma + 1, comma + 1 + 87_384).replace(/[^A-Za-z0-9+/]/g, '');
    bytes = Uint8Array.from(atob(head.slice(0, head.length - (head.length % 4))), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  const u16be = (i: number) => (bytes[i] << 8) | bytes[i + 1];
  const u32be = (i: number) =>
    ((bytes[i] << 24) >>> 0) + (bytes[i + 1] << 16) + (bytes[i + 2] << 8) + bytes[i + 3];
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes.length >= 24)
    return { width: u32be(16), height: u32be(20) };
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes.length >= 10)
    return { width: bytes[6] | (bytes[7] << 8), height: bytes[8] | (bytes[9] << 8) };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length && bytes[i] === 0xff) {
      const marker = bytes[i + 1];
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { width: u16be(i + 7), height: u16be(i + 5) };
      i += 2 + u16be(i + 2);
    }
  }
  return undefined;
}

/** Tool schemas travel in the prompt too: their JSON, estimated like text. */
export function toolTokens(tools: readonly FunctionTool[] | undefined): number {
  return tools?.length ? estimateTokens(JSON.stringify(tools)) + tools.length * 8 : 0;
}

/** Kept free for the answer: max_tokens when set, else a share of the window (within the model's output limit). */
export function answerReserve(window: KnownWindow | undefined, maxTokens: number | undefined): number {
  if (maxTokens !== undefined) return maxTokens;
  if (!window) return 0;
  const share = Math.min(Math.round(window.tokens * ANSWER_SHARE), ANSWER_RESERVE_CAP);
  return window.maxOutputTokens ? Math.min(share, window.maxOutputTokens) : share;
}

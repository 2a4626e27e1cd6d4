/**
 * A rule file's text as the model gets it: one line-break style, no byte-order mark, and no more
 * than a cap per file, so one runaway file cannot fill the context window. A cut is reported, never
 * silent: the caller gets the whole size and renders a note where the text stops.
 */

/** What one rule file may contribute, in UTF-8 bytes. */
export const MAX_RULE_FILE_BYTES = 32 * 1024;

/** BOM dropped, CRLF and lone CR made LF, blank space at either end dropped. */
export function normalizeRuleText(raw: string): string {
  return raw
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .trim();
}

export interface CappedText {
  text: string;
  /** Present when the text was cut: the UTF-8 size of the whole text and of what was kept. */
  cut?: { fullBytes: number; keptBytes: number };
}

const encoder = new TextEncoder();
const utf8Bytes = (text: string) => encoder.encode(text).length;

function codePointBytes(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes: at the last line break within the limit when that
 * keeps at least half of it (a rule is more useful whole-lined), else at a character boundary.
 */
export function capRuleText(text: string, maxBytes = MAX_RULE_FILE_BYTES): CappedText {
  const fullBytes = utf8Bytes(text);
  if (fullBytes <= maxBytes) return { text };
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = codePointBytes(ch.codePointAt(0)!);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  let kept = text.slice(0, end);
  const lineEnd = kept.lastIndexOf('\n');
  if (lineEnd >= end / 2) kept = kept.slice(0, lineEnd);
  kept = kept.trimEnd();
  return { text: kept, cut: { fullBytes, keptBytes: utf8Bytes(kept) } };
}

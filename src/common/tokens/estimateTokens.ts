/**
 * A fast token estimate for text, without shipping a tokenizer: one pass over the characters.
 *
 * It leans high on purpose. Relay Chat uses it to decide what fits a context window and what a
 * question may cost; undercounting there means a 400 from the relay or a surprise on the bill.
 * - CJK ideographs, kana and hangul: one token each (BPE vocabularies spend about 0.7–1.5 per
 *   character; counting one never undercounts much and usually overcounts a little).
 * - Other letters and digits: a run of them costs about one token per 4 characters, at least one.
 * - Punctuation and symbols: one token each (code is dense in them).
 * - Whitespace: free inside text, except a newline or a run of indentation, which costs one.
 * - Anything outside the Basic Multilingual Plane (emoji): two tokens.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  let word = 0;
  let space = 0;
  const flushWord = (): void => {
    if (word > 0) tokens += Math.ceil(word / 4);
    word = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      if (space > 1) tokens += 1;
      space = 0;
      word++;
      continue;
    }
    flushWord();
    if (c === 0x20 || c === 0x09) {
      space++;
      continue;
    }
    if (space > 1) tokens += 1;
    space = 0;
    if (c === 0x0a || c === 0x0d) {
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      tokens += 1;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      tokens += 2;
      i++;
    } else {
      tokens += 1;
    }
  }
  flushWord();
  return tokens;
}

/** ASCII letters/digits/underscore and Latin/Greek/Cyrillic letters; not CJK, not punctuation. */
function isWordChar(c: number): boolean {
  if (c < 0x80) {
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  }
  return c >= 0xc0 && c < 0x2000 && c !== 0xd7 && c !== 0xf7;
}

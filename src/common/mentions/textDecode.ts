/**
 * A file's bytes as the request may carry them: text, or `binary` (not sent). A NUL byte in the
 * first 8 KB marks a binary file, as git and VS Code decide it; bytes that are not valid UTF-8 do
 * too, since a mangled decoding would cost tokens and tell the model nothing. A UTF-16 file (it
 * starts with its byte order mark, and is full of NULs) is decoded as UTF-16.
 */

export type DecodedFile = { type: 'text'; text: string } | { type: 'binary' };

/** How far a NUL byte is looked for. */
export const SNIFF_BYTES = 8192;

export function decodeFileBytes(bytes: Uint8Array): DecodedFile {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith('utf-16le', bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith('utf-16be', bytes);
  const sniff = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < sniff; i++) if (bytes[i] === 0) return { type: 'binary' };
  return decodeWith('utf-8', bytes);
}

function decodeWith(encoding: string, bytes: Uint8Array): DecodedFile {
  try {
    // The decoder drops the byte order mark.
    return { type: 'text', text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return { type: 'binary' };
  }
}

/**
 * A byte stream's reads as text, the same text a streaming TextDecoder gives, at less cost per read:
 * Node's TextDecoder leaves its fast UTF-8 path for good once it is given `{ stream: true }` (each
 * call then validates its options and goes through ICU). Here each read is decoded whole, without
 * `stream`; a character that a read's end cuts in two waits, as bytes, for the next read. The
 * stream's leading byte-order mark is dropped, as TextDecoder drops it; one later in the stream is
 * text.
 */
export class Utf8Reads {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The first bytes of a character cut by the last read's end. */
  private carry: Uint8Array | undefined;
  private started = false;

  decode(bytes: Uint8Array): string {
    if (this.carry) {
      const joined = new Uint8Array(this.carry.length + bytes.length);
      joined.set(this.carry);
      joined.set(bytes, this.carry.length);
      bytes = joined;
      this.carry = undefined;
    }
    const whole = wholeCharacters(bytes);
    if (whole < bytes.length) {
      // A copy: a read's buffer (a Node Buffer's slice is a view) is not ours to keep.
      this.carry = new Uint8Array(bytes.subarray(whole));
      bytes = bytes.subarray(0, whole);
    }
    return this.text(bytes);
  }

  /** The stream ended: a character it cut short is a replacement character, as TextDecoder makes it. */
  end(): string {
    const rest = this.carry;
    this.carry = undefined;
    return rest ? this.text(rest) : '';
  }

  private text(bytes: Uint8Array): string {
    if (!bytes.length) return '';
    const text = this.decoder.decode(bytes);
    if (this.started) return text;
    this.started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/**
 * How many of `bytes` end on a character boundary: all of them, unless the last character's lead
 * byte is followed by fewer continuation bytes than it announces. Bytes that cannot be UTF-8 count as
 * whole; the decoder replaces them where they stand, as it would in a stream.
 */
function wholeCharacters(bytes: Uint8Array): number {
  const length = bytes.length;
  if (!length || bytes[length - 1] < 0x80) return length;
  for (let at = length - 1; at >= 0 && at >= length - 3; at--) {
    const byte = bytes[at];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: the lead is further back
    const size =
      byte >= 0xf0 && byte <= 0xf7 ? 4 : byte >= 0xe0 ? (byte <= 0xef ? 3 : 1) : byte >= 0xc0 ? 2 : 1;
    return at + size > length ? at : length;
  }
  return length;
}

/**
 * A terminal's output as text: the VT escape sequences (colours, cursor moves, the shell
 * integration's own OSC 633 marks, window titles) taken out, as a person reading the terminal would
 * see it. Output arrives in chunks that may split a sequence, so the stripper holds back an
 * unfinished one until the next chunk completes it.
 */

// OSC (to BEL or ST), DCS/SOS/PM/APC (to ST), CSI (7- and 8-bit), then two-character escapes
// (whose final character is never one that opens the longer kinds, so those wait to complete).
const SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-OQ-WYZ\\`-~]/g;
// Control characters a reader does not see; tab, line feed and carriage return stay.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;
/** An unfinished sequence longer than this is not one: it is dropped rather than held forever. */
const MAX_HELD = 4096;

export class AnsiStripper {
  private held = '';

  /** The visible text of `chunk`; the tail of an unfinished sequence waits for the next chunk. */
  push(chunk: string): string {
    let text = (this.held + chunk).replace(SEQUENCE, '');
    this.held = '';
    const esc = text.lastIndexOf('\x1b');
    if (esc >= 0 && text.length - esc <= MAX_HELD) {
      this.held = text.slice(esc);
      text = text.slice(0, esc);
    }
    return text.replaceAll('\x1b', '').replace(CONTROL, '');
  }

  /** The end of the output: what was held was never completed, and is dropped. */
  flush(): string {
    this.held = '';
    return '';
  }
}

export function stripAnsi(text: string): string {
  const stripper = new AnsiStripper();
  return stripper.push(text) + stripper.flush();
}

/**
 * A carriage return without a line feed moves back to the start of the line: a progress bar
 * rewrites its line many times. Only what was written last on each line is kept.
 */
export function applyCarriageReturns(text: string): string {
  return text
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => {
      const parts = line.split('\r').filter((part) => part.length > 0);
      return parts.length ? parts[parts.length - 1] : '';
    })
    .join('\n');
}

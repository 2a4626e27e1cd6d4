/**
 * Finds `old_text` in a file and says what the file becomes with `new_text` in its place. An exact
 * match first; then, line by line, a match that tolerates CRLF/LF, trailing whitespace and one
 * indentation shift applied to every line. The file keeps its own line endings, BOM and
 * indentation: `new_text` is written in them.
 */

const BOM = '\uFEFF';

export type MatchResult =
  | {
      kind: 'match';
      /** Offsets into the text as given (BOM included), the range old_text covers. */
      start: number;
      end: number;
      /** What goes into that range: new_text in the file's line endings and indentation. */
      replacement: string;
      /** The whole text afterwards. */
      text: string;
      /** 1-based lines of the range before the change. */
      startLine: number;
      endLine: number;
      how: 'exact' | 'tolerant';
    }
  | { kind: 'missing'; closestLine?: number }
  | { kind: 'ambiguous'; lines: number[] };

export type Eol = '\n' | '\r\n';

/** The file's line ending: the more common one, LF when it has none. */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

export function withEol(text: string, eol: Eol): string {
  const lf = text.replace(/\r\n/g, '\n');
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export function findAndReplace(fileText: string, oldText: string, newText: string): MatchResult {
  const bom = fileText.startsWith(BOM) ? BOM : '';
  const body = fileText.slice(bom.length);
  const eol = detectEol(body);
  const old = oldText.startsWith(BOM) ? oldText.slice(1) : oldText;
  if (old === '') return { kind: 'missing' };

  const exact = occurrences(body, old);
  if (exact.length > 1) return { kind: 'ambiguous', lines: exact.map((at) => lineAt(body, at)) };
  if (exact.length === 1) {
    const at = exact[0];
    const replacement = withEol(newText, eol);
    return {
      kind: 'match',
      start: bom.length + at,
      end: bom.length + at + old.length,
      replacement,
      text: bom + body.slice(0, at) + replacement + body.slice(at + old.length),
      startLine: lineAt(body, at),
      endLine: lineAt(body, at + old.length - (old.endsWith('\n') ? 1 : 0)),
      how: 'exact',
    };
  }
  return tolerant(bom, body, eol, old, newText);
}

function occurrences(text: string, search: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + 1)) found.push(at);
  return found;
}

interface Line {
  /** Offset of the line's first character in the body. */
  start: number;
  /** The line without its end-of-line. */
  text: string;
  /** Its end-of-line ('' on a last line without one). */
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ start, text: text.slice(start), eol: '' });
      return lines;
    }
    const cr = nl > start && text.charCodeAt(nl - 1) === 13;
    lines.push({ start, text: text.slice(start, cr ? nl - 1 : nl), eol: cr ? '\r\n' : '\n' });
    start = nl + 1;
  }
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

/** How the file's indentation differs from old_text's, the same on every non-blank line. */
type Shift = { add: string } | { remove: string };

function lineShift(fileLine: string, oldLine: string): Shift | undefined {
  const fi = indentOf(fileLine);
  const oi = indentOf(oldLine);
  if (fileLine.slice(fi.length).trimEnd() !== oldLine.slice(oi.length).trimEnd()) return undefined;
  if (fi.endsWith(oi)) return { add: fi.slice(0, fi.length - oi.length) };
  if (oi.endsWith(fi)) return { remove: oi.slice(0, oi.length - fi.length) };
  return undefined;
}

const sameShift = (a: Shift, b: Shift) =>
  'add' in a ? 'add' in b && a.add === b.add : 'remove' in b && a.remove === b.remove;

function matchAt(file: Line[], at: number, old: string[]): Shift | undefined {
  let shift: Shift | undefined;
  for (let k = 0; k < old.length; k++) {
    const f = file[at + k].text;
    const o = old[k];
    if (o.trim() === '' || f.trim() === '') {
      if (o.trim() !== f.trim()) return undefined;
      continue;
    }
    const s = lineShift(f, o);
    if (!s) return undefined;
    // "add ''" and "remove ''" are the same no-shift.
    const normal: Shift = 'remove' in s && s.remove === '' ? { add: '' } : s;
    if (shift && !sameShift(shift, normal)) return undefined;
    shift ??= normal;
  }
  return shift ?? { add: '' };
}

function applyShift(line: string, shift: Shift): string {
  if (line.trim() === '') return '';
  if ('add' in shift) return shift.add + line;
  return line.startsWith(shift.remove) ? line.slice(shift.remove.length) : line.replace(/^[ \t]*/, '');
}

function tolerant(bom: string, body: string, eol: Eol, oldText: string, newText: string): MatchResult {
  const file = splitLines(body);
  const old = oldText.replace(/\r\n/g, '\n').split('\n');
  const oldEndsLine = old.length > 1 && old[old.length - 1] === '';
  if (oldEndsLine) old.pop();
  while (old.length > 1 && old[0].trim() === '') old.shift();
  if (old.every((l) => l.trim() === '')) return { kind: 'missing' };

  const found: { at: number; shift: Shift }[] = [];
  for (let at = 0; at + old.length <= file.length; at++) {
    const shift = matchAt(file, at, old);
    if (shift) found.push({ at, shift });
  }
  if (found.length > 1) return { kind: 'ambiguous', lines: found.map((f) => f.at + 1) };
  if (!found.length) return { kind: 'missing', closestLine: closestLine(file, old) };

  const { at, shift } = found[0];
  const last = file[at + old.length - 1];
  const start = file[at].start;
  const end = last.start + last.text.length;
  let lines = newText.replace(/\r\n/g, '\n').split('\n');
  if (oldEndsLine && lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  lines = lines.map((l) => applyShift(l, shift));
  // Deleting the lines whole (new_text empty) takes their line ending too.
  const deleteLines = newText === '';
  const replacement = deleteLines ? '' : lines.join(eol);
  const cutEnd = deleteLines ? end + last.eol.length : end;
  return {
    kind: 'match',
    start: bom.length + start,
    end: bom.length + cutEnd,
    replacement,
    text: bom + body.slice(0, start) + replacement + body.slice(cutEnd),
    startLine: at + 1,
    endLine: at + old.length,
    how: 'tolerant',
  };
}

/** The line where old_text's first non-blank line appears, ignoring whitespace: a hint for the model. */
function closestLine(file: Line[], old: string[]): number | undefined {
  const first = old.find((l) => l.trim() !== '')?.trim();
  if (!first) return undefined;
  const index = file.findIndex((l) => l.text.trim() === first);
  return index < 0 ? undefined : index + 1;
}

/**
 * Glob patterns as VS Code's settings spell them (`**` any depth, `*` and `?` within a segment,
 * `{a,b}` alternatives, `[a-z]` / `[!a]` classes), for `relayChat.edits.protectedFiles` and the
 * `applyTo` of instruction files. Paths are slash-separated. A pattern never throws: what cannot be
 * read as glob syntax (an unclosed `{` or `[`) stands for itself, since it comes from a user's file.
 */

export interface GlobOptions {
  /** VS Code matches `applyTo` without regard to case. */
  ignoreCase?: boolean;
}

const escapeChar = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Index of the `}` that closes the `{` at `open`, or -1. */
function braceEnd(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Index of the `]` that closes the `[` at `open`, or -1. A `]` right after `[` or `[!` is a member. */
function classEnd(glob: string, open: number): number {
  let start = open + 1;
  if (glob[start] === '!' || glob[start] === '^') start++;
  if (start >= glob.length) return -1;
  const close = glob.indexOf(']', start + 1);
  return close < 0 || glob.slice(open, close).includes('/') ? -1 : close;
}

function classToRegExp(body: string): string {
  const negated = body[0] === '!' || body[0] === '^';
  const members = (negated ? body.slice(1) : body).replace(/[\\\]]/g, '\\$&');
  // A class stays within one segment, as `*` and `?` do.
  return negated ? `[^/${members}]` : `[${members}]`;
}

/** A glob as a RegExp over a whole slash-separated path. */
export function globToRegExp(glob: string, options: GlobOptions = {}): RegExp {
  let out = '';
  const braces: number[] = []; // the closing index of each open `{`
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[' && classEnd(glob, i) > 0) {
      const close = classEnd(glob, i);
      out += classToRegExp(glob.slice(i + 1, close));
      i = close;
    } else if (c === '{' && braceEnd(glob, i) > 0) {
      braces.push(braceEnd(glob, i));
      out += '(?:';
    } else if (c === '}' && braces.at(-1) === i) {
      braces.pop();
      out += ')';
    } else if (c === ',' && braces.length) out += '|';
    else out += escapeChar(c);
  }
  const flags = options.ignoreCase ? 'i' : '';
  try {
    return new RegExp(`^${out}$`, flags);
  } catch {
    // Only a class such as `[z-a]` gets here; the pattern then means its own characters.
    return new RegExp(`^${[...glob].map(escapeChar).join('')}$`, flags);
  }
}

/** A comma-separated list of globs, split where a comma is not inside `{}` or `[]`; blanks dropped. */
export function splitGlobList(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let current = '';
  for (const c of list) {
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '{' && !inClass) depth++;
    else if (c === '}' && !inClass && depth > 0) depth--;
    if (c === ',' && depth === 0 && !inClass) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

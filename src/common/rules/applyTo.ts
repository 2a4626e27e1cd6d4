import { globToRegExp, splitGlobList } from '../paths/glob';

/**
 * The front matter of a `.instructions.md` file and when its `applyTo` holds, as VS Code reads it:
 * - `applyTo` is a comma-separated list of globs; a comma inside `{}` does not split.
 * - The match-all globs (`MATCH_ALL`) apply to every question, even one without files.
 * - Any other glob is relative: unless it already starts with a double-star folder or a slash, one
 *   is put in front, so `src/**` also matches `packages/app/src/x.ts`. Case is ignored.
 * - Where VS Code matches the absolute path, we match the path inside the instruction file's
 *   workspace folder: a glob never matches the folders the workspace happens to live in, and a
 *   leading `/` anchors it at that folder's root (as on github.com, which knows only the repository).
 * The front matter is the YAML-ish block between a first line `---` and the next `---`. Only
 * `key: value` lines are read, quoted or not; a YAML list under a key (`- a` lines, or `[a, b]`)
 * is read as the same comma-separated list, since people write applyTo that way too.
 */

export interface InstructionsFile {
  /** The globs of `applyTo`; undefined when there is none (or it is empty): the file always applies. */
  applyTo: string[] | undefined;
  /** The text after the front matter. */
  body: string;
}

export interface ApplyToMatch {
  /** The glob as written in the file. */
  glob: string;
  /** The request file it matched; none for the globs that match everything. */
  file?: string;
}

/** VS Code applies these without looking at the files. */
const MATCH_ALL = new Set(['**', '**/*', '*']);

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v[0] === '"' && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["\\])/g, '$1');
  if (v.length >= 2 && v[0] === "'" && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  return v.replace(/\s+#.*$/, '');
}

function flowList(value: string): string {
  const v = value.trim();
  if (!v.startsWith('[') || !v.endsWith(']')) return unquote(v);
  return splitGlobList(v.slice(1, -1)).map(unquote).join(',');
}

/** The fields of the front matter and the text after it; text with LF line breaks (see ruleText). */
export function splitFrontMatter(text: string): { fields: Map<string, string>; body: string } {
  const lines = text.split('\n');
  const fields = new Map<string, string>();
  if (lines[0]?.trimEnd() !== '---') return { fields, body: text };
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (close < 0) return { fields, body: text };
  let listKey: string | undefined;
  for (const line of lines.slice(1, close)) {
    const item = /^\s+-\s+(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey !== undefined) {
      const previous = fields.get(listKey);
      fields.set(listKey, previous ? `${previous},${unquote(item[1])}` : unquote(item[1]));
      continue;
    }
    const field = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!field) continue;
    listKey = field[2].trim() === '' ? field[1] : undefined;
    fields.set(field[1], flowList(field[2]));
  }
  return { fields, body: lines.slice(close + 1).join('\n') };
}

export function readInstructionsFile(text: string): InstructionsFile {
  const { fields, body } = splitFrontMatter(text);
  const globs = splitGlobList(fields.get('applyTo') ?? '');
  return { applyTo: globs.length ? globs : undefined, body };
}

/**
 * The first glob (in the file's order) that matches the first request file (in the caller's
 * order); `files` are relative to the instruction file's workspace folder.
 */
export function matchApplyTo(globs: readonly string[], files: readonly string[]): ApplyToMatch | undefined {
  for (const glob of globs) {
    if (MATCH_ALL.has(glob)) return { glob };
    const anchored = glob.startsWith('/') ? glob.slice(1) : glob.startsWith('**/') ? glob : `**/${glob}`;
    const re = globToRegExp(anchored, { ignoreCase: true });
    const file = files.find((f) => re.test(f));
    if (file !== undefined) return { glob, file };
  }
  return undefined;
}

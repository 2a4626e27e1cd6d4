// search_text: matching lines of the workspace's files as `path:line: text`, capped and saying so.
import type { EditWorkspace, ToolOutcome } from './editWorkspace';
import { MAX_EDIT_BYTES, SEARCH_DEFAULT, SEARCH_MAX } from './toolSchemas';
import { globRefusal, protectedBy } from './workspacePath';

export interface SearchArgs {
  query: string;
  is_regex?: boolean | null;
  glob?: string | null;
  max_results?: number | null;
}

/** Files read per search at most; a larger workspace is searched in part, and the result says so. */
export const SEARCH_FILE_LIMIT = 5000;
/** Matches counted past the cap before the count becomes "at least". */
const COUNT_LIMIT = 10_000;
/** A longer line is shown as this many characters around its first match. */
export const LINE_WIDTH = 200;

/** The query as a RegExp (smart case: a capital letter makes it case-sensitive), or why it is not one. */
export function searchPattern(query: string, isRegex: boolean): RegExp | { error: string } {
  const flags = /[A-Z]/.test(query) ? '' : 'i';
  if (!isRegex) return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  try {
    return new RegExp(query, flags);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** A line cut to `width` characters around the match at `index`, with `…` where it was cut. */
export function shortenLine(line: string, index: number, length: number, width = LINE_WIDTH): string {
  const text = line.trim();
  if (text.length <= width) return text;
  const at = Math.max(0, index - (line.length - line.trimStart().length));
  const start = Math.max(
    0,
    Math.min(at - Math.floor((width - Math.min(length, width)) / 2), text.length - width),
  );
  const end = Math.min(text.length, start + width);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

export async function runSearchText(workspace: EditWorkspace, args: SearchArgs): Promise<ToolOutcome> {
  const { query } = args;
  const glob = args.glob?.trim() || undefined;
  const target = glob ? `"${query}" in ${glob}` : `"${query}"`;
  const pattern = searchPattern(query, args.is_regex === true);
  if ('error' in pattern) {
    return refuse(
      `search_text: "${query}" is not a valid regular expression (${pattern.error}). Fix it, or call search_text with is_regex false to find the text as it is.`,
      target,
    );
  }
  if (glob) {
    const refusal = globRefusal(glob);
    if (refusal) return refuse(`search_text: ${refusal}`, target);
  }
  const folders = workspace.folders();
  if (!folders.length) return refuse('No folder is open in the workspace.', target);
  const limit = Math.min(args.max_results ?? SEARCH_DEFAULT, SEARCH_MAX);
  const patterns = workspace.protectedPatterns();
  const shown: string[] = [];
  let count = 0;
  let filesRead = 0;
  let filesLeft = false;
  scan: for (const folder of folders) {
    const files = await workspace.searchFiles(folder, glob, SEARCH_FILE_LIMIT - filesRead + 1);
    const prefix = folders.length > 1 ? `${folder.name}/` : '';
    for (const relative of files) {
      if (protectedBy(relative, patterns)) continue;
      if (filesRead === SEARCH_FILE_LIMIT) {
        filesLeft = true;
        break scan;
      }
      filesRead++;
      const file = await workspace.read(`${folder.path.replace(/\/+$/, '')}/${relative}`);
      if (!file || file.binary || file.size > MAX_EDIT_BYTES) continue;
      const lines = file.text.replace(/^\uFEFF/, '').split(/\r?\n/);
      for (let n = 0; n < lines.length; n++) {
        const match = pattern.exec(lines[n]);
        if (!match) continue;
        count++;
        if (shown.length < limit) {
          shown.push(`${prefix}${relative}:${n + 1}: ${shortenLine(lines[n], match.index, match[0].length)}`);
        } else if (count >= COUNT_LIMIT) break scan;
      }
    }
  }
  const notes: string[] = [];
  if (count > shown.length) {
    const total = count >= COUNT_LIMIT || filesLeft ? `at least ${count}` : String(count);
    notes.push(`[${shown.length} of ${total} matches shown; narrow the query or the glob.]`);
  }
  if (filesLeft) {
    notes.push(
      `[Only the first ${SEARCH_FILE_LIMIT} files were searched; narrow with glob to search the rest.]`,
    );
  }
  const body = shown.length ? shown.join('\n') : `No matches for ${target}.`;
  return { status: 'done', result: [body, ...notes].join('\n'), target };
}

function refuse(result: string, target: string): ToolOutcome {
  return { status: 'refused', result, target };
}

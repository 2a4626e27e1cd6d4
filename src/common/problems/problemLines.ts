// A diagnostic as one line the model (and a person) can read, `path:line:col severity source(code): message`,
// and the code around it with the line marked. Shared by get_problems, @problems and the Quick Fix
// questions, so the model reads a problem the same way wherever it comes from.

export type ProblemSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface Problem {
  /** The workspace path, as the edit tools print it. */
  path: string;
  /** 1-based. */
  line: number;
  column: number;
  severity: ProblemSeverity;
  /** The language service that reported it (`ts`, `eslint`), when it says. */
  source?: string;
  /** The service's own code for it (`2322`), when it gives one. */
  code?: string;
  message: string;
}

const RANK: Record<ProblemSeverity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** `src/a.ts:3:7 error ts(2322): Type 'string' is not assignable to type 'number'.` on one line. */
export function problemHeadline(p: Problem): string {
  const message = p.message.replace(/\s*\r?\n\s*/g, ' ').trim();
  const code = p.code ? `(${p.code})` : '';
  const source = p.source ? ` ${p.source}${code}` : code ? ` ${code}` : '';
  return `${p.path}:${p.line}:${p.column} ${p.severity}${source}: ${message}`;
}

/** Errors first, then warnings, …; within a severity by path, line and column. */
export function byImportance(a: Problem, b: Problem): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column
  );
}

/**
 * The lines `around` the 1-based `line` of `text`, numbered as read_file numbers them (`12| text`),
 * the problem's line marked with `>`. Empty when the line is past the text's end.
 */
export function markedLines(text: string, line: number, around: number): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // A final line break ends the last line; it does not start another (as read_file counts).
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (line < 1 || line > lines.length) return [];
  const first = Math.max(1, line - around);
  const last = Math.min(lines.length, line + around);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)}| ${lines[n - 1]}`);
  }
  return out;
}

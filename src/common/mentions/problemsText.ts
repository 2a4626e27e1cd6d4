import { byImportance, markedLines, problemHeadline, type Problem } from '../problems/problemLines';
import { formatCount } from './cutText';

/**
 * `@problems` as the model reads it: the diagnostics, worst first, each as
 * `path:line:col severity source: message` followed by the lines around it, capped with the cap
 * said. Hints are not listed: the Problems panel does not list them either (they are the editor's
 * faded "unused" marks and suggestions), and they would crowd out the errors.
 */

export type { Problem, ProblemSeverity } from '../problems/problemLines';

export interface ProblemSelection {
  /** The problems to list, in order. */
  shown: Problem[];
  /** Errors, warnings and infos before the cap. */
  total: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Hints left out (always: see above). */
  hints: number;
}

/** How many problems `@problems` lists by default. */
export const PROBLEMS_CAP = 50;
/** Lines shown above and below each problem's line. */
export const PROBLEM_CONTEXT_LINES = 2;

/** Errors first, then warnings, then infos; within each, by path, line and column. */
export function selectProblems(problems: readonly Problem[], cap = PROBLEMS_CAP): ProblemSelection {
  const listed = problems.filter((p) => p.severity !== 'hint');
  const sorted = [...listed].sort(byImportance);
  const count = (s: Problem['severity']) => problems.filter((p) => p.severity === s).length;
  return {
    shown: sorted.slice(0, Math.max(0, cap)),
    total: listed.length,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    hints: count('hint'),
  };
}

/**
 * The text for a selection. `scope` names where the problems come from ("the active file
 * src/a.ts", "the workspace"); `linesOf` gives a file's lines for the context around each problem
 * (undefined when it could not be read: the problem is listed without them).
 */
export function problemsText(
  selection: ProblemSelection,
  scope: string,
  linesOf: (path: string) => readonly string[] | undefined,
): string {
  const { shown, total, errors, warnings, infos, hints } = selection;
  const hintNote = hints ? ` ${plural(hints, 'hint')} not listed.` : '';
  if (!total) return `No errors or warnings in ${scope}.${hintNote}`;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning'), infos ? plural(infos, 'info') : '']
    .filter(Boolean)
    .join(', ');
  const capNote =
    shown.length < total
      ? ` The first ${formatCount(shown.length)} of ${formatCount(total)} are listed (errors first); the rest were left out.`
      : '';
  const out = [`${plural(total, 'problem')} in ${scope} (${counts}).${capNote}${hintNote}`];
  for (const p of shown) {
    out.push('', problemHeadline(p));
    const lines = linesOf(p.path);
    if (lines) out.push(...markedLines(lines.join('\n'), p.line, PROBLEM_CONTEXT_LINES));
  }
  return out.join('\n');
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

// The questions the Quick Fixes ask: one diagnostic, as the Problems view says it, and the code
// around it with its line marked.
import type { UserInput } from '../conversation/chatSession';
import { fencedCodePart } from '../conversation/selectionPrompt';
import { markedLines, problemHeadline, type Problem } from './problemLines';

/** Lines shown above and below the problem's line. */
export const PROBLEM_CONTEXT_LINES = 10;

export interface ProblemAt {
  /** `path` is the workspace path. */
  problem: Problem;
  languageId: string;
  /** The file's text as the editor has it. */
  text: string;
}

export type ProblemAction = 'explain' | 'fix';

const ASK: Record<ProblemAction, { display: string; request: (path: string) => string }> = {
  explain: {
    display: 'Explain this problem',
    request: () => 'Explain this problem: what it means, why the code causes it, and how to fix it.',
  },
  fix: {
    display: 'Fix this problem',
    request: (path) =>
      `Fix this problem in ${path} with the smallest change that solves it, through the tools (read the file first). Do not change unrelated code.`,
  },
};

/** The question for Explain or Fix: what the panel shows, what the model gets, and a `problems` chip. */
export function problemInput(action: ProblemAction, at: ProblemAt): UserInput {
  const { problem } = at;
  const headline = problemHeadline(problem);
  const lines = markedLines(at.text, problem.line, PROBLEM_CONTEXT_LINES);
  const first = Math.max(1, problem.line - PROBLEM_CONTEXT_LINES);
  const last = first + lines.length - 1;
  const ask = ASK[action];
  return {
    display: `${ask.display}: ${headline}`,
    content: [
      { type: 'text', text: `${ask.request(problem.path)}\n${headline}` },
      fencedCodePart(
        `File: ${problem.path} (language: ${at.languageId}), lines ${first}-${last}, line ${problem.line} marked with ">":`,
        at.languageId,
        lines.join('\n'),
      ),
    ],
    context: [{ label: `${problem.path}:${problem.line}`, kind: 'problems' }],
  };
}

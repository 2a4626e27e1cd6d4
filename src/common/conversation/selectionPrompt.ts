import type { ContentPart } from '../endpoint/chatTypes';

export interface SelectionContext {
  /** Workspace-relative path, forward slashes. */
  path: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

export const DEFAULT_QUESTION = 'Explain this code.';

/** A fence longer than any backtick run in the code, so the code cannot close it early. */
export function fenceFor(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export function selectionLabel(sel: SelectionContext): string {
  return sel.startLine === sel.endLine
    ? `${sel.path}:${sel.startLine}`
    : `${sel.path}:${sel.startLine}-${sel.endLine}`;
}

/** Code in a fence that cannot close early, under a header line the model reads first. */
export function fencedCodePart(header: string, languageId: string, code: string): ContentPart {
  const fence = fenceFor(code);
  // A selection made with Shift+Down ends in a line break; the fence supplies its own.
  const body = code.replace(/\r?\n$/, '');
  return { type: 'text', text: `${header}\n${fence}${languageId}\n${body}\n${fence}` };
}

/** The selected code with its path, language and line numbers. */
export function selectionCodePart(sel: SelectionContext): ContentPart {
  return fencedCodePart(
    `File: ${sel.path} (language: ${sel.languageId}), lines ${sel.startLine}-${sel.endLine}:`,
    sel.languageId,
    sel.text,
  );
}

/** The question as one text part, the code (with path, language and line numbers) as another. */
export function buildSelectionParts(question: string, sel: SelectionContext): ContentPart[] {
  return [{ type: 'text', text: question.trim() || DEFAULT_QUESTION }, selectionCodePart(sel)];
}

import { estimateTokens } from '../tokens/estimateTokens';

export interface FittedLines {
  text: string;
  /** 1-based, inclusive, in the file's numbering. */
  startLine: number;
  endLine: number;
  tokens: number;
}

/**
 * The longest run of whole lines from the selection's start that fits `budget` tokens: what
 * "send the part that fits" sends, never a line cut in half. Undefined when not even the first
 * line fits.
 */
export function fitSelectionLines(text: string, startLine: number, budget: number): FittedLines | undefined {
  let tokens = 0;
  let end = 0;
  let lines = 0;
  let from = 0;
  while (from < text.length) {
    const newline = text.indexOf('\n', from);
    const next = newline < 0 ? text.length : newline + 1;
    const cost = estimateTokens(text.slice(from, next));
    if (tokens + cost > budget) break;
    tokens += cost;
    end = next;
    lines++;
    from = next;
  }
  if (!lines) return undefined;
  return { text: text.slice(0, end), startLine, endLine: startLine + lines - 1, tokens };
}

import { estimateTokens } from '../../tokens/estimateTokens';

export interface WindowBudget {
  /** `relayChat.autocomplete.prefixTokens`. */
  prefixTokens: number;
  /** `relayChat.autocomplete.suffixTokens`. */
  suffixTokens: number;
}

/** About a page of code before the cursor and a screen after: most FIM models are trained near these. */
export const DEFAULT_WINDOW_BUDGET: WindowBudget = { prefixTokens: 1024, suffixTokens: 256 };

export interface PromptWindow {
  prefix: string;
  suffix: string;
}

/** A line that alone passes the budget is cut by characters, at a generous 2 characters per token. */
const CHARS_PER_TOKEN_FLOOR = 2;

/**
 * The text around the cursor within the budgets, whole lines only: the cursor's own line always
 * (both halves), then earlier lines for the prefix and later ones for the suffix, nearest first,
 * until the next would not fit. Only the window is measured, never the whole file.
 */
export function promptWindow(text: string, offset: number, budget: WindowBudget): PromptWindow {
  return {
    prefix: prefixWindow(text, offset, budget.prefixTokens),
    suffix: suffixWindow(text, offset, budget.suffixTokens),
  };
}

function prefixWindow(text: string, offset: number, budget: number): string {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  let used = estimateTokens(text.slice(start, offset));
  if (used > budget) return text.slice(Math.max(start, offset - budget * CHARS_PER_TOKEN_FLOOR), offset);
  while (start > 0) {
    const lineStart = text.lastIndexOf('\n', start - 2) + 1;
    const cost = estimateTokens(text.slice(lineStart, start));
    if (used + cost > budget) break;
    used += cost;
    start = lineStart;
  }
  return text.slice(start, offset);
}

function suffixWindow(text: string, offset: number, budget: number): string {
  const lineEnd = text.indexOf('\n', offset);
  let end = lineEnd < 0 ? text.length : lineEnd;
  let used = estimateTokens(text.slice(offset, end));
  if (used > budget) return text.slice(offset, Math.min(end, offset + budget * CHARS_PER_TOKEN_FLOOR));
  while (end < text.length) {
    const next = text.indexOf('\n', end + 1);
    const nextEnd = next < 0 ? text.length : next;
    const cost = estimateTokens(text.slice(end, nextEnd));
    if (used + cost > budget) break;
    used += cost;
    end = nextEnd;
  }
  return text.slice(offset, end);
}

/**
 * Whether a completion here may run over several lines: only with nothing but whitespace after the
 * cursor on its line. With `foo(|)` the model should finish the call, not write the next function.
 */
export function multilineAt(text: string, offset: number): boolean {
  for (let i = offset; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

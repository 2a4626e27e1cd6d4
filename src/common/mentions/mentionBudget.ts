import type { ContextInfo } from '../panel/protocol';

/**
 * How many tokens a question's @-mentions may use together: what the window has left after the
 * conversation, the system message and the answer's reserve, but never more than most of the
 * window (the next questions need room too) and never less than a few thousand (a small file is
 * always worth sending; the context gate asks before a question the window cannot take).
 */

/** The mentions' budget when the window is not known: what nearly every model of today can take. */
export const UNKNOWN_WINDOW_BUDGET = 24_000;
/** The largest share of the window the mentions may take. */
export const MAX_WINDOW_SHARE = 0.6;
/** The least the mentions get, however full the conversation. */
export const MIN_BUDGET = 2_000;

export function mentionBudget(info: ContextInfo | undefined, questionTokens: number): number {
  if (!info?.window) return UNKNOWN_WINDOW_BUDGET;
  const left = info.window - info.reserve - info.system - info.history - questionTokens;
  return Math.max(MIN_BUDGET, Math.min(Math.floor(info.window * MAX_WINDOW_SHARE), left));
}

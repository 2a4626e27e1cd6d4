/**
 * Fuzzy matching of a typed query against one workspace path: the query's characters must appear in
 * the path in order (case-insensitive); among all the ways they can, the best-scoring one counts.
 *
 * Scoring, per matched character (the constants below):
 * - every match earns MATCH;
 * - a character at the start of the basename earns BASENAME_START, at the start of any other path
 *   segment SEGMENT_START, at the start of a word (after `-`, `_`, `.`, a space, or a lower→upper
 *   camelCase step) WORD_START;
 * - a character inside the basename earns IN_BASENAME on top, so `idx` lands on `src/x/idx.ts`'s
 *   name rather than on `index/`;
 * - a character right after the previous match earns CONSECUTIVE;
 * - each character skipped between two matches costs GAP (where the first match starts is free, or
 *   deep paths would lose to shallow ones for their folders' length alone).
 * Shorter paths and then the path's code units break ties (see `compareMatches` in pathIndex).
 *
 * The bonuses depend only on the path, so they are computed once when the path enters the index
 * (`preparePath`); a query then costs one `indexOf` pass to reject non-matches and, for the rest, a
 * dynamic programme over the query × the part of the path the query can occupy.
 */

export const MATCH = 16;
export const BASENAME_START = 12;
export const SEGMENT_START = 8;
export const WORD_START = 6;
export const IN_BASENAME = 2;
export const CONSECUTIVE = 5;
export const GAP = 1;

/** Returned by `fuzzyScore` when the query is not a subsequence of the path. */
export const NO_MATCH = -1;

export interface PreparedPath {
  readonly path: string;
  readonly lower: string;
  /** The bonus each character earns when matched (boundary bonus + IN_BASENAME). */
  readonly bonus: Uint8Array;
  readonly basenameStart: number;
}

export function preparePath(path: string): PreparedPath {
  const lower = path.toLowerCase();
  const basenameStart = path.lastIndexOf('/') + 1;
  const bonus = new Uint8Array(path.length);
  for (let j = 0; j < path.length; j++) {
    const prev = j === 0 ? '/' : path[j - 1];
    let b = 0;
    if (j === basenameStart) b = BASENAME_START;
    else if (prev === '/') b = SEGMENT_START;
    else if (prev === '-' || prev === '_' || prev === '.' || prev === ' ') b = WORD_START;
    else if (isLowerLetter(prev) && isUpperLetter(path[j])) b = WORD_START;
    if (j >= basenameStart) b += IN_BASENAME;
    bonus[j] = b;
  }
  return { path, lower, bonus, basenameStart };
}

/** What the user typed, as the matcher compares it: lowercase, `\` as `/`, no whitespace. */
export function normalizeQuery(text: string): string {
  return text.toLowerCase().replace(/\\/g, '/').replace(/\s+/g, '');
}

const NEG = -1_000_000;
// Rows reused across calls: the scan scores tens of thousands of paths per keystroke.
let prevRow = new Int32Array(256);
let curRow = new Int32Array(256);
let lo = new Int32Array(64);
let hi = new Int32Array(64);

/**
 * The best score of `query` (already normalised) in `entry`, or NO_MATCH. An empty query scores 0
 * everywhere.
 */
export function fuzzyScore(query: string, entry: PreparedPath): number {
  const m = query.length;
  if (m === 0) return 0;
  const n = entry.lower.length;
  if (m > n) return NO_MATCH;
  if (m === 1) return singleScore(query, entry);
  if (!bounds(query, entry.lower)) return NO_MATCH;
  if (prevRow.length < n) {
    prevRow = new Int32Array(n * 2);
    curRow = new Int32Array(n * 2);
  }
  let prev = prevRow;
  let cur = curRow;
  const { lower, bonus } = entry;
  for (let i = 0; i < m; i++) {
    const c = query.charCodeAt(i);
    const from = lo[i];
    const to = hi[i];
    const pFrom = i > 0 ? lo[i - 1] : 0;
    const pTo = i > 0 ? hi[i - 1] : -1;
    let run = NEG;
    // The gap term must see every earlier match, so it starts from the previous row's first one.
    const start = i > 0 ? Math.min(from, pFrom + 2) : from;
    for (let j = start; j <= to; j++) {
      if (i > 0) {
        // run = best of prev[k] - GAP·(j-1-k) over k ≤ j-2: the score of a match with a gap before j.
        const k = j - 2;
        const pk = k >= pFrom && k <= pTo ? prev[k] : NEG;
        run = (pk > run ? pk : run) - GAP;
      }
      if (j < from) continue;
      if (lower.charCodeAt(j) !== c) {
        cur[j] = NEG;
        continue;
      }
      let before = 0;
      if (i > 0) {
        const k = j - 1;
        const consecutive = k >= pFrom && k <= pTo ? prev[k] + CONSECUTIVE : NEG;
        before = consecutive > run ? consecutive : run;
      }
      cur[j] = before <= NEG / 2 ? NEG : MATCH + bonus[j] + before;
    }
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  let best = NEG;
  for (let j = lo[m - 1]; j <= hi[m - 1]; j++) if (prev[j] > best) best = prev[j];
  return best <= NEG / 2 ? NO_MATCH : best;
}

/**
 * One character, the first keystroke after `@`: the best bonus among its occurrences. It matches
 * most of the workspace, so it skips the table.
 */
function singleScore(query: string, entry: PreparedPath): number {
  const { lower, bonus } = entry;
  let best = -1;
  for (let j = lower.indexOf(query); j >= 0; j = lower.indexOf(query, j + 1))
    if (bonus[j] > best) best = bonus[j];
  return best < 0 ? NO_MATCH : MATCH + best;
}

/**
 * Where each query character can sit: `lo[i]` from the leftmost (greedy) match, `hi[i]` from the
 * rightmost one. False when the query is not a subsequence at all.
 */
function bounds(query: string, lower: string): boolean {
  const m = query.length;
  if (lo.length < m) {
    lo = new Int32Array(m * 2);
    hi = new Int32Array(m * 2);
  }
  let at = 0;
  for (let i = 0; i < m; i++) {
    const found = lower.indexOf(query[i], at);
    if (found < 0) return false;
    lo[i] = found;
    at = found + 1;
  }
  at = lower.length - 1;
  for (let i = m - 1; i >= 0; i--) {
    const found = lower.lastIndexOf(query[i], at);
    hi[i] = found;
    at = found - 1;
  }
  return true;
}

/**
 * The positions in the path of the best match (for highlighting), or undefined for no match. Runs
 * the full table with back-tracking, so only the few results shown are asked for it.
 */
export function matchPositions(query: string, entry: PreparedPath): number[] | undefined {
  const m = query.length;
  const n = entry.lower.length;
  if (m === 0) return [];
  if (m > n || !bounds(query, entry.lower)) return undefined;
  const { lower, bonus } = entry;
  const table: Int32Array[] = [];
  for (let i = 0; i < m; i++) {
    const row = new Int32Array(n).fill(NEG);
    const prev = table[i - 1];
    let run = NEG;
    for (let j = 0; j < n; j++) {
      if (i > 0) run = Math.max(run, j >= 2 ? prev[j - 2] : NEG) - GAP;
      if (lower[j] !== query[i]) continue;
      const before = i === 0 ? 0 : Math.max(j >= 1 ? prev[j - 1] + CONSECUTIVE : NEG, run);
      if (before > NEG / 2) row[j] = MATCH + bonus[j] + before;
    }
    table.push(row);
  }
  // The last character: the best column, the rightmost of equals (nearer the basename).
  let j = -1;
  for (let k = 0; k < n; k++) if (j < 0 || table[m - 1][k] >= table[m - 1][j]) j = k;
  if (table[m - 1][j] <= NEG / 2) return undefined;
  const positions = [j];
  for (let i = m - 1; i > 0; i--) {
    const before = table[i][j] - MATCH - bonus[j];
    const prev = table[i - 1];
    let k = j - 1;
    if (!(k >= 0 && prev[k] + CONSECUTIVE === before)) {
      // A gap: the nearest k whose score minus the gap gives `before` (nearest keeps runs tight).
      for (k = j - 2; k >= 0; k--) if (prev[k] > NEG / 2 && prev[k] - GAP * (j - 1 - k) === before) break;
    }
    positions.push(k);
    j = k;
  }
  return positions.reverse();
}

function isLowerLetter(c: string): boolean {
  return c >= 'a' && c <= 'z';
}

function isUpperLetter(c: string): boolean {
  return c >= 'A' && c <= 'Z';
}

/**
 * What a model returned, made into what may be offered, for every language alike. Returns undefined
 * when nothing is left worth showing.
 */
export interface PostProcessInput {
  completion: string;
  /** The text after the cursor (the window is enough). */
  suffix: string;
  /** False: the cursor's line has text right of it, and only that line is finished. */
  multiline: boolean;
}

export function postProcess({ completion, suffix, multiline }: PostProcessInput): string | undefined {
  let text = stripFences(completion);
  if (!multiline) {
    const end = text.indexOf('\n');
    if (end >= 0) text = text.slice(0, end);
  }
  text = cutAtSuffixLine(text, suffix);
  text = trimTrailingBlankLines(text);
  text = dropSuffixOverlap(text, suffix);
  return text.trim() ? text : undefined;
}

const OPENING_FENCE = /^\s*(`{3,}|~{3,})[\w+#.-]*[ \t]*\r?\n/;

/** A chat model wraps code in a markdown fence; the editor wants the code. */
export function stripFences(text: string): string {
  const open = OPENING_FENCE.exec(text);
  if (!open) return text;
  let body = text.slice(open[0].length);
  const close = body.lastIndexOf(open[1]);
  if (close >= 0 && !body.slice(close + open[1].length).trim()) body = body.slice(0, close);
  return body.replace(/\r?\n$/, '');
}

/**
 * A multi-line completion that reaches a line the suffix starts with (the same line, indentation
 * and all) has run into the code after the cursor: it stops before it. Same indentation is what
 * tells the function's closing `}` from a nested block's.
 */
function cutAtSuffixLine(text: string, suffix: string): string {
  const target = firstNonBlankLine(suffix.slice(suffix.indexOf('\n') + 1));
  if (target === undefined || suffix.indexOf('\n') < 0) return text;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trimEnd() === target) return lines.slice(0, i).join('\n');
  }
  return text;
}

function firstNonBlankLine(text: string): string | undefined {
  for (const line of text.split('\n', 20)) if (line.trim()) return line.trimEnd();
  return undefined;
}

function trimTrailingBlankLines(text: string): string {
  return text.replace(/(?:\r?\n[ \t]*)+$/, '');
}

/**
 * The completion's end repeats the suffix's start (a closing `)` or `"` the editor already
 * auto-closed, a `}` line below): that part is dropped. Whitespace between them does not count.
 */
function dropSuffixOverlap(text: string, suffix: string): string {
  const head = suffix.replace(/^\s+/, '');
  if (!head) return text;
  const body = text.trimEnd();
  for (let k = Math.min(body.length, head.length); k > 0; k--) {
    const piece = head.slice(0, k);
    if (!body.endsWith(piece)) continue;
    // Only a whole run of the suffix's own closers, or a whole line of it, is repetition.
    const closers = isCloserRun(piece);
    if (!closers && !isLineStart(body, body.length - k)) continue;
    if (closers && !unmatched(body, piece)) continue;
    return body.slice(0, body.length - k).replace(/[ \t]*(?:\r?\n[ \t]*)*$/, '');
  }
  return text;
}

const CLOSER = /^[)\]}>"'`;,]+$/;

function isCloserRun(piece: string): boolean {
  return CLOSER.test(piece.replace(/\s+/g, ''));
}

const OPENER_OF: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Each bracket in `piece` closes nothing the completion opened, and each quote is an odd one out:
 * `foo(a))` before `)` repeats it, `foo(a)` before `)` does not.
 */
function unmatched(body: string, piece: string): boolean {
  const count = (c: string) => body.split(c).length - 1;
  for (const c of new Set(piece)) {
    const opener = OPENER_OF[c];
    const uses = piece.split(c).length - 1;
    if (opener && count(c) - count(opener) < uses) return false;
    if ((c === '"' || c === "'" || c === '`') && count(c) % 2 === 0) return false;
  }
  return true;
}

function isLineStart(text: string, at: number): boolean {
  const before = text.slice(text.lastIndexOf('\n', at - 1) + 1, at);
  return at > 0 && !before.trim() && text.lastIndexOf('\n', at - 1) >= 0;
}

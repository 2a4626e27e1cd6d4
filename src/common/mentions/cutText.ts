import { fitSelectionLines } from '../context/selectionFit';
import { estimateTokens } from '../tokens/estimateTokens';

/**
 * Fitting a mention's text to its share of the window, saying what was left out. Two shapes: a file
 * keeps its first lines (the top of a file explains the rest: imports, declarations); a diff or a
 * terminal's output keeps its head and its tail (how it started, and how it ended up).
 */

export interface HeadCut {
  text: string;
  tokens: number;
  /** Whole lines kept from the start (all of them when nothing was cut). */
  sentLines: number;
  totalLines: number;
  /** "lines 1–1,200 of 9,000 sent", only when something was cut. */
  note?: string;
}

export interface HeadTailCut {
  text: string;
  tokens: number;
  totalLines: number;
  /** Lines between head and tail that were not sent (0 when it all fit). */
  leftOutLines: number;
}

/** 9000 → "9,000": the notes are read by people and models alike. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Lines in `text`: a final line break ends the last line rather than starting an empty one. */
export function countLines(text: string): number {
  if (!text) return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/** The note for a head cut, with an en dash and thousands separators. */
export function linesSentNote(sentLines: number, totalLines: number): string {
  return sentLines > 0
    ? `lines 1–${formatCount(sentLines)} of ${formatCount(totalLines)} sent`
    : `0 of ${formatCount(totalLines)} lines sent`;
}

/** The whole lines from the start that fit `budget` tokens; never half a line. */
export function cutToLines(text: string, budget: number): HeadCut {
  const totalLines = countLines(text);
  const tokens = estimateTokens(text);
  if (tokens <= budget) return { text, tokens, sentLines: totalLines, totalLines };
  const fit = fitSelectionLines(text, 1, Math.max(0, budget));
  const sentLines = fit ? fit.endLine : 0;
  return {
    text: fit?.text ?? '',
    tokens: fit?.tokens ?? 0,
    sentLines,
    totalLines,
    note: linesSentNote(sentLines, totalLines),
  };
}

/** The line that stands where lines were left out: "… 3,400 lines left out …". */
export function leftOutMarker(lines: number): string {
  return `… ${formatCount(lines)} ${lines === 1 ? 'line' : 'lines'} left out …`;
}

/**
 * The first and last lines that fit `budget` tokens together with the marker between them; the head
 * gets up to half, the tail the rest. The marker uses the text's own line break (CRLF stays CRLF).
 * When not even the marker fits, the marker alone is sent: saying that lines were left out matters
 * more than a few tokens over.
 */
export function keepHeadAndTail(text: string, budget: number): HeadTailCut {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const totalLines = lines.length;
  const tokens = estimateTokens(text);
  if (tokens <= budget) return { text, tokens, totalLines, leftOutLines: 0 };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // The count in the marker is at most the total, so this bounds the marker's cost.
  const markerCost = estimateTokens(leftOutMarker(totalLines) + eol);
  const room = Math.max(0, budget - markerCost);
  let head = 0;
  let used = 0;
  while (head < totalLines) {
    const cost = estimateTokens(lines[head]);
    if (used + cost > room / 2) break;
    used += cost;
    head++;
  }
  let tail = 0;
  while (head + tail < totalLines) {
    const cost = estimateTokens(lines[totalLines - 1 - tail]);
    if (used + cost > room) break;
    used += cost;
    tail++;
  }
  const leftOutLines = totalLines - head - tail;
  const kept = lines.slice(0, head).join('');
  const marker = leftOutMarker(leftOutLines) + eol;
  const end = lines.slice(totalLines - tail).join('');
  // Every head line ends in a break (the last line of the text is never in the head), so the
  // marker starts a line of its own.
  const out = kept + marker + end;
  return { text: out, tokens: estimateTokens(out), totalLines, leftOutLines };
}

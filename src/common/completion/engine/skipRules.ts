import { globToRegExp } from '../../paths/glob';
import type { CompletionContext, SkipReason } from './types';

export interface SkipSettings {
  /** Non-whitespace characters right of the cursor (closers not counted) above which no request is made. */
  maxCharsRightOfCursor: number;
  /** Files longer than this (UTF-16 units) get no completion: a huge prompt window costs more than it helps. */
  maxFileChars: number;
  /** `relayChat.autocomplete.exclude`, matched against the path and against the file name alone. */
  exclude: readonly string[];
  /** A file whose lines average more than this many characters is minified (or data), whatever its name. */
  minifiedLineLength: number;
}

/** Secrets, lock files and minified bundles: completing them costs money and can leak a key. */
export const DEFAULT_EXCLUDE: readonly string[] = [
  '.env*',
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_ed25519*',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'Cargo.lock',
  'poetry.lock',
  'composer.lock',
  'Gemfile.lock',
  '*.min.js',
  '*.min.css',
];

export const DEFAULT_SKIP_SETTINGS: SkipSettings = {
  maxCharsRightOfCursor: 3,
  maxFileChars: 500_000,
  exclude: DEFAULT_EXCLUDE,
  minifiedLineLength: 300,
};

/**
 * Right of the cursor, these count as nothing: an editor's auto-closed brackets and quotes and the
 * `;` or `,` after them (`foo(|);`) are where completions are asked for most.
 */
const CLOSERS = new Set([...')]}>"\'`;,']);

/** How much of the file the minified check reads: enough to see a bundle, cheap on every keystroke. */
const MINIFIED_SAMPLE = 16_384;

export interface SkipRules {
  /** Why no request should be made here, or undefined to go ahead. */
  check(ctx: CompletionContext): SkipReason | undefined;
}

export function skipRules(settings: SkipSettings = DEFAULT_SKIP_SETTINGS): SkipRules {
  // Globs are compiled once per settings change, not per keystroke.
  const patterns = settings.exclude.map((g) => globToRegExp(g, { ignoreCase: true }));
  return {
    check(ctx) {
      if (ctx.cursors > 1) return 'multipleCursors';
      if (ctx.text.length > settings.maxFileChars) return 'fileTooLarge';
      if (isExcluded(ctx.path, patterns)) return 'excluded';
      if (charsRightOfCursor(ctx.text, ctx.offset) > settings.maxCharsRightOfCursor)
        return 'textRightOfCursor';
      if (looksMinified(ctx.text, settings.minifiedLineLength)) return 'minified';
      return undefined;
    },
  };
}

function isExcluded(path: string, patterns: readonly RegExp[]): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return patterns.some((p) => p.test(path) || p.test(name));
}

/** Non-whitespace characters between the cursor and the end of its line, closers not counted. */
export function charsRightOfCursor(text: string, offset: number): number {
  let count = 0;
  for (let i = offset; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') break;
    if (c !== ' ' && c !== '\t' && !CLOSERS.has(c)) count++;
  }
  return count;
}

/** Average line length over the file's start; a short file is never called minified. */
export function looksMinified(text: string, maxAverage: number): boolean {
  const end = Math.min(text.length, MINIFIED_SAMPLE);
  if (end < 2 * maxAverage) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return end / lines > maxAverage;
}

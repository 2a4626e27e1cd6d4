import { protectedBy } from '../edits/workspacePath';

/**
 * Files that look like secrets: never sent without the user confirming by name. The same glob rules
 * as `relayChat.edits.protectedFiles` (a pattern without a slash matches a name at any depth).
 */
export const DEFAULT_SECRET_PATTERNS: readonly string[] = ['.env*', '*.pem', '*.key', 'id_rsa*', '*.p12'];

/**
 * The pattern (as written) that makes `path` look like a secret, or undefined. Matched without
 * regard to case: `SERVER.PEM` holds a key as surely as `server.pem`, and on Windows and macOS it is
 * the same file.
 */
export function secretPattern(path: string, extraPatterns: readonly string[] = []): string | undefined {
  const patterns = [...DEFAULT_SECRET_PATTERNS, ...extraPatterns];
  const lowered = patterns.map((p) => p.toLowerCase());
  const hit = protectedBy(path.replace(/\\/g, '/').toLowerCase(), lowered);
  return hit === undefined ? undefined : patterns[lowered.indexOf(hit)];
}

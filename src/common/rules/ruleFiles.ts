import { isInside, toSlashes } from '../paths/workspaceFolder';

/**
 * Which files hold the project's rules, by where they sit in a workspace folder:
 * - `AGENTS.md` in any folder: the root one, and nested ones for the files below them;
 * - `CLAUDE.md` in any folder, read only where that folder has no `AGENTS.md` (applicableRules
 *   decides, since it needs the folder's other files);
 * - `.github/copilot-instructions.md` at the folder's root;
 * - `.github/instructions/*.instructions.md` at the folder's root, one level deep, which is
 *   where VS Code looks by default.
 * Names are exact, as Codex and VS Code look them up. Nothing under `node_modules` or `.git`
 * counts: a vendored package's AGENTS.md speaks to that package's authors, not to this project.
 */

export type RuleFileKind = 'agents' | 'claude' | 'copilot' | 'instructions';

/** For `workspace.findFiles` and a file watcher, relative to each workspace folder. */
export const RULE_FILES_GLOB =
  '{**/AGENTS.md,**/CLAUDE.md,.github/copilot-instructions.md,.github/instructions/*.instructions.md}';
/** What the listing may skip; `ruleFileKind` refuses these paths anyway. */
export const RULE_FILES_EXCLUDE = '**/{node_modules,.git}/**';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** The kind of rule file at `relative` (slash-separated, relative to its workspace folder), if any. */
export function ruleFileKind(relative: string): RuleFileKind | undefined {
  const segments = toSlashes(relative).split('/');
  if (segments.slice(0, -1).some((s) => SKIPPED_FOLDERS.has(s))) return undefined;
  const name = segments[segments.length - 1];
  if (segments.length === 2 && segments[0] === '.github' && name === 'copilot-instructions.md')
    return 'copilot';
  if (segments.length === 3 && segments[0] === '.github' && segments[1] === 'instructions')
    return /.\.instructions\.md$/.test(name) ? 'instructions' : undefined;
  if (name === 'AGENTS.md') return 'agents';
  if (name === 'CLAUDE.md') return 'claude';
  return undefined;
}

/**
 * The rule files among a listing of every file under `folderPath` (absolute paths in and out,
 * any slashes in, forward slashes out), sorted. Paths outside the folder are ignored.
 */
export function ruleFilesIn(
  folderPath: string,
  listing: readonly string[],
  caseInsensitive = false,
): string[] {
  const root = toSlashes(folderPath).replace(/\/+$/, '');
  const found = new Set<string>();
  for (const entry of listing) {
    const path = toSlashes(entry);
    if (path === root || !isInside(path, root, caseInsensitive)) continue;
    if (ruleFileKind(path.slice(root.length + 1))) found.add(path);
  }
  return [...found].sort();
}

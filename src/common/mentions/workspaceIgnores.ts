import ignore, { type Ignore } from 'ignore';
import { globToRegExp } from '../paths/glob';

/**
 * What the `@` picker leaves out of a workspace folder: `files.exclude` and `search.exclude` (as
 * VS Code's search does), and the folder's `.gitignore` files, nested ones included. The `ignore`
 * package reads the `.gitignore` rules (negation, anchoring, directory-only patterns and the rest
 * of git's grammar are easy to get subtly wrong by hand). Not read: `.git/info/exclude` and git's
 * global excludes file, which live outside the workspace.
 */

/** `files.exclude` / `search.exclude` as the settings hold them. */
export type ExcludeSetting = Readonly<Record<string, unknown>>;

/**
 * The patterns switched on. A pattern with a `when` clause (exclude `$(basename).js` only beside a
 * `.ts`) is left out: it depends on sibling files, and listing a file too many is the safe side.
 */
export function excludePatterns(...settings: (ExcludeSetting | undefined)[]): string[] {
  const out = new Set<string>();
  for (const setting of settings) {
    for (const [pattern, on] of Object.entries(setting ?? {})) if (on === true) out.add(pattern);
  }
  return [...out];
}

/**
 * `{a,b}` alternatives written out: VS Code's glob reads no group inside a group, and the exclude
 * glob for `findFiles` is one group of every pattern.
 */
export function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  if (open < 0) return [glob];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === ',' && depth === 1) commas.push(i);
    else if (glob[i] === '}' && --depth === 0) {
      const before = glob.slice(0, open);
      const after = glob.slice(i + 1);
      const bounds = [open, ...commas, i];
      const options = bounds.slice(1).map((end, k) => glob.slice(bounds[k] + 1, end));
      return options.flatMap((option) => expandBraces(before + option + after));
    }
  }
  return [glob]; // an unclosed `{` stands for itself
}

/** One glob for `findFiles`' exclude argument, or undefined for none. */
export function findFilesExclude(patterns: readonly string[]): string | undefined {
  const all = [...new Set(patterns.flatMap(expandBraces))].filter((p) => !p.includes(','));
  if (!all.length) return undefined;
  return all.length === 1 ? all[0] : `{${all.join(',')}}`;
}

export interface GitignoreFile {
  /** The folder holding it, relative to the workspace folder (`''` at its root). */
  dir: string;
  text: string;
}

export class WorkspaceIgnores {
  private readonly globs: RegExp[];
  private readonly gitignores: { dir: string; rules: Ignore }[];
  private readonly dirs = new Map<string, boolean>();

  constructor(patterns: readonly string[], gitignores: readonly GitignoreFile[] = [], ignoreCase = false) {
    this.globs = patterns.map((p) => globToRegExp(p.replace(/\/+$/, '')));
    this.gitignores = gitignores
      .map((g) => ({ dir: g.dir.replace(/\/+$/, ''), rules: ignore({ ignorecase: ignoreCase }).add(g.text) }))
      // Outermost first: a deeper file's rules are read last and win, as in git.
      .sort((a, b) => depth(a.dir) - depth(b.dir));
  }

  /** Whether a path (relative to the workspace folder, slash-separated) is left out. */
  ignores(relative: string): boolean {
    const slash = relative.lastIndexOf('/');
    if (slash > 0 && this.ignoresDir(relative.slice(0, slash))) return true;
    return this.matches(relative, false);
  }

  /** A folder is left out when it or a folder above it is: nothing below it can come back. */
  private ignoresDir(dir: string): boolean {
    const known = this.dirs.get(dir);
    if (known !== undefined) return known;
    const slash = dir.lastIndexOf('/');
    const result = (slash > 0 && this.ignoresDir(dir.slice(0, slash))) || this.matches(dir, true);
    this.dirs.set(dir, result);
    return result;
  }

  private matches(path: string, isDir: boolean): boolean {
    if (this.globs.some((g) => g.test(path))) return true;
    let ignored = false;
    for (const { dir, rules } of this.gitignores) {
      if (dir && !path.startsWith(`${dir}/`)) continue;
      const rel = dir ? path.slice(dir.length + 1) : path;
      try {
        const result = rules.test(isDir ? `${rel}/` : rel);
        if (result.ignored) ignored = true;
        else if (result.unignored) ignored = false;
      } catch {
        // A path the package refuses (it cannot come from a listing): not ignored by this file.
      }
    }
    return ignored;
  }
}

function depth(dir: string): number {
  return dir ? dir.split('/').length : 0;
}

import { globToRegExp } from '../paths/glob';
import { isInside, toSlashes, type WorkspaceFolderInfo } from '../paths/workspaceFolder';

// Where they were first defined; the edit tools' callers still import them from here.
export { isInside, toSlashes, type WorkspaceFolderInfo };

/**
 * Which file a tool's `path` names, and whether the model may touch it. Paths are relative to the
 * first workspace folder, or start with another folder's name; absolute paths, `..`, and symlinks
 * that lead outside the workspace folders are refused, as are the protected files.
 */

export type ResolvedPath =
  | {
      ok: true;
      folder: WorkspaceFolderInfo;
      /** Relative to its folder, forward slashes, no `.` segments. */
      relative: string;
      /** What the model should call it: prefixed with the folder's name in a multi-root workspace. */
      display: string;
      absolute: string;
    }
  | { ok: false; reason: string };

/** Patterns that are never edited (nor read): secrets and the repository's own data. */
export const DEFAULT_PROTECTED = ['.git/**', '.env*', '*.pem', '*.key', 'id_*'];

function isAbsolute(path: string): boolean {
  return /^([a-zA-Z]:)?\//.test(path) || path.startsWith('~');
}

/** Where `path` points, before symlinks are looked at. */
export function resolveWorkspacePath(input: string, folders: readonly WorkspaceFolderInfo[]): ResolvedPath {
  const path = toSlashes(input.trim());
  if (!folders.length)
    return { ok: false, reason: 'No folder is open in the workspace, so no file can be used.' };
  if (!path) return { ok: false, reason: 'The path is empty. Give a path relative to the workspace folder.' };
  if (isAbsolute(path)) {
    return {
      ok: false,
      reason: `"${input}" is an absolute path. Give a path relative to the workspace folder, for example "src/index.ts".`,
    };
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    return {
      ok: false,
      reason: `"${input}" contains "..". Only files inside the workspace folder can be used.`,
    };
  }
  let folder = folders[0];
  if (folders.length > 1) {
    const named = folders.find((f) => f.name === segments[0]);
    if (named) {
      folder = named;
      segments.shift();
    }
  }
  const relative = segments.join('/');
  if (!relative) return { ok: false, reason: `"${input}" names the workspace folder itself, not a file.` };
  return {
    ok: true,
    folder,
    relative,
    display: folders.length > 1 ? `${folder.name}/${relative}` : relative,
    absolute: `${folder.path.replace(/\/+$/, '')}/${relative}`,
  };
}

/** Refusal text when the real path (symlinks followed) leaves every workspace folder. */
export function checkRealPath(
  display: string,
  realPath: string,
  realFolders: readonly string[],
  caseInsensitive = false,
): string | undefined {
  const real = toSlashes(realPath);
  if (realFolders.some((root) => isInside(real, toSlashes(root), caseInsensitive))) return undefined;
  return `"${display}" is a symlink that leads outside the workspace (to ${real}). Only files inside the workspace folders can be used.`;
}

/**
 * The protected pattern a workspace-relative path matches, if any. A pattern without a slash
 * matches a file or folder name at any depth (as .gitignore does); one with a slash matches from
 * any folder down, so `.git/**` also covers a nested repository.
 */
export function protectedBy(relative: string, patterns: readonly string[]): string | undefined {
  const segments = relative.split('/');
  for (const pattern of patterns) {
    const p = toSlashes(pattern.trim()).replace(/^\//, '');
    if (!p) continue;
    const re = globToRegExp(p);
    if (!p.includes('/')) {
      if (segments.some((s) => re.test(s))) return pattern;
      continue;
    }
    for (let k = 0; k < segments.length; k++) {
      if (re.test(segments.slice(k).join('/'))) return pattern;
    }
  }
  return undefined;
}

/**
 * Why a tool's glob cannot be used, or undefined: a glob is read inside each workspace folder, so an
 * absolute one or one with `..` would reach outside it.
 */
export function globRefusal(glob: string): string | undefined {
  const g = toSlashes(glob.trim());
  if (isAbsolute(g)) {
    return `The glob "${glob}" is absolute. Give one relative to the workspace folder, for example "src/**/*.ts".`;
  }
  if (g.split('/').includes('..')) {
    return `The glob "${glob}" contains "..". Only files inside the workspace folder can be searched.`;
  }
  return undefined;
}

/** How the tools print an absolute path inside a workspace folder; undefined outside them all. */
export function workspaceDisplay(
  absolute: string,
  folders: readonly WorkspaceFolderInfo[],
  caseInsensitive = false,
): string | undefined {
  const path = toSlashes(absolute);
  for (const folder of folders) {
    const root = folder.path.replace(/\/+$/, '');
    if (path === root || !isInside(path, root, caseInsensitive)) continue;
    const relative = path.slice(root.length + 1);
    return folders.length > 1 ? `${folder.name}/${relative}` : relative;
  }
  return undefined;
}

/** A workspace folder as the common layer sees it, and the slash-separated paths inside it. */

export interface WorkspaceFolderInfo {
  name: string;
  /** The folder on disk, with forward slashes (`/home/me/app`, `c:/work/app`). */
  path: string;
}

export function toSlashes(path: string): string {
  return path.replace(/\\/g, '/');
}

/** Whether `path` is `root` or below it (both with forward slashes). */
export function isInside(path: string, root: string, caseInsensitive = false): boolean {
  const norm = (p: string) => (caseInsensitive ? p.toLowerCase() : p).replace(/\/+$/, '');
  const p = norm(path);
  const r = norm(root);
  return p === r || p.startsWith(r + '/');
}

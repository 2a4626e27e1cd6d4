/**
 * Which of a folder's files the host reads for a folder mention, in the order the request tries
 * them: shallow before deep (a folder's own files say what it is), small before large (more of them
 * fit). A file over the per-file cap is not read at all, and reading stops once the read ones pass
 * the folder's budget: the rest could never fit a request's share, so each is only counted.
 */

export interface SizedFile {
  /** Relative to the folder. */
  path: string;
  bytes: number;
}

export interface FolderReadPlan {
  read: SizedFile[];
  /** Over the per-file cap. */
  tooLarge: SizedFile[];
  /** Past the folder's budget. */
  overBudget: SizedFile[];
}

export const FOLDER_FILE_CAP = 256 * 1024;
export const FOLDER_READ_BUDGET = 2 * 1024 * 1024;

export function folderReadPlan(
  files: readonly SizedFile[],
  fileCap = FOLDER_FILE_CAP,
  budget = FOLDER_READ_BUDGET,
): FolderReadPlan {
  const depth = (p: string) => p.split('/').length;
  const ordered = [...files].sort(
    (a, b) =>
      depth(a.path) - depth(b.path) || a.bytes - b.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  const plan: FolderReadPlan = { read: [], tooLarge: [], overBudget: [] };
  let used = 0;
  for (const file of ordered) {
    if (file.bytes > fileCap) plan.tooLarge.push(file);
    else if (used + file.bytes > budget) plan.overBudget.push(file);
    else {
      plan.read.push(file);
      used += file.bytes;
    }
  }
  return plan;
}

/** 262144 → "256 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

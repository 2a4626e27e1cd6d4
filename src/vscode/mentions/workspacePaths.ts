import * as vscode from 'vscode';
import { resolveWorkspacePath, toSlashes } from '../../common/edits/workspacePath';

/**
 * A mention's path (as the picker shows it: folder-prefixed in a multi-root workspace) and the file
 * it names, both ways. The root of a single-folder workspace is `.`; in a multi-root workspace a
 * root is its folder's name.
 */

export interface Located {
  folder: vscode.WorkspaceFolder;
  /** Relative to the folder, slash-separated; `''` for the folder itself. */
  relative: string;
  /** As the picker shows it. */
  shown: string;
  uri: vscode.Uri;
}

function folders(): readonly vscode.WorkspaceFolder[] {
  return vscode.workspace.workspaceFolders ?? [];
}

/** What a shown path names, or why it names nothing in the workspace. */
export function locate(shown: string): Located | { reason: string } {
  const all = folders();
  const multi = all.length > 1;
  const root = multi
    ? all.find((f) => f.name === shown.replace(/\/+$/, ''))
    : shown === '.'
      ? all[0]
      : undefined;
  if (root) return { folder: root, relative: '', shown, uri: root.uri };
  const resolved = resolveWorkspacePath(
    shown,
    all.map((f) => ({ name: f.name, path: toSlashes(f.uri.path) })),
  );
  if (!resolved.ok) return { reason: resolved.reason };
  const folder = all.find(
    (f) => f.name === resolved.folder.name && toSlashes(f.uri.path) === resolved.folder.path,
  )!;
  return {
    folder,
    relative: resolved.relative,
    shown: resolved.display,
    uri: vscode.Uri.joinPath(folder.uri, resolved.relative),
  };
}

/** Where a file or folder sits in the workspace, or undefined outside it. */
export function locateUri(uri: vscode.Uri): Located | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const base = folder.uri.path.replace(/\/+$/, '');
  const relative =
    uri.path === base ? '' : uri.path.startsWith(`${base}/`) ? uri.path.slice(base.length + 1) : undefined;
  if (relative === undefined) return undefined;
  return { folder, relative, shown: shownPath(folder, relative), uri };
}

export function shownPath(folder: vscode.WorkspaceFolder, relative: string): string {
  if (folders().length > 1) return relative ? `${folder.name}/${relative}` : folder.name;
  return relative || '.';
}

import * as vscode from 'vscode';
import {
  folderReadPlan,
  formatBytes,
  FOLDER_FILE_CAP,
  type SizedFile,
} from '../../common/mentions/folderFiles';
import type { MentionFile, ResolvedMention } from '../../common/mentions/mentionTypes';
import { readError, readFileContent } from './fileReader';
import type { FileIndex } from './fileIndex';
import { shownPath, type Located } from './workspacePaths';

/**
 * A folder mention: its tree from the picker's index (so the same ignores apply), and its files in
 * the order the request tries them (see folderReadPlan). Files not read are passed on as
 * `unreadable` with the reason, so the request's note counts them rather than dropping them.
 */

/** Files stat'ed for the read plan, shallowest first; a folder holding more is only partly read. */
const MAX_STAT = 1000;

export async function resolveFolder(
  index: FileIndex,
  at: Located,
  remember: (file: MentionFile, uri: vscode.Uri) => MentionFile,
): Promise<ResolvedMention> {
  const missing = await missingReason(at.uri);
  if (missing)
    return {
      kind: 'folder',
      path: at.shown,
      tree: [],
      files: [{ path: at.shown, content: { type: 'unreadable', reason: missing } }],
    };
  await index.ready();
  const tree = index.index.filesUnder(at.folder.name, at.relative);
  const prefix = at.relative ? `${at.relative}/` : '';
  const byDepth = [...tree].sort((a, b) => a.split('/').length - b.split('/').length);
  const stated = await Promise.all(byDepth.slice(0, MAX_STAT).map((path) => sized(at, path)));
  const plan = folderReadPlan(stated.filter((f): f is SizedFile => f !== undefined));
  const fileOf = (path: string) => shownPath(at.folder, prefix + path);
  const read = await Promise.all(
    plan.read.map(async (f): Promise<MentionFile> => {
      const uri = vscode.Uri.joinPath(at.uri, f.path);
      return remember({ path: fileOf(f.path), content: await readFileContent(uri, { outline: false }) }, uri);
    }),
  );
  const unread = (reason: string) => (path: string) => ({
    path: fileOf(path),
    content: { type: 'unreadable' as const, reason },
  });
  const files: MentionFile[] = [
    ...read,
    ...plan.tooLarge.map((f) =>
      unread(
        `too large (${formatBytes(f.bytes)}; a folder's files over ${formatBytes(FOLDER_FILE_CAP)} are not read)`,
      )(f.path),
    ),
    ...[...plan.overBudget.map((f) => f.path), ...byDepth.slice(MAX_STAT)].map(
      unread('not read: the files before it already fill more than a request can carry'),
    ),
  ];
  return { kind: 'folder', path: at.shown, tree, files };
}

/** Why a folder mention names nothing (gone, or a file now), or undefined. */
async function missingReason(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return stat.type & vscode.FileType.Directory ? undefined : 'it is no longer a folder';
  } catch (error) {
    return readError(error);
  }
}

async function sized(at: Located, path: string): Promise<SizedFile | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(at.uri, path));
    return { path, bytes: stat.size };
  } catch {
    return undefined; // gone since it was listed: the tree still shows it, the files do not
  }
}

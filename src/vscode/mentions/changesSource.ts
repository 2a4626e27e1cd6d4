import * as vscode from 'vscode';
import { changesText, type RepositoryChanges } from '../../common/mentions/changesText';
import { UNTRACKED, type GitExtension, type GitRepository } from './gitApi';
import { locateUri } from './workspacePaths';

/**
 * `@changes`: every repository's staged and unstaged diff and its untracked files, read through the
 * built-in git extension (it knows the repositories, and git's path on this machine).
 */
export async function changesMentionText(): Promise<string> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return "VS Code's built-in Git extension is not available, so the changes cannot be read.";
  try {
    const git = extension.isActive ? extension.exports : await extension.activate();
    if (!git.enabled) return 'Git is turned off in VS Code (git.enabled), so the changes cannot be read.';
    const repositories = git.getAPI(1).repositories;
    if (!repositories.length) return 'No git repository is open in this workspace.';
    return changesText(await Promise.all(repositories.map(changesOf)));
  } catch (error) {
    return `The changes could not be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function changesOf(repo: GitRepository): Promise<RepositoryChanges> {
  const label = locateUri(repo.rootUri)?.shown ?? repo.rootUri.fsPath;
  const [staged, unstaged] = await Promise.all([repo.diff(true), repo.diff(false)]);
  const untracked = [
    ...(repo.state.untrackedChanges ?? []),
    ...repo.state.workingTreeChanges.filter((c) => c.status === UNTRACKED),
  ];
  const base = repo.rootUri.path.replace(/\/+$/, '') + '/';
  const names = [
    ...new Set(
      untracked.map((c) => (c.uri.path.startsWith(base) ? c.uri.path.slice(base.length) : c.uri.fsPath)),
    ),
  ];
  return { label, staged, unstaged, untracked: names.sort() };
}

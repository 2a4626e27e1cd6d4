/**
 * `@changes` as the model reads it: per repository, the staged diff, the unstaged diff and the
 * untracked files by name (their content is not in any diff; the user can mention them).
 */

export interface RepositoryChanges {
  /** The repository as the user knows it: its workspace path, or its folder's name. */
  label: string;
  staged: string;
  unstaged: string;
  untracked: readonly string[];
}

export function changesText(repositories: readonly RepositoryChanges[]): string {
  if (!repositories.length) return 'No git repository is open in this workspace.';
  const many = repositories.length > 1;
  return repositories
    .map((repo) => {
      const staged = repo.staged.trim();
      const unstaged = repo.unstaged.trim();
      const head = many ? `Repository ${repo.label}:` : '';
      if (!staged && !unstaged && !repo.untracked.length)
        return `${head}${head ? ' ' : ''}No uncommitted changes.`;
      const out = head ? [head] : [];
      out.push(staged ? `Staged changes:\n${staged}` : 'Staged changes: none.');
      out.push(unstaged ? `Unstaged changes:\n${unstaged}` : 'Unstaged changes: none.');
      if (repo.untracked.length) out.push(`Untracked files (not in the diff):\n${repo.untracked.join('\n')}`);
      return out.join('\n\n');
    })
    .join('\n\n');
}

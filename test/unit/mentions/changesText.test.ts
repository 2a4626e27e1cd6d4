import assert from 'node:assert/strict';
import { changesText } from '../../../src/common/mentions/changesText';

describe('mentions: changes text', () => {
  it('labels the staged and unstaged diffs and lists untracked files', () => {
    const text = changesText([
      { label: 'app', staged: 'diff --git a/x b/x\n+1\n', unstaged: '', untracked: ['new.ts', 'b/c.md'] },
    ]);
    assert.equal(
      text,
      'Staged changes:\ndiff --git a/x b/x\n+1\n\nUnstaged changes: none.\n\nUntracked files (not in the diff):\nnew.ts\nb/c.md',
    );
  });

  it('names each repository when there are several, and says which have no changes', () => {
    const text = changesText([
      { label: 'web', staged: '', unstaged: '', untracked: [] },
      { label: 'api', staged: '', unstaged: 'diff\n-a', untracked: [] },
    ]);
    assert.equal(
      text,
      'Repository web: No uncommitted changes.\n\nRepository api:\n\nStaged changes: none.\n\nUnstaged changes:\ndiff\n-a',
    );
  });

  it('says when there is no repository', () => {
    assert.equal(changesText([]), 'No git repository is open in this workspace.');
  });
});

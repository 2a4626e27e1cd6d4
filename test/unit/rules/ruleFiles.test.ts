import assert from 'node:assert/strict';
import { globToRegExp } from '../../../src/common/paths/glob';
import { RULE_FILES_GLOB, ruleFileKind, ruleFilesIn } from '../../../src/common/rules/ruleFiles';

describe('ruleFileKind', () => {
  it('knows AGENTS.md and CLAUDE.md at any depth', () => {
    assert.equal(ruleFileKind('AGENTS.md'), 'agents');
    assert.equal(ruleFileKind('packages/app/AGENTS.md'), 'agents');
    assert.equal(ruleFileKind('CLAUDE.md'), 'claude');
    assert.equal(ruleFileKind('docs/CLAUDE.md'), 'claude');
  });

  it('knows copilot-instructions.md and *.instructions.md only in the root .github folder', () => {
    assert.equal(ruleFileKind('.github/copilot-instructions.md'), 'copilot');
    assert.equal(ruleFileKind('sub/.github/copilot-instructions.md'), undefined);
    assert.equal(ruleFileKind('.github/instructions/ts.instructions.md'), 'instructions');
    assert.equal(ruleFileKind('.github/instructions/deep/ts.instructions.md'), undefined);
    assert.equal(ruleFileKind('.github/instructions/.instructions.md'), undefined);
    assert.equal(ruleFileKind('.github/instructions/notes.md'), undefined);
  });

  it('takes names exactly and skips node_modules and .git', () => {
    assert.equal(ruleFileKind('agents.md'), undefined);
    assert.equal(ruleFileKind('README.md'), undefined);
    assert.equal(ruleFileKind('node_modules/pkg/AGENTS.md'), undefined);
    assert.equal(ruleFileKind('a/.git/CLAUDE.md'), undefined);
  });

  it('is what RULE_FILES_GLOB lists, so a watcher on the glob sees every rule file', () => {
    const glob = globToRegExp(RULE_FILES_GLOB);
    for (const path of [
      'AGENTS.md',
      'a/b/AGENTS.md',
      'CLAUDE.md',
      'a/CLAUDE.md',
      '.github/copilot-instructions.md',
      '.github/instructions/x.instructions.md',
    ]) {
      assert.ok(ruleFileKind(path), path);
      assert.ok(glob.test(path), path);
    }
    for (const path of ['.github/instructions/a/x.instructions.md', 'x/.github/copilot-instructions.md'])
      assert.equal(glob.test(path), false, path);
  });
});

describe('ruleFilesIn', () => {
  it('picks the rule files from a folder listing, sorted, with forward slashes', () => {
    const listing = [
      'C:\\work\\app\\src\\AGENTS.md',
      'C:\\work\\app\\src\\index.ts',
      'C:\\work\\app\\AGENTS.md',
      'C:\\work\\app\\.github\\instructions\\ts.instructions.md',
      'C:\\work\\app\\node_modules\\x\\AGENTS.md',
      'C:\\work\\other\\AGENTS.md',
    ];
    assert.deepEqual(ruleFilesIn('C:\\work\\app', listing), [
      'C:/work/app/.github/instructions/ts.instructions.md',
      'C:/work/app/AGENTS.md',
      'C:/work/app/src/AGENTS.md',
    ]);
  });

  it('compares the folder without regard to case when told to', () => {
    assert.deepEqual(ruleFilesIn('/Work/App', ['/work/app/AGENTS.md']), []);
    assert.deepEqual(ruleFilesIn('/Work/App', ['/work/app/AGENTS.md'], true), ['/work/app/AGENTS.md']);
  });
});

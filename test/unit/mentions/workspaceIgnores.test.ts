import assert from 'node:assert/strict';
import {
  excludePatterns,
  expandBraces,
  findFilesExclude,
  WorkspaceIgnores,
} from '../../../src/common/mentions/workspaceIgnores';

describe('mentions: workspace ignores', () => {
  it('takes the patterns switched on from files.exclude and search.exclude', () => {
    assert.deepEqual(
      excludePatterns(
        { '**/.git': true, '**/*.js': { when: '$(basename).ts' }, off: false },
        { '**/node_modules': true, '**/.git': true },
      ),
      ['**/.git', '**/node_modules'],
    );
  });

  it('writes out brace groups for one findFiles exclude glob', () => {
    assert.deepEqual(expandBraces('**/*.{js,map}'), ['**/*.js', '**/*.map']);
    assert.deepEqual(expandBraces('{a,b{c,d}}/x'), ['a/x', 'bc/x', 'bd/x']);
    assert.deepEqual(expandBraces('a{b'), ['a{b']);
    assert.equal(findFilesExclude([]), undefined);
    assert.equal(findFilesExclude(['**/.git']), '**/.git');
    assert.equal(findFilesExclude(['**/.git', 'out/*.{js,map}']), '{**/.git,out/*.js,out/*.map}');
  });

  it('leaves out what the settings exclude, and everything below an excluded folder', () => {
    const ig = new WorkspaceIgnores(['**/node_modules', 'out', '**/*.code-search']);
    assert.equal(ig.ignores('node_modules/x/index.js'), true);
    assert.equal(ig.ignores('pkg/node_modules/a.js'), true);
    assert.equal(ig.ignores('out/main.js'), true);
    assert.equal(ig.ignores('src/out/main.js'), false);
    assert.equal(ig.ignores('a.code-search'), true);
    assert.equal(ig.ignores('src/a.ts'), false);
  });

  it('reads .gitignore files, nested ones applying below their folder', () => {
    const ig = new WorkspaceIgnores(
      [],
      [
        { dir: '', text: '# build\ndist/\n*.log\n!keep.log\n/root-only.txt\n' },
        { dir: 'pkg', text: 'generated/\n!important.log\n' },
      ],
    );
    assert.equal(ig.ignores('dist/a.js'), true);
    assert.equal(ig.ignores('src/dist/a.js'), true);
    assert.equal(ig.ignores('x.log'), true);
    assert.equal(ig.ignores('keep.log'), false);
    assert.equal(ig.ignores('root-only.txt'), true);
    assert.equal(ig.ignores('src/root-only.txt'), false);
    assert.equal(ig.ignores('pkg/generated/x.ts'), true);
    assert.equal(ig.ignores('generated/x.ts'), false);
    assert.equal(ig.ignores('pkg/important.log'), false);
    assert.equal(ig.ignores('pkg/other.log'), true);
  });

  it('a file below an ignored folder stays ignored whatever a deeper file says', () => {
    const ig = new WorkspaceIgnores(
      [],
      [
        { dir: '', text: 'vendor/\n' },
        { dir: 'vendor/lib', text: '!*.ts\n' },
      ],
    );
    assert.equal(ig.ignores('vendor/lib/a.ts'), true);
  });
});

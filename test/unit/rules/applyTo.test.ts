import assert from 'node:assert/strict';
import { matchApplyTo, readInstructionsFile, splitFrontMatter } from '../../../src/common/rules/applyTo';

describe('splitFrontMatter', () => {
  it('reads quoted and unquoted fields and returns the text after the block', () => {
    const { fields, body } = splitFrontMatter(
      "---\napplyTo: \"src/**/*.ts\"\ndescription: 'It''s for TS'\nname: plain # a comment\n---\n# Body\ntext",
    );
    assert.deepEqual(Object.fromEntries(fields), {
      applyTo: 'src/**/*.ts',
      description: "It's for TS",
      name: 'plain',
    });
    assert.equal(body, '# Body\ntext');
  });

  it('reads a YAML list under a key, block or flow, as a comma-separated list', () => {
    assert.equal(
      splitFrontMatter('---\napplyTo:\n  - "**/*.ts"\n  - docs/**\n---\n').fields.get('applyTo'),
      '**/*.ts,docs/**',
    );
    assert.equal(
      splitFrontMatter('---\napplyTo: [\'**/*.ts\', "*.{md,txt}"]\n---\n').fields.get('applyTo'),
      '**/*.ts,*.{md,txt}',
    );
  });

  it('takes text without an opening or a closing --- as all body', () => {
    assert.deepEqual(Object.fromEntries(splitFrontMatter('# Title\n---\napplyTo: x\n---').fields), {});
    const unclosed = '---\napplyTo: x\nno end';
    assert.equal(splitFrontMatter(unclosed).body, unclosed);
    assert.equal(splitFrontMatter(unclosed).fields.size, 0);
  });
});

describe('readInstructionsFile', () => {
  it('gives the globs of applyTo, split outside braces', () => {
    assert.deepEqual(
      readInstructionsFile('---\napplyTo: "**/*.ts, src/**/*.{js,jsx}"\n---\nUse semicolons.'),
      {
        applyTo: ['**/*.ts', 'src/**/*.{js,jsx}'],
        body: 'Use semicolons.',
      },
    );
  });

  it('gives no globs without front matter, without applyTo, or with an empty one', () => {
    assert.equal(readInstructionsFile('Always.').applyTo, undefined);
    assert.equal(readInstructionsFile('---\ndescription: x\n---\nAlways.').applyTo, undefined);
    assert.equal(readInstructionsFile('---\napplyTo: ""\n---\nAlways.').applyTo, undefined);
  });
});

describe('matchApplyTo', () => {
  it('matches a relative glob at any depth, as VS Code puts **/ in front', () => {
    assert.deepEqual(matchApplyTo(['src/**/*.ts'], ['packages/app/src/a/b.ts']), {
      glob: 'src/**/*.ts',
      file: 'packages/app/src/a/b.ts',
    });
    assert.deepEqual(matchApplyTo(['*.py'], ['tools/run.py']), { glob: '*.py', file: 'tools/run.py' });
  });

  it('anchors a glob with a leading slash at the workspace folder', () => {
    assert.deepEqual(matchApplyTo(['/src/**'], ['src/a.ts']), { glob: '/src/**', file: 'src/a.ts' });
    assert.equal(matchApplyTo(['/src/**'], ['lib/src/a.ts']), undefined);
  });

  it('ignores case, as VS Code does', () => {
    assert.deepEqual(matchApplyTo(['**/*.TS'], ['Src/A.ts']), { glob: '**/*.TS', file: 'Src/A.ts' });
  });

  it('does not match files the globs do not name', () => {
    assert.equal(matchApplyTo(['**/*.py', 'docs/**'], ['src/a.ts', 'README.md']), undefined);
  });

  it('reports the first glob in the file that matches, with the first file it matches', () => {
    assert.deepEqual(matchApplyTo(['**/*.py', '**/*.ts', '**/*.md'], ['a.md', 'b.ts', 'c.ts']), {
      glob: '**/*.ts',
      file: 'b.ts',
    });
  });

  it('applies the match-all globs even to a question without files', () => {
    for (const glob of ['**', '**/*', '*']) assert.deepEqual(matchApplyTo([glob], []), { glob });
    assert.equal(matchApplyTo(['**/*.ts'], []), undefined);
  });
});

import assert from 'node:assert/strict';
import type { WorkspaceFolderInfo } from '../../../src/common/paths/workspaceFolder';
import {
  applicableRules,
  type AppliedRule,
  type RulesInput,
} from '../../../src/common/rules/applicableRules';
import { ruleFilesIn } from '../../../src/common/rules/ruleFiles';

const APP: WorkspaceFolderInfo = { name: 'app', path: '/w/app' };

/** A workspace on a fake disk: the rule files are found the way the vscode layer will find them. */
function workspace(disk: Record<string, string>, folders: WorkspaceFolderInfo[] = [APP]) {
  const reads: string[] = [];
  const input = (requestFiles: string[], extra: Partial<RulesInput> = {}): RulesInput => ({
    folders,
    ruleFiles: folders.flatMap((f) => ruleFilesIn(f.path, Object.keys(disk))),
    requestFiles,
    read: async (path) => {
      reads.push(path);
      return disk[path];
    },
    ...extra,
  });
  return { input, reads };
}

/** What the chip shows: each rule's path and why it applied. */
const summary = (rules: AppliedRule[]) =>
  rules.map((r) => {
    const why = r.reason.kind === 'nested' ? `nested for ${r.reason.file}` : r.reason.kind;
    return r.reason.kind === 'applyTo'
      ? `${r.display} (applyTo ${r.reason.glob} ${r.reason.file ?? '-'})`
      : `${r.display} (${why})`;
  });

const NESTED = {
  '/w/app/AGENTS.md': 'root rules',
  '/w/app/packages/AGENTS.md': 'packages rules',
  '/w/app/packages/web/AGENTS.md': 'web rules',
  '/w/app/packages/web/src/main.ts': '',
  '/w/app/packages/api/AGENTS.md': 'api rules',
  '/w/app/docs/guide.md': '',
};

describe('applicableRules', () => {
  it('applies the root AGENTS.md to a question without files, with its text', async () => {
    const { input } = workspace({ '/w/app/AGENTS.md': 'Use tabs.', '/w/app/src/AGENTS.md': 'nested' });
    assert.deepEqual(await applicableRules(input([])), [
      {
        folder: 'app',
        path: 'AGENTS.md',
        display: 'AGENTS.md',
        absolute: '/w/app/AGENTS.md',
        kind: 'agents',
        reason: { kind: 'root' },
        text: 'Use tabs.',
      },
    ]);
  });

  it('applies every AGENTS.md from the root down to a file, outermost first, and none beside its path', async () => {
    const { input } = workspace(NESTED);
    assert.deepEqual(summary(await applicableRules(input(['/w/app/packages/web/src/main.ts']))), [
      'AGENTS.md (root)',
      'packages/AGENTS.md (nested for packages/web/src/main.ts)',
      'packages/web/AGENTS.md (nested for packages/web/src/main.ts)',
    ]);
  });

  it('applies no nested AGENTS.md to a file outside their folders', async () => {
    const { input } = workspace(NESTED);
    assert.deepEqual(summary(await applicableRules(input(['/w/app/docs/guide.md']))), ['AGENTS.md (root)']);
  });

  it('counts the AGENTS.md in the file’s own folder as above it', async () => {
    const { input } = workspace(NESTED);
    assert.deepEqual(summary(await applicableRules(input(['/w/app/packages/api/server.ts']))), [
      'AGENTS.md (root)',
      'packages/AGENTS.md (nested for packages/api/server.ts)',
      'packages/api/AGENTS.md (nested for packages/api/server.ts)',
    ]);
  });

  it('lists a file that applies for several request files once, naming the first, outermost first overall', async () => {
    const { input } = workspace(NESTED);
    const rules = await applicableRules(
      input(['/w/app/packages/web/src/main.ts', '/w/app/packages/api/server.ts', '/w/app/packages/web/b.ts']),
    );
    assert.deepEqual(summary(rules), [
      'AGENTS.md (root)',
      'packages/AGENTS.md (nested for packages/web/src/main.ts)',
      'packages/api/AGENTS.md (nested for packages/api/server.ts)',
      'packages/web/AGENTS.md (nested for packages/web/src/main.ts)',
    ]);
  });

  it('orders nested files by depth across branches, not by path', async () => {
    const { input } = workspace({ ...NESTED, '/w/app/tools/AGENTS.md': 'tools rules' });
    const rules = await applicableRules(input(['/w/app/packages/web/src/main.ts', '/w/app/tools/gen.ts']));
    assert.deepEqual(
      rules.map((r) => r.path),
      ['AGENTS.md', 'packages/AGENTS.md', 'tools/AGENTS.md', 'packages/web/AGENTS.md'],
    );
  });

  it('reads CLAUDE.md only where that folder has no AGENTS.md', async () => {
    const { input, reads } = workspace({
      '/w/app/AGENTS.md': 'root agents',
      '/w/app/CLAUDE.md': 'root claude',
      '/w/app/lib/CLAUDE.md': 'lib claude',
    });
    assert.deepEqual(summary(await applicableRules(input(['/w/app/lib/x.ts']))), [
      'AGENTS.md (root)',
      'lib/CLAUDE.md (nested for lib/x.ts)',
    ]);
    assert.ok(!reads.includes('/w/app/CLAUDE.md'));
  });

  it('uses a root CLAUDE.md when the root has no AGENTS.md', async () => {
    const { input } = workspace({ '/w/app/CLAUDE.md': 'claude' });
    const [rule] = await applicableRules(input([]));
    assert.equal(rule.kind, 'claude');
    assert.deepEqual(rule.reason, { kind: 'root' });
  });

  it('always applies copilot-instructions.md, right after the root file', async () => {
    const { input } = workspace({
      '/w/app/.github/copilot-instructions.md': 'copilot',
      '/w/app/AGENTS.md': 'root',
      '/w/app/src/AGENTS.md': 'src',
    });
    assert.deepEqual(summary(await applicableRules(input([]))), [
      'AGENTS.md (root)',
      '.github/copilot-instructions.md (always)',
    ]);
    assert.deepEqual(summary(await applicableRules(input(['/w/app/src/a.ts']))), [
      'AGENTS.md (root)',
      '.github/copilot-instructions.md (always)',
      'src/AGENTS.md (nested for src/a.ts)',
    ]);
  });

  describe('instruction files', () => {
    const INSTRUCTIONS = {
      '/w/app/.github/instructions/always.instructions.md': 'No applyTo: always.',
      '/w/app/.github/instructions/ts.instructions.md': '---\napplyTo: "**/*.ts"\n---\nTypeScript rules.',
      '/w/app/.github/instructions/web.instructions.md':
        "---\napplyTo: 'docs/**, packages/web/**/*.{css,html}'\n---\nWeb rules.",
      '/w/app/.github/instructions/all.instructions.md': '---\napplyTo: "**"\n---\nEverything.',
      '/w/app/src/AGENTS.md': 'src',
    };

    it('apply by applyTo to matching request files, without applyTo always, after the AGENTS.md files', async () => {
      const { input } = workspace(INSTRUCTIONS);
      assert.deepEqual(summary(await applicableRules(input(['/w/app/src/a.ts']))), [
        'src/AGENTS.md (nested for src/a.ts)',
        '.github/instructions/all.instructions.md (applyTo ** -)',
        '.github/instructions/always.instructions.md (always)',
        '.github/instructions/ts.instructions.md (applyTo **/*.ts src/a.ts)',
      ]);
    });

    it('match any glob of a comma-separated list', async () => {
      const { input } = workspace(INSTRUCTIONS);
      const rules = await applicableRules(input(['/w/app/packages/web/styles/site.css']));
      assert.deepEqual(
        summary(rules).at(-1),
        '.github/instructions/web.instructions.md (applyTo packages/web/**/*.{css,html} packages/web/styles/site.css)',
      );
    });

    it('leave out those whose applyTo matches no request file', async () => {
      const { input } = workspace(INSTRUCTIONS);
      const paths = (await applicableRules(input(['/w/app/README.md']))).map((r) => r.path);
      assert.ok(!paths.includes('.github/instructions/ts.instructions.md'));
      assert.ok(!paths.includes('.github/instructions/web.instructions.md'));
    });

    it('give a question without files only those without applyTo or with a match-all one', async () => {
      const { input } = workspace(INSTRUCTIONS);
      assert.deepEqual(summary(await applicableRules(input([]))), [
        '.github/instructions/all.instructions.md (applyTo ** -)',
        '.github/instructions/always.instructions.md (always)',
      ]);
    });

    it('hand on the text without its front matter', async () => {
      const { input } = workspace(INSTRUCTIONS);
      const ts = (await applicableRules(input(['/w/app/x.ts']))).find((r) =>
        r.path.endsWith('ts.instructions.md'),
      );
      assert.equal(ts?.text, 'TypeScript rules.');
    });
  });

  it('reads CRLF and BOM files, front matter included', async () => {
    const { input } = workspace({
      '/w/app/AGENTS.md': '\uFEFF# Rules\r\n\r\n- one\r\n- two\r\n',
      '/w/app/.github/instructions/ts.instructions.md':
        '\uFEFF---\r\napplyTo: "**/*.ts"\r\n---\r\nTS only.\r\n',
    });
    const rules = await applicableRules(input(['/w/app/a.ts']));
    assert.deepEqual(
      rules.map((r) => [r.path, r.text]),
      [
        ['AGENTS.md', '# Rules\n\n- one\n- two'],
        ['.github/instructions/ts.instructions.md', 'TS only.'],
      ],
    );
    assert.deepEqual(rules[1].reason, { kind: 'applyTo', glob: '**/*.ts', file: 'a.ts' });
  });

  it('cuts an over-long file to the cap and says how much it held', async () => {
    const long = Array.from({ length: 100 }, (_, i) => `rule ${i}`).join('\n');
    const { input } = workspace({ '/w/app/AGENTS.md': long });
    const [rule] = await applicableRules(input([], { maxBytesPerFile: 100 }));
    assert.equal(rule.text, long.split('\n').slice(0, 13).join('\n')); // rule 0 … rule 12: 94 bytes
    assert.deepEqual(rule.cut, {
      fullBytes: Buffer.byteLength(long),
      keptBytes: Buffer.byteLength(rule.text),
    });
  });

  it('leaves out a file that cannot be read or holds only blank space', async () => {
    const { input } = workspace({ '/w/app/AGENTS.md': ' \r\n', '/w/app/src/AGENTS.md': 'src' });
    const gone = input(['/w/app/src/a.ts'], {
      ruleFiles: ['/w/app/AGENTS.md', '/w/app/src/AGENTS.md', '/w/app/lib/AGENTS.md'],
    });
    assert.deepEqual(
      summary(await applicableRules({ ...gone, requestFiles: ['/w/app/src/a.ts', '/w/app/lib/b.ts'] })),
      ['src/AGENTS.md (nested for src/a.ts)'],
    );
  });

  it('ignores request files outside every workspace folder and paths that are not rule files', async () => {
    const { input } = workspace({ '/w/app/AGENTS.md': 'root', '/w/app/src/AGENTS.md': 'src' });
    const rules = await applicableRules(
      input(['/elsewhere/src/a.ts', '/w/application/src/a.ts'], {
        ruleFiles: ['/w/app/AGENTS.md', '/w/app/src/AGENTS.md', '/w/app/README.md'],
      }),
    );
    assert.deepEqual(summary(rules), ['AGENTS.md (root)']);
  });

  describe('multi-root workspaces', () => {
    const API: WorkspaceFolderInfo = { name: 'api', path: '/w/api' };
    const disk = {
      '/w/app/AGENTS.md': 'app root',
      '/w/app/src/AGENTS.md': 'app src',
      '/w/app/.github/instructions/ts.instructions.md': '---\napplyTo: "src/**"\n---\napp ts',
      '/w/api/AGENTS.md': 'api root',
      '/w/api/src/AGENTS.md': 'api src',
    };

    it('give each folder’s paths relative to it, named with the folder, folders in the workspace’s order', async () => {
      const { input } = workspace(disk, [APP, API]);
      const rules = await applicableRules(input(['/w/api/src/a.ts']));
      assert.deepEqual(summary(rules), [
        'app/AGENTS.md (root)',
        'api/AGENTS.md (root)',
        'api/src/AGENTS.md (nested for src/a.ts)',
      ]);
      assert.deepEqual(
        rules.map((r) => [r.folder, r.path, r.absolute]),
        [
          ['app', 'AGENTS.md', '/w/app/AGENTS.md'],
          ['api', 'AGENTS.md', '/w/api/AGENTS.md'],
          ['api', 'src/AGENTS.md', '/w/api/src/AGENTS.md'],
        ],
      );
    });

    it('match one folder’s applyTo only against that folder’s files', async () => {
      const { input } = workspace(disk, [APP, API]);
      const paths = (await applicableRules(input(['/w/api/src/a.ts']))).map((r) => r.display);
      assert.ok(!paths.includes('app/.github/instructions/ts.instructions.md'));
      const both = (await applicableRules(input(['/w/api/src/a.ts', '/w/app/src/b.ts']))).map(
        (r) => r.display,
      );
      assert.deepEqual(both, [
        'app/AGENTS.md',
        'app/src/AGENTS.md',
        'app/.github/instructions/ts.instructions.md',
        'api/AGENTS.md',
        'api/src/AGENTS.md',
      ]);
    });

    it('put a file in nested workspace folders into the innermost one', async () => {
      const INNER: WorkspaceFolderInfo = { name: 'inner', path: '/w/app/src' };
      const { input } = workspace(
        { '/w/app/AGENTS.md': 'outer root', '/w/app/src/AGENTS.md': 'inner root' },
        [APP, INNER],
      );
      assert.deepEqual(summary(await applicableRules(input(['/w/app/src/a.ts']))), [
        'app/AGENTS.md (root)',
        'inner/AGENTS.md (root)',
      ]);
    });
  });

  it('compares paths without regard to case when the file system does', async () => {
    const { input } = workspace({ '/w/app/AGENTS.md': 'root', '/w/app/src/AGENTS.md': 'src' }, [
      { name: 'app', path: '/W/App' },
    ]);
    const ruleFiles = ['/w/app/AGENTS.md', '/w/app/src/AGENTS.md'];
    assert.deepEqual(await applicableRules(input(['/w/app/src/a.ts'], { ruleFiles })), []);
    const rules = await applicableRules(input(['/w/app/src/a.ts'], { ruleFiles, caseInsensitive: true }));
    assert.deepEqual(rules[1].absolute, '/w/app/src/AGENTS.md');
    const otherCase = await applicableRules(input(['/W/APP/SRC/a.ts'], { ruleFiles, caseInsensitive: true }));
    assert.deepEqual(summary(otherCase), ['AGENTS.md (root)', 'src/AGENTS.md (nested for SRC/a.ts)']);
    assert.deepEqual(summary(rules), ['AGENTS.md (root)', 'src/AGENTS.md (nested for src/a.ts)']);
  });

  it('reads the disk on every call, so an edit applies to the next question', async () => {
    const disk: Record<string, string> = { '/w/app/AGENTS.md': 'before' };
    const { input } = workspace(disk);
    assert.equal((await applicableRules(input([])))[0].text, 'before');
    disk['/w/app/AGENTS.md'] = 'after';
    assert.equal((await applicableRules(input([])))[0].text, 'after');
  });
});

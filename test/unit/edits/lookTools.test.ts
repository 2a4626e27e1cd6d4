import assert from 'node:assert/strict';
import type { ToolCall } from '../../../src/common/endpoint/chatTypes';
import { EditToolRunner } from '../../../src/common/edits/editToolRunner';
import {
  byImportance,
  markedLines,
  problemHeadline,
  type Problem,
} from '../../../src/common/problems/problemLines';
import { shortenLine, SEARCH_FILE_LIMIT } from '../../../src/common/edits/searchTool';
import { FakeWorkspace } from './fakeWorkspace';

let n = 0;
const call = (name: string, args: unknown): ToolCall => ({
  id: `call_${n++}`,
  type: 'function',
  function: { name, arguments: JSON.stringify(args) },
});

function oneFolder() {
  const ws = new FakeWorkspace();
  ws.roots = [{ name: 'app', path: '/ws/app' }];
  ws.put('/ws/app/src/a.ts', 'const total = 1;\nlet Total = 2;\nexport { total };\n');
  ws.put('/ws/app/src/b.ts', 'import { total } from "./a";\nconsole.log(total);\n');
  ws.put('/ws/app/README.md', '# total\n');
  ws.put('/ws/app/.env', 'total=secret\n');
  ws.put('/ws/app/logo.png', 'total', 1, { binary: true });
  ws.put('/ws/app/ignored/total.ts', 'total\n');
  ws.searchExcluded = ['ignored/**'];
  return { ws, runner: new EditToolRunner(ws) };
}

async function result(runner: EditToolRunner, c: ToolCall, status = 'done'): Promise<string> {
  const out = await runner.run(c);
  assert.equal(out.status, status, out.result);
  return out.result;
}

describe('search_text', () => {
  it('prints matching lines as path:line: text, smart case, leaving out excluded, protected and binary files', async () => {
    const { runner } = oneFolder();
    assert.equal(
      await result(runner, call('search_text', { query: 'total' })),
      [
        'README.md:1: # total',
        'src/a.ts:1: const total = 1;',
        'src/a.ts:2: let Total = 2;',
        'src/a.ts:3: export { total };',
        'src/b.ts:1: import { total } from "./a";',
        'src/b.ts:2: console.log(total);',
      ].join('\n'),
    );
    // A capital letter makes the search case-sensitive.
    assert.equal(await result(runner, call('search_text', { query: 'Total' })), 'src/a.ts:2: let Total = 2;');
  });

  it('takes a regular expression and a glob, and says when nothing matched', async () => {
    const { runner } = oneFolder();
    assert.equal(
      await result(
        runner,
        call('search_text', { query: '^(const|let) \\w+', is_regex: true, glob: 'src/**' }),
      ),
      'src/a.ts:1: const total = 1;\nsrc/a.ts:2: let Total = 2;',
    );
    assert.equal(
      await result(runner, call('search_text', { query: 'a.b', glob: '**/*.ts' })),
      'No matches for "a.b" in **/*.ts.',
      'without is_regex the dot is a dot',
    );
  });

  it('refuses an invalid regex with its error, an empty query, and globs that leave the workspace', async () => {
    const { runner } = oneFolder();
    assert.match(
      await result(runner, call('search_text', { query: 'foo(', is_regex: true }), 'refused'),
      /^search_text: "foo\(" is not a valid regular expression \(Invalid regular expression: .+\)\. Fix it, or call search_text with is_regex false/,
    );
    assert.equal(
      await result(runner, call('search_text', { query: '' }), 'refused'),
      'search_text: query is empty. Give the text to find.',
    );
    assert.equal(
      await result(runner, call('search_text', { query: 'x', glob: '../other/**' }), 'refused'),
      'search_text: The glob "../other/**" contains "..". Only files inside the workspace folder can be searched.',
    );
    assert.match(
      await result(runner, call('search_text', { query: 'x', glob: '/etc/*' }), 'refused'),
      /The glob "\/etc\/\*" is absolute/,
    );
    assert.match(
      await result(runner, call('list_files', { glob: '../**' }), 'refused'),
      /^list_files: The glob "\.\.\/\*\*" contains "\.\."/,
    );
    assert.equal(
      await result(runner, call('search_text', { query: 'x', is_regex: 'yes' }), 'refused'),
      'search_text: "is_regex" must be true or false.',
    );
    assert.equal(
      await result(runner, call('search_text', { query: 'x', max_results: 0 }), 'refused'),
      'search_text: "max_results" must be at least 1.',
    );
  });

  it('caps the matches and says how many there were', async () => {
    const ws = new FakeWorkspace();
    ws.roots = [{ name: 'app', path: '/ws/app' }];
    ws.put('/ws/app/many.txt', Array.from({ length: 700 }, (_, i) => `hit ${i}`).join('\n'));
    const runner = new EditToolRunner(ws);
    const lines = (await result(runner, call('search_text', { query: 'hit' }))).split('\n');
    assert.equal(lines.length, 101);
    assert.equal(lines[99], 'many.txt:100: hit 99');
    assert.equal(lines[100], '[100 of 700 matches shown; narrow the query or the glob.]');
    const most = (await result(runner, call('search_text', { query: 'hit', max_results: 9999 }))).split('\n');
    assert.equal(most.length, 501, 'at most 500');
    assert.equal(most[500], '[500 of 700 matches shown; narrow the query or the glob.]');
    const few = await result(runner, call('search_text', { query: 'hit 1', max_results: 2 }));
    assert.equal(
      few,
      'many.txt:2: hit 1\nmany.txt:11: hit 10\n[2 of 111 matches shown; narrow the query or the glob.]',
    );
  });

  it('says "at least" when it stopped reading files', async () => {
    const ws = new FakeWorkspace();
    ws.roots = [{ name: 'app', path: '/ws/app' }];
    for (let i = 0; i <= SEARCH_FILE_LIMIT; i++) ws.put(`/ws/app/f${String(i).padStart(5, '0')}.txt`, 'x');
    const out = (await result(new EditToolRunner(ws), call('search_text', { query: 'x' }))).split('\n');
    assert.deepEqual(out.slice(-2), [
      `[100 of at least ${SEARCH_FILE_LIMIT} matches shown; narrow the query or the glob.]`,
      `[Only the first ${SEARCH_FILE_LIMIT} files were searched; narrow with glob to search the rest.]`,
    ]);
  });

  it('prefixes the folder name in a multi-root workspace', async () => {
    const ws = new FakeWorkspace();
    ws.put('/ws/app/x.ts', 'needle\n');
    ws.put('/ws/lib/y.ts', 'a needle\n');
    assert.equal(
      await result(new EditToolRunner(ws), call('search_text', { query: 'needle' })),
      'app/x.ts:1: needle\nlib/y.ts:1: a needle',
    );
  });

  it('shortens a long line around its match', () => {
    const line = `${'a'.repeat(500)}NEEDLE${'b'.repeat(500)}`;
    const short = shortenLine(line, 500, 6);
    assert.ok(short.startsWith('…') && short.endsWith('…'), short);
    assert.equal(short.length, 202);
    assert.ok(short.includes('NEEDLE'));
    assert.equal(shortenLine(`   ${'x'.repeat(300)}`, 3, 1).slice(0, 4), 'xxxx', 'starts at the match');
    assert.equal(shortenLine('  short  ', 2, 5), 'short');
  });
});

const problem = (over: Partial<Problem>): Problem => ({
  path: '/ws/app/src/a.ts',
  line: 2,
  column: 5,
  severity: 'error',
  source: 'ts',
  message: "Type 'string' is not assignable to type 'number'.",
  ...over,
});

describe('problem lines', () => {
  it('one headline per diagnostic, a multi-line message joined', () => {
    assert.equal(
      problemHeadline(problem({ path: 'src/a.ts' })),
      "src/a.ts:2:5 error ts: Type 'string' is not assignable to type 'number'.",
    );
    assert.equal(
      problemHeadline(
        problem({ path: 'a.py', source: undefined, severity: 'warning', message: 'one\n  two' }),
      ),
      'a.py:2:5 warning: one two',
    );
  });

  it('the lines around, numbered, the line marked', () => {
    assert.deepEqual(markedLines('a\nb\nc\nd\ne\n', 2, 2), ['  1| a', '> 2| b', '  3| c', '  4| d']);
    assert.deepEqual(markedLines(Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join('\n'), 10, 1), [
      '   9| l9',
      '> 10| l10',
      '  11| l11',
    ]);
    assert.deepEqual(markedLines('a', 5, 2), []);
  });

  it('errors first, then by path and line', () => {
    const sorted = [
      problem({ severity: 'warning', path: 'a', line: 1 }),
      problem({ path: 'b', line: 3 }),
      problem({ path: 'b', line: 1 }),
      problem({ severity: 'info', path: 'a' }),
    ].sort(byImportance);
    assert.deepEqual(
      sorted.map((p) => `${p.severity} ${p.path}:${p.line}`),
      ['error b:1', 'error b:3', 'warning a:1', 'info a:2'],
    );
  });
});

describe('get_problems', () => {
  function withProblems() {
    const { ws, runner } = oneFolder();
    ws.put('/ws/app/src/c.ts', 'one\ntwo\nthree\nfour\nfive\n');
    ws.diagnostics.set('/ws/app/src/c.ts', [
      problem({
        path: '/ws/app/src/c.ts',
        line: 3,
        severity: 'warning',
        source: 'eslint',
        message: 'Unused.',
      }),
      problem({ path: '/ws/app/src/c.ts', line: 4, message: 'Broken.' }),
      problem({ path: '/ws/app/src/c.ts', line: 1, severity: 'hint', message: 'Faded.' }),
    ]);
    ws.diagnostics.set('/ws/app/src/b.ts', [
      problem({ path: '/ws/app/src/b.ts', line: 2, severity: 'warning', message: 'Meh.' }),
    ]);
    ws.diagnostics.set('/ws/app/.env', [problem({ path: '/ws/app/.env', line: 1, message: 'Secret.' })]);
    ws.diagnostics.set('/elsewhere/x.ts', [problem({ path: '/elsewhere/x.ts', message: 'Outside.' })]);
    return { ws, runner };
  }

  it("a file's problems, errors first, with the lines around; hints left out", async () => {
    const { ws, runner } = withProblems();
    assert.equal(
      await result(runner, call('get_problems', { path: 'src/c.ts' })),
      [
        'src/c.ts:4:5 error ts: Broken.',
        '  2| two',
        '  3| three',
        '> 4| four',
        '  5| five',
        'src/c.ts:3:5 warning eslint: Unused.',
        '  1| one',
        '  2| two',
        '> 3| three',
        '  4| four',
        '  5| five',
      ].join('\n'),
    );
    assert.deepEqual(ws.settled, [['/ws/app/src/c.ts']], 'waited for the file to settle');
    assert.equal(
      await result(runner, call('get_problems', { path: 'src/a.ts' })),
      'No problems in src/a.ts.',
    );
  });

  it('refuses paths outside the workspace, protected files and missing ones', async () => {
    const { runner } = withProblems();
    assert.match(
      await result(runner, call('get_problems', { path: '/elsewhere/x.ts' }), 'refused'),
      /absolute path/,
    );
    assert.match(
      await result(runner, call('get_problems', { path: '../x.ts' }), 'refused'),
      /contains "\.\."/,
    );
    assert.match(await result(runner, call('get_problems', { path: '.env' }), 'refused'), /is protected/);
    assert.match(
      await result(runner, call('get_problems', { path: 'nope.ts' }), 'refused'),
      /does not exist/,
    );
    assert.equal(
      await result(runner, call('get_problems', { file: 'a' }), 'refused'),
      'get_problems: unknown argument "file". Arguments: path.',
    );
  });

  it("without a path, before any edit: the workspace's errors only, not protected or outside files", async () => {
    const { runner } = withProblems();
    assert.equal(
      await result(runner, call('get_problems', {})),
      [
        'No file was changed in this answer yet; the errors in the workspace:',
        'src/c.ts:4:5 error ts: Broken.',
        '  2| two',
        '  3| three',
        '> 4| four',
        '  5| five',
      ].join('\n'),
    );
  });

  it('without a path, after edits: the problems of the files this answer changed', async () => {
    const { ws, runner } = withProblems();
    runner.noteVersion('/ws/app/src/b.ts', 2);
    runner.noteVersion('/ws/app/src/a.ts', 2);
    assert.equal(
      await result(runner, call('get_problems', { path: null })),
      [
        'Problems in the files this answer changed (src/b.ts, src/a.ts):',
        'src/b.ts:2:5 warning ts: Meh.',
        '  1| import { total } from "./a";',
        '> 2| console.log(total);',
      ].join('\n'),
    );
    assert.deepEqual(ws.settled, [['/ws/app/src/b.ts', '/ws/app/src/a.ts']]);
    ws.diagnostics.clear();
    assert.equal(
      await result(runner, call('get_problems', {})),
      'No problems in the files this answer changed (src/b.ts, src/a.ts).',
    );
  });

  it('caps the list and says so', async () => {
    const { ws, runner } = oneFolder();
    ws.diagnostics.set(
      '/ws/app/src/a.ts',
      Array.from({ length: 60 }, (_, i) => problem({ line: 1, column: i + 1, message: `E${i}` })),
    );
    const out = (await result(runner, call('get_problems', { path: 'src/a.ts' }))).split('\n');
    assert.equal(out.filter((l) => l.startsWith('src/a.ts:1:')).length, 50);
    assert.equal(
      out.at(-1),
      '[50 of 60 problems shown, errors first. Call get_problems with a path for one file.]',
    );
  });
});

import assert from 'node:assert/strict';
import { problemsText, selectProblems, type Problem } from '../../../src/common/mentions/problemsText';

const p = (path: string, line: number, severity: Problem['severity'], message = 'm'): Problem => ({
  path,
  line,
  column: 3,
  severity,
  source: 'ts',
  message,
});

describe('mentions: problems text', () => {
  it('lists errors, then warnings, then infos, drops hints, and shows the lines around', () => {
    const problems = [
      p('src/b.ts', 2, 'warning', 'unused'),
      p('src/a.ts', 5, 'error', "Type 'string' is not assignable to type 'number'."),
      p('src/a.ts', 1, 'hint'),
      p('src/a.ts', 9, 'info', 'fyi'),
    ];
    problems[1].code = '2322';
    const lines: Record<string, string[]> = {
      'src/a.ts': ['l1', 'l2', 'l3', 'l4', 'const x: number = "a";\r', 'l6', 'l7'],
    };
    const text = problemsText(selectProblems(problems), 'the workspace', (path) => lines[path]);
    assert.equal(
      text,
      [
        '3 problems in the workspace (1 error, 1 warning, 1 info). 1 hint not listed.',
        '',
        "src/a.ts:5:3 error ts(2322): Type 'string' is not assignable to type 'number'.",
        '  3| l3',
        '  4| l4',
        '> 5| const x: number = "a";',
        '  6| l6',
        '  7| l7',
        '',
        'src/b.ts:2:3 warning ts: unused',
        '',
        'src/a.ts:9:3 info ts: fyi',
      ].join('\n'),
    );
  });

  it('says the cap when it lists fewer than there are', () => {
    const many = Array.from({ length: 60 }, (_, i) => p('a.ts', i + 1, i < 55 ? 'warning' : 'error'));
    const selection = selectProblems(many, 50);
    assert.equal(selection.shown.length, 50);
    assert.deepEqual(
      selection.shown.slice(0, 5).map((x) => x.severity),
      ['error', 'error', 'error', 'error', 'error'],
    );
    const text = problemsText(selection, 'the active file a.ts', () => undefined);
    assert.match(
      text,
      /^60 problems in the active file a\.ts \(5 errors, 55 warnings\)\. The first 50 of 60 are listed/,
    );
  });

  it('says when there is nothing', () => {
    assert.equal(
      problemsText(selectProblems([]), 'the workspace', () => undefined),
      'No errors or warnings in the workspace.',
    );
    assert.equal(
      problemsText(selectProblems([p('a.ts', 1, 'hint'), p('a.ts', 2, 'hint')]), 'a.ts', () => undefined),
      'No errors or warnings in a.ts. 2 hints not listed.',
    );
  });

  it('clips the lines around at the file edges', () => {
    const text = problemsText(selectProblems([p('a.ts', 1, 'error')]), 'a.ts', () => ['one', 'two']);
    assert.deepEqual(text.split('\n').slice(3), ['> 1| one', '  2| two']);
  });
});

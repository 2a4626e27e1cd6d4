import assert from 'node:assert/strict';
import { problemInput } from '../../../src/common/problems/problemPrompt';

const text = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const at = {
  problem: {
    path: 'src/a.ts',
    line: 15,
    column: 7,
    severity: 'error' as const,
    source: 'ts',
    message: "Type 'string' is not assignable to type 'number'.",
  },
  languageId: 'typescript',
  text,
};
const headline = "src/a.ts:15:7 error ts: Type 'string' is not assignable to type 'number'.";

describe('Quick Fix questions', () => {
  it('Explain: the diagnostic, then ±10 lines fenced with the line marked, and a problems chip', () => {
    const input = problemInput('explain', at);
    assert.equal(input.display, `Explain this problem: ${headline}`);
    assert.deepEqual(input.context, [{ label: 'src/a.ts:15', kind: 'problems' }]);
    const parts = input.content as { type: string; text: string }[];
    assert.equal(
      parts[0].text,
      `Explain this problem: what it means, why the code causes it, and how to fix it.\n${headline}`,
    );
    const code = parts[1].text.split('\n');
    assert.equal(code[0], 'File: src/a.ts (language: typescript), lines 5-25, line 15 marked with ">":');
    assert.equal(code[1], '```typescript');
    assert.equal(code[2], '   5| line 5');
    assert.equal(code[12], '> 15| line 15');
    assert.equal(code[22], '  25| line 25');
    assert.equal(code[23], '```');
    assert.equal(code.length, 24);
  });

  it('Fix: asks for the smallest change through the tools; near the top of a file the lines start at 1', () => {
    const input = problemInput('fix', { ...at, problem: { ...at.problem, line: 2, column: 1 } });
    const parts = input.content as { type: string; text: string }[];
    assert.match(parts[0].text, /^Fix this problem in src\/a\.ts with the smallest change/);
    assert.ok(
      parts[0].text.endsWith("\nsrc/a.ts:2:1 error ts: Type 'string' is not assignable to type 'number'."),
    );
    assert.match(parts[1].text, /lines 1-12, line 2 marked/);
    assert.ok(parts[1].text.includes('\n>  2| line 2\n'));
  });
});

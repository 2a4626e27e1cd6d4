import assert from 'node:assert/strict';
import { folderTree } from '../../../src/common/mentions/folderTree';
import { outlineText } from '../../../src/common/mentions/outlineText';
import { shareBudget } from '../../../src/common/mentions/shareBudget';

describe('mentions: folder tree, outline, shares', () => {
  it('draws folders first, sorted, two spaces a level', () => {
    assert.equal(
      folderTree('src/common/', ['b.ts', 'a/z.ts', 'a/deep/y.ts', 'A.ts']),
      'src/common/\n  a/\n    deep/\n      y.ts\n    z.ts\n  A.ts\n  b.ts',
    );
  });

  it('writes an outline one symbol a line', () => {
    assert.equal(
      outlineText([
        { kind: 'class', name: 'Foo', line: 3, children: [{ kind: 'method', name: 'bar', line: 5 }] },
        { kind: 'function', name: 'main', line: 40 },
      ]),
      'class Foo (line 3)\n  method bar (line 5)\nfunction main (line 40)',
    );
  });

  it('shares the budget equally, handing on what small needs leave', () => {
    assert.deepEqual(shareBudget([100, 5000, 50], 1000), [100, 850, 50]);
    assert.deepEqual(shareBudget([800, 800], 1000), [500, 500]);
    assert.deepEqual(shareBudget([10, 20], 1000), [10, 20]);
    assert.deepEqual(shareBudget([5, 5], -3), [0, 0]);
  });
});

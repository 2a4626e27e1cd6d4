import assert from 'node:assert/strict';
import { folderReadPlan, formatBytes } from '../../../src/common/mentions/folderFiles';

describe('mentions: folder read plan', () => {
  it('reads shallow files first, small before large, and skips files over the cap', () => {
    const plan = folderReadPlan(
      [
        { path: 'deep/a.ts', bytes: 10 },
        { path: 'big.ts', bytes: 500 },
        { path: 'b.ts', bytes: 30 },
        { path: 'a.ts', bytes: 30 },
        { path: 'c.ts', bytes: 5 },
      ],
      100,
      1000,
    );
    assert.deepEqual(
      plan.read.map((f) => f.path),
      ['c.ts', 'a.ts', 'b.ts', 'deep/a.ts'],
    );
    assert.deepEqual(
      plan.tooLarge.map((f) => f.path),
      ['big.ts'],
    );
  });

  it('stops reading past the budget', () => {
    const plan = folderReadPlan(
      [
        { path: 'a', bytes: 60 },
        { path: 'b', bytes: 60 },
        { path: 'c', bytes: 30 },
      ],
      100,
      100,
    );
    assert.deepEqual(
      plan.read.map((f) => f.path),
      ['c', 'a'],
    );
    assert.deepEqual(
      plan.overBudget.map((f) => f.path),
      ['b'],
    );
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(12), '12 bytes');
    assert.equal(formatBytes(256 * 1024), '256 KB');
    assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MB');
  });
});

import assert from 'node:assert/strict';
import { DailySpend, localDay } from '../../../../src/common/completion/engine/dailySpend';

const DAY = 86_400_000;
const dayOf = (ms: number) => `day${Math.floor(ms / DAY)}`;
const price = (u: { promptTokens: number; completionTokens: number }) =>
  (u.promptTokens * 1 + u.completionTokens * 2) / 1_000_000;

describe('DailySpend', () => {
  it('adds tokens and cost for the day and stops at the budget', () => {
    let now = 0;
    const spend = new DailySpend(() => now, { dailyBudgetUsd: 0.003, local: false }, price, dayOf);
    spend.record({ promptTokens: 1000, completionTokens: 500 });
    assert.deepEqual(spend.current, {
      day: 'day0',
      requests: 1,
      promptTokens: 1000,
      completionTokens: 500,
      costUsd: 0.002,
      unpriced: 0,
    });
    assert.equal(spend.overBudget, false);
    spend.record({ promptTokens: 1000, completionTokens: 0 });
    assert.equal(spend.overBudget, true);
    now = DAY + 1;
    assert.equal(spend.overBudget, false);
    assert.equal(spend.current.requests, 0);
  });

  it('is free, with no budget, on a local server', () => {
    const spend = new DailySpend(() => 0, { dailyBudgetUsd: 0.000001, local: true }, price, dayOf);
    spend.record({ promptTokens: 5000, completionTokens: 5000 });
    assert.equal(spend.current.costUsd, 0);
    assert.equal(spend.current.promptTokens, 5000);
    assert.equal(spend.overBudget, false);
    assert.equal(spend.free, true);
  });

  it('counts requests of unknown price, and restores only today', () => {
    const spend = new DailySpend(
      () => DAY,
      { dailyBudgetUsd: 0, local: false },
      () => undefined,
      dayOf,
    );
    spend.record({ promptTokens: 1, completionTokens: 1 });
    assert.equal(spend.current.unpriced, 1);
    spend.restore({ ...spend.state(), day: 'day0', costUsd: 9 });
    assert.equal(spend.current.costUsd, 0);
    spend.restore({ ...spend.state(), costUsd: 9 });
    assert.equal(spend.current.costUsd, 9);
    assert.equal(spend.overBudget, false);
  });

  it('tells its host after each request, with the day already counted', () => {
    const seen: number[] = [];
    const spend = new DailySpend(() => 0, { dailyBudgetUsd: 0, local: true }, price, dayOf);
    spend.onRecord = () => seen.push(spend.current.requests);
    spend.record({ promptTokens: 10, completionTokens: 1 });
    spend.record({ promptTokens: 10, completionTokens: 1 });
    assert.deepEqual(seen, [1, 2]);
  });

  it('names local days as YYYY-MM-DD', () => {
    assert.equal(localDay(new Date(2025, 0, 5, 23, 59).getTime()), '2025-01-05');
  });
});

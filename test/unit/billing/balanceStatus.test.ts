/** The balance item's decisions on a fake clock: when it reads, what it shows. */
import assert from 'node:assert/strict';
import {
  BACKGROUND_CHECK_MS,
  BACKGROUND_REFRESH_MS,
  BalanceSchedule,
  balanceView,
  coalescing,
} from '../../../src/common/billing/balanceStatus';
import type { Balance } from '../../../src/common/billing/balance';
import { USD } from '../../../src/common/billing/money';
import { identityTranslate } from '../../../src/common/l10n/translate';

/** A clock the test moves, and the background's periodic look run against it. */
function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => (now += ms),
  };
}

/** Runs the background look every BACKGROUND_CHECK_MS for `ms`, reading when due; returns when it read. */
function runBackground(
  schedule: BalanceSchedule,
  c: ReturnType<typeof clock>,
  ms: number,
  active = 'p',
): number[] {
  const reads: number[] = [];
  for (let t = 0; t < ms; t += BACKGROUND_CHECK_MS) {
    c.advance(BACKGROUND_CHECK_MS);
    if (schedule.dueInBackground(active)) {
      schedule.reading();
      schedule.read(active, 'found');
      reads.push(c.now());
    }
  }
  return reads;
}

describe('balance status: when it reads', () => {
  it('reads in the background at most once a minute, a minute after the last read of any kind', () => {
    const c = clock();
    const schedule = new BalanceSchedule(c.now);
    assert.equal(schedule.dueInBackground('p'), true, 'never read: due');
    schedule.reading();
    schedule.read('p', 'found');
    const start = c.now();
    const reads = runBackground(schedule, c, 5 * BACKGROUND_REFRESH_MS);
    assert.deepEqual(
      reads.map((at) => at - start),
      [1, 2, 3, 4, 5].map((m) => m * BACKGROUND_REFRESH_MS),
    );
    // An answer's read 30 s in moves the next background read to a minute after it.
    c.advance(30_000);
    schedule.reading();
    c.advance(BACKGROUND_REFRESH_MS - 30_000);
    assert.equal(schedule.dueInBackground('p'), false);
    c.advance(30_000);
    assert.equal(schedule.dueInBackground('p'), true);
  });

  it('leaves a relay without a balance alone in the background, until the profile is switched to again', () => {
    const c = clock();
    const schedule = new BalanceSchedule(c.now);
    schedule.reading();
    schedule.read('bare', 'failed');
    assert.deepEqual(runBackground(schedule, c, 10 * BACKGROUND_REFRESH_MS, 'bare'), []);
    // Another profile, then back: read at once, and the background looks after it again.
    assert.equal(schedule.settingsChanged('p'), 'read');
    schedule.read('p', 'found');
    assert.equal(schedule.settingsChanged('bare'), 'read');
    assert.equal(schedule.dueInBackground('bare'), true);
  });

  it('reads after an answer of the active profile (or one that names none), not after another profile’s', () => {
    const schedule = new BalanceSchedule(clock().now);
    assert.equal(schedule.dueAfterAnswer('p', 'p'), true);
    assert.equal(schedule.dueAfterAnswer(undefined, 'p'), true);
    assert.equal(schedule.dueAfterAnswer('other', 'p'), false, 'a compare answer of another relay');
    // Even a relay that had no balance: an answer is the moment it may have one.
    schedule.read('bare', 'failed');
    assert.equal(schedule.dueAfterAnswer('bare', 'bare'), true);
  });

  it('stops reading after answers where the relay has no balance endpoint, until a switch or a click finds one', () => {
    const c = clock();
    const schedule = new BalanceSchedule(c.now);
    schedule.reading();
    schedule.read('bare', 'missing');
    assert.equal(schedule.dueAfterAnswer('bare', 'bare'), false);
    assert.equal(schedule.dueAfterAnswer(undefined, 'bare'), false);
    assert.deepEqual(runBackground(schedule, c, 10 * BACKGROUND_REFRESH_MS, 'bare'), []);
    // Switched away and back: asked once more, and answers read again until it is found missing again.
    assert.equal(schedule.settingsChanged('p'), 'read');
    schedule.read('p', 'found');
    assert.equal(schedule.settingsChanged('bare'), 'read');
    assert.equal(schedule.dueAfterAnswer('bare', 'bare'), true);
    schedule.read('bare', 'missing');
    assert.equal(schedule.dueAfterAnswer('bare', 'bare'), false);
    // A click reads whatever the schedule says; a balance found there brings both reads back.
    schedule.read('bare', 'found');
    assert.equal(schedule.dueAfterAnswer('bare', 'bare'), true);
    c.advance(BACKGROUND_REFRESH_MS);
    assert.equal(schedule.dueInBackground('bare'), true);
    // A passing failure after that keeps the answers' reads: the relay may answer next time.
    schedule.read('bare', 'failed');
    assert.equal(schedule.dueAfterAnswer('bare', 'bare'), true);
  });

  it('reads on a profile switch, and only redraws on other settings (the warning level)', () => {
    const schedule = new BalanceSchedule(clock().now);
    assert.equal(schedule.settingsChanged('p'), 'read', 'nothing shown yet');
    schedule.read('p', 'found');
    assert.equal(schedule.settingsChanged('p'), 'redraw');
    assert.equal(schedule.settingsChanged('q'), 'read');
  });

  it('coalesces calls during a read into one more read, and logs a failure instead of throwing', async () => {
    const logged: unknown[] = [];
    let reads = 0;
    let release!: () => void;
    const refresh = coalescing(
      async () => {
        reads++;
        if (reads === 1) await new Promise<void>((r) => (release = r));
        if (reads === 2) throw new Error('relay down');
      },
      (err) => logged.push(err),
    );
    const first = refresh();
    const during = [refresh(), refresh(), refresh()];
    assert.equal(reads, 1);
    release();
    await Promise.all([first, ...during]);
    assert.equal(reads, 2, 'three calls during the first read: one more read');
    assert.deepEqual(
      logged.map((e) => (e as Error).message),
      ['relay down'],
    );
    await refresh();
    assert.equal(reads, 3, 'a call after the reads settle reads again');
  });
});

describe('balance status: what it shows', () => {
  const READ_AT = Date.UTC(2026, 10, 30, 9, 30);
  const balance = (b: Partial<Balance> = {}): Balance => ({
    source: 'newApi',
    currency: USD,
    unlimited: false,
    available: 12.34,
    granted: 20,
    used: 7.66,
    readAt: READ_AT,
    ...b,
  });
  const options = {
    profileName: 'My relay',
    t: identityTranslate,
    dateTime: (ms: number) => new Date(ms).toISOString(),
    time: (ms: number) => new Date(ms).toISOString().slice(11, 16),
  };

  it('shows the amount and a tooltip with profile, granted, used, available, expiry and when it was read', () => {
    assert.deepEqual(balanceView(balance({ expiresAt: Date.UTC(2027, 0, 1) }), options), {
      text: '$12.34',
      low: false,
      tooltip: [
        'Relay Chat balance: My relay',
        'Granted: $20.00',
        'Used: $7.66',
        'Available: $12.34',
        'Expires: 2027-01-01T00:00:00.000Z',
        'Read at 09:30. Click to refresh.',
      ].join('\n'),
    });
  });

  it('turns to the warning colour below relayChat.balanceWarning, in the balance’s currency, and says so', () => {
    const yuan = balance({
      currency: { symbol: '¥', perUsd: 7.2, code: 'CNY' },
      available: 86.4,
      granted: 144,
      used: 57.6,
    });
    assert.equal(balanceView(yuan, { ...options, warnBelow: 86.4 }).low, false, 'at the level: not below it');
    const low = balanceView(yuan, { ...options, warnBelow: 100 });
    assert.equal(low.text, '¥86.40');
    assert.equal(low.low, true);
    assert.deepEqual(low.tooltip.split('\n').slice(1, 4), [
      'Granted: ¥144.00',
      'Used: ¥57.60',
      'Available: ¥86.40',
    ]);
    assert.equal(low.tooltip.split('\n').at(-1), 'Below your warning level (¥100.00).');
  });

  it('shows ∞ for an unlimited key, never in the warning colour, and — for what the relay did not say', () => {
    const view = balanceView(
      balance({ unlimited: true, available: 0, granted: undefined, used: undefined }),
      {
        ...options,
        warnBelow: 5,
      },
    );
    assert.equal(view.text, '∞');
    assert.equal(view.low, false);
    assert.deepEqual(view.tooltip.split('\n').slice(1, 5), [
      'Granted: ∞',
      'Used: —',
      'Available: ∞',
      'Expires: never',
    ]);
  });
});

import assert from 'node:assert/strict';
import { MIN_BUDGET, mentionBudget, UNKNOWN_WINDOW_BUDGET } from '../../../src/common/mentions/mentionBudget';
import { mentionNotesText, noteText } from '../../../src/common/mentions/mentionNotes';

const info = (window: number | undefined, history: number) => ({
  ...(window ? { window } : {}),
  system: 100,
  turns: 1,
  history,
  leftOut: 0,
  selection: 0,
  reserve: 4_000,
});

describe('mentionBudget', () => {
  it('gives what the window has left after the conversation, the system message, the reserve and the question', () => {
    assert.equal(mentionBudget(info(128_000, 90_000), 400), 128_000 - 4_000 - 100 - 90_000 - 400);
  });
  it('takes at most 60% of the window, at least a few thousand tokens', () => {
    assert.equal(mentionBudget(info(128_000, 0), 0), Math.floor(128_000 * 0.6));
    assert.equal(mentionBudget(info(8_000, 7_000), 0), MIN_BUDGET);
  });
  it('plans with a common window when none is known', () => {
    assert.equal(mentionBudget(info(undefined, 0), 0), UNKNOWN_WINDOW_BUDGET);
    assert.equal(mentionBudget(undefined, 0), UNKNOWN_WINDOW_BUDGET);
  });
});

describe('mention notes', () => {
  it('says each note in a line a person reads', () => {
    assert.deepEqual(
      mentionNotesText([
        { kind: 'cut', sentLines: 1200, totalLines: 9000 },
        { kind: 'binary' },
        { kind: 'leftOut', lines: 300, totalLines: 1000 },
        { kind: 'filesLeftOut', binary: 2, secret: 1, unreadable: 0, noRoom: 3 },
      ]),
      [
        'lines 1–1,200 of 9,000 sent',
        'binary: not sent',
        '300 of 1,000 lines left out in the middle',
        'files not sent: 2 binary, 3 did not fit, 1 look like secrets',
      ],
    );
    assert.equal(noteText({ kind: 'secret', pattern: '.env*' }), 'looks like a secret (.env*): not sent');
  });
});

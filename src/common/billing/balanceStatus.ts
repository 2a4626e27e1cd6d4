/**
 * The decisions behind the balance in the status bar, on a clock passed in: when to read it, and
 * what to show. The VS Code side (vscode/billing/relayBilling) only wires these to a timer, the
 * settings and a StatusBarItem.
 */
import type { Translate } from '../l10n/translate';
import type { Balance } from './balance';
import { formatMoney } from './money';

/** Never more often than this in the background; an answer, a click or a profile switch reads at once. */
export const BACKGROUND_REFRESH_MS = 60_000;
/** How often the background looks: a quarter of the interval, so timer jitter never stretches it to two. */
export const BACKGROUND_CHECK_MS = BACKGROUND_REFRESH_MS / 4;

/** What a change of settings asks of the status bar item. */
export type SettingsEffect = 'read' | 'redraw' | 'none';

/**
 * How a read ended: a balance; none for a passing reason (no answer, a 5xx, a refused key); or
 * none because the relay has no balance endpoint at all (each one tried was not there).
 */
export type ReadOutcome = 'found' | 'failed' | 'missing';

/** When the balance is read. */
export class BalanceSchedule {
  private lastRead: number | undefined;
  /**
   * How each profile's last read ended. Without a balance ('failed', 'missing') the background
   * leaves it alone; 'missing' (no balance endpoint at all), answers too.
   */
  private readonly outcomes = new Map<string, ReadOutcome>();
  private shownFor: string | undefined;
  private hasShown = false;

  constructor(private readonly now: () => number) {}

  /** A read of the active profile starts now. */
  reading(): void {
    this.lastRead = this.now();
  }

  /** A read finished; what it found is shown either way. */
  read(profileId: string, outcome: ReadOutcome): void {
    this.outcomes.set(profileId, outcome);
    this.shown(profileId);
  }

  /** The item now shows (or hides for) this profile. */
  shown(profileId: string): void {
    this.shownFor = profileId;
    this.hasShown = true;
  }

  /** The background's periodic look: a minute since the last read, for a relay that has a balance. */
  dueInBackground(activeId: string): boolean {
    const last = this.outcomes.get(activeId);
    if (last === 'failed' || last === 'missing') return false;
    return this.lastRead === undefined || this.now() - this.lastRead >= BACKGROUND_REFRESH_MS;
  }

  /**
   * A request ended: the relay has billed it, so read again if it went to the active profile. Not
   * for a relay with no balance endpoint: asking it after every answer would only ask the same
   * missing paths again. A relay that failed for a passing reason is asked (it may answer now).
   */
  dueAfterAnswer(profileId: string | undefined, activeId: string): boolean {
    if (profileId && profileId !== activeId) return false;
    return this.outcomes.get(activeId) !== 'missing';
  }

  /**
   * Settings changed: a switched profile is read at once (even one that had no balance before: the
   * user may have fixed its URL), anything else only redraws (a new warning level applies at once).
   */
  settingsChanged(activeId: string): SettingsEffect {
    if (activeId !== this.shownFor) {
      this.outcomes.delete(activeId);
      return 'read';
    }
    return this.hasShown ? 'redraw' : 'none';
  }
}

/**
 * Runs `read` now, or, while a run is under way, once more after it: any number of calls during a
 * read coalesce into one more, so the last call always sees a fresh read. A failure goes to `onError`.
 */
export function coalescing(read: () => Promise<void>, onError: (err: unknown) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await read().catch(onError);
      } while (again);
    })().finally(() => (running = undefined));
    return running;
  };
}

export interface BalanceView {
  /** Beside the icon and in the accessible label: "$12.34", "¥86.40", or "∞". */
  text: string;
  /** Below `relayChat.balanceWarning`: the warning colour. */
  low: boolean;
  tooltip: string;
}

export interface BalanceViewOptions {
  profileName: string;
  /** `relayChat.balanceWarning`, in the balance's currency. */
  warnBelow?: number;
  t: Translate;
  /** Date and time of the expiry; time of the read (the host's locale). */
  dateTime?: (ms: number) => string;
  time?: (ms: number) => string;
}

/** What the status bar item shows for a balance. */
export function balanceView(balance: Balance, options: BalanceViewOptions): BalanceView {
  const { t } = options;
  const dateTime = options.dateTime ?? ((ms) => new Date(ms).toLocaleString());
  const time = options.time ?? ((ms) => new Date(ms).toLocaleTimeString());
  const money = (n: number | undefined) => (n === undefined ? '—' : formatMoney(n, balance.currency));
  const text = balance.unlimited ? '∞' : money(balance.available);
  const warnBelow = options.warnBelow;
  const low = !balance.unlimited && warnBelow !== undefined && balance.available < warnBelow;
  const lines = [
    t('Relay Chat balance: {0}', options.profileName),
    t('Granted: {0}', balance.unlimited ? '∞' : money(balance.granted)),
    t('Used: {0}', money(balance.used)),
    t('Available: {0}', text),
    t('Expires: {0}', balance.expiresAt ? dateTime(balance.expiresAt) : t('never')),
    t('Read at {0}. Click to refresh.', time(balance.readAt)),
  ];
  if (low) lines.push(t('Below your warning level ({0}).', money(warnBelow)));
  return { text, low, tooltip: lines.join('\n') };
}

import type { CompletionUsage } from './types';

/** US dollars for one request's usage, or undefined when the model's price is not known. */
export type PriceFn = (usage: CompletionUsage) => number | undefined;

export interface DaySpend {
  /** The local day, `YYYY-MM-DD`. */
  day: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** US dollars; requests whose price is unknown add tokens only. */
  costUsd: number;
  /** Requests whose price was not known: the cost is then a floor. */
  unpriced: number;
}

export interface SpendSettings {
  /** `relayChat.autocomplete.dailyBudget` in US dollars; 0 or less: no limit. */
  dailyBudgetUsd: number;
  /** A server on this machine or the local network costs nothing and has no budget. */
  local: boolean;
}

/** The local calendar day of a moment, as the status bar and the budget count days. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const empty = (day: string): DaySpend => ({
  day,
  requests: 0,
  promptTokens: 0,
  completionTokens: 0,
  costUsd: 0,
  unpriced: 0,
});

/**
 * What completion has spent today, and whether the daily budget still allows a request. A new
 * local day starts from nothing. `state`/`restore` carry it across restarts (the VS Code side keeps
 * it in globalState).
 */
export class DailySpend {
  private spend: DaySpend;

  /** Told after each recorded request (the host saves the day and updates the status bar). */
  onRecord: () => void = () => {};

  constructor(
    private readonly now: () => number,
    private settings: SpendSettings,
    private readonly price: PriceFn,
    private readonly dayOf: (ms: number) => string = localDay,
  ) {
    this.spend = empty(dayOf(now()));
  }

  configure(settings: SpendSettings): void {
    this.settings = settings;
  }

  record(usage: CompletionUsage): void {
    const today = this.today();
    today.requests++;
    today.promptTokens += usage.promptTokens;
    today.completionTokens += usage.completionTokens;
    if (!this.settings.local) {
      const cost = this.price(usage);
      if (cost === undefined) today.unpriced++;
      else today.costUsd += cost;
    }
    this.onRecord();
  }

  /** True once today's cost has reached the budget: no more requests until tomorrow (or a raise). */
  get overBudget(): boolean {
    const { dailyBudgetUsd, local } = this.settings;
    return !local && dailyBudgetUsd > 0 && this.today().costUsd >= dailyBudgetUsd;
  }

  get free(): boolean {
    return this.settings.local;
  }

  /** Today's figures (a copy). */
  get current(): DaySpend {
    return { ...this.today() };
  }

  state(): DaySpend {
    return this.current;
  }

  /** Takes back a saved day; one from another day is left behind. */
  restore(saved: DaySpend): void {
    if (saved.day === this.dayOf(this.now())) this.spend = { ...saved };
  }

  private today(): DaySpend {
    const day = this.dayOf(this.now());
    if (this.spend.day !== day) this.spend = empty(day);
    return this.spend;
  }
}

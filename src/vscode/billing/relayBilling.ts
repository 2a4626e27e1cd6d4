import * as vscode from 'vscode';
import { readBalance, type Balance, type BalanceSource } from '../../common/billing/balance';
import {
  BACKGROUND_CHECK_MS,
  BalanceSchedule,
  balanceView,
  coalescing,
} from '../../common/billing/balanceStatus';
import {
  inCurrency,
  pricingFor,
  parsePricing,
  tokenPriceOf,
  type ModelPricing,
  type PriceTable,
  type TokenPrice,
} from '../../common/billing/pricing';
import {
  DEFAULT_STATUS,
  getRelayJson,
  readRelayStatus,
  type RelayAccess,
  type RelayStatus,
} from '../../common/billing/relayApi';
import { relayRoot } from '../../common/billing/relayRoot';
import { redactSecrets } from '../../common/endpoint/redact';
import type { EndpointSettings } from '../endpoint/settings';

/** How long a relay's status and price table are trusted before they are read again. */
const TABLE_TTL_MS = 10 * 60_000;
/** A relay that does not answer its billing API in this time is left for later. */
const BILLING_TIMEOUT_MS = 10_000;
const SOURCES_KEY = 'relayChat.balanceSources';

interface Cached<T> {
  at: number;
  value: Promise<T>;
  /** The resolved value, for synchronous lookups. */
  settled?: T;
}

export interface RelayBillingDeps {
  settings: EndpointSettings;
  fetch: typeof fetch;
  log: vscode.LogOutputChannel;
  /** Remembers per profile which balance endpoint answered. */
  memento: vscode.Memento;
  now?: () => number;
}

/**
 * A model's price in US dollars per million tokens (`relayChat.prices`, else the relay's table as
 * last read), for code that has no RelayBilling at hand (the context-window trimming). Per-call
 * models, and models no table prices, give undefined.
 */
export function priceOf(profileId: string, model: string): TokenPrice | undefined {
  return RelayBilling.current?.priceOf(profileId, model);
}

/**
 * The relay's own view of the money: the balance in the status bar and the price table answers are
 * costed by. Failures go to the log only; nothing here ever blocks or interrupts a chat.
 */
export class RelayBilling implements vscode.Disposable {
  static readonly command = 'relayChat.refreshBalance';
  /** The running extension's billing, for `priceOf`. */
  static current: RelayBilling | undefined;
  private readonly item: vscode.StatusBarItem;
  private readonly statuses = new Map<string, Cached<RelayStatus>>();
  private readonly tables = new Map<string, Cached<PriceTable | undefined>>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly schedule: BalanceSchedule;
  /** Reads the active profile's balance now; calls while one is under way coalesce into one more. */
  readonly refresh: () => Promise<void>;
  private shown: { balance?: Balance; profileName: string } | undefined;

  constructor(private readonly deps: RelayBillingDeps) {
    this.item = vscode.window.createStatusBarItem('relayChat.balance', vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('Relay Chat Balance');
    this.item.command = RelayBilling.command;
    RelayBilling.current = this;
    this.schedule = new BalanceSchedule(() => this.now());
    this.refresh = coalescing(
      () => this.readActive(),
      (err) => this.deps.log.warn(`Balance: ${String(err)}`),
    );
    this.timer = setInterval(() => {
      if (this.schedule.dueInBackground(this.deps.settings.activeProfile().id)) void this.refresh();
    }, BACKGROUND_CHECK_MS);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** A request ended: the relay has billed it. */
  answered(profileId: string | undefined): void {
    if (this.schedule.dueAfterAnswer(profileId, this.deps.settings.activeProfile().id)) void this.refresh();
  }

  /** Settings changed: a switched profile is read at once; a new warning level applies at once. */
  settingsChanged(): void {
    const id = this.deps.settings.activeProfile().id;
    const effect = this.schedule.settingsChanged(id);
    if (effect === 'read') void this.refresh();
    else if (effect === 'redraw' && this.shown) this.show(id, this.shown.balance, this.shown.profileName);
  }

  /**
   * How `model` of that profile is billed: `relayChat.prices` first, then the relay's table; with
   * the currency that relay shows money in, so its costs are shown in it.
   */
  async pricing(profileId: string | undefined, model: string): Promise<ModelPricing | undefined> {
    const own = pricingFor(model, this.userPrices());
    if (!profileId) return own;
    const [pricing, status] = await Promise.all([
      own ?? this.table(profileId).value.then((table) => pricingFor(model, undefined, table)),
      this.status(profileId).value,
    ]);
    return pricing && inCurrency(pricing, status.currency);
  }

  /**
   * The price of a model in US dollars per million tokens, from what is known now (a lookup that
   * finds no table yet starts reading it). Per-call models have no per-token price: undefined.
   */
  priceOf(profileId: string, model: string): TokenPrice | undefined {
    const own = pricingFor(model, this.userPrices());
    if (own) return tokenPriceOf(own);
    return tokenPriceOf(pricingFor(model, undefined, this.table(profileId).settled));
  }

  private userPrices(): unknown {
    return this.deps.settings.read().values['relayChat.prices'];
  }

  private warningBelow(): number | undefined {
    const value = this.deps.settings.read().values['relayChat.balanceWarning'];
    return typeof value === 'number' ? value : undefined;
  }

  private async access(profileId: string): Promise<RelayAccess | undefined> {
    const profile = this.deps.settings.profiles().find((p) => p.id === profileId);
    if (!profile?.baseUrl) return undefined;
    let root: string;
    try {
      root = relayRoot(profile.baseUrl);
    } catch {
      return undefined;
    }
    return {
      root,
      apiKey: await this.deps.settings.apiKey(profileId),
      headers: profile.headers,
      fetch: this.deps.fetch,
      signal: AbortSignal.timeout(BILLING_TIMEOUT_MS),
    };
  }

  private cached<T>(map: Map<string, Cached<T>>, key: string, read: () => Promise<T>): Cached<T> {
    const hit = map.get(key);
    if (hit && this.now() - hit.at < TABLE_TTL_MS) return hit;
    const entry: Cached<T> = { at: this.now(), value: read() };
    void entry.value.then((v) => (entry.settled = v));
    map.set(key, entry);
    return entry;
  }

  /** new-api's `/api/status`; the defaults (500,000 units a dollar) where there is none. */
  private status(profileId: string): Cached<RelayStatus> {
    return this.cached(this.statuses, profileId, async () => {
      const access = await this.access(profileId);
      if (!access) return DEFAULT_STATUS;
      return readRelayStatus(access).catch(() => DEFAULT_STATUS);
    });
  }

  private table(profileId: string): Cached<PriceTable | undefined> {
    return this.cached(this.tables, profileId, async () => {
      const access = await this.access(profileId);
      if (!access) return undefined;
      try {
        const [body, status] = await Promise.all([
          getRelayJson(access, '/api/pricing'),
          this.status(profileId).value,
        ]);
        return parsePricing(body, status.quotaPerUnit);
      } catch (err) {
        this.deps.log.info(
          this.redact(`Prices: the relay has no price table (${(err as Error).message})`, access),
        );
        return undefined;
      }
    });
  }

  private redact(text: string, access: RelayAccess): string {
    return redactSecrets(text, [access.apiKey]);
  }

  private async readActive(): Promise<void> {
    const profile = this.deps.settings.activeProfile();
    this.schedule.reading();
    const access = await this.access(profile.id);
    if (!access) {
      this.show(profile.id, undefined);
      return;
    }
    const sources = this.deps.memento.get<Record<string, BalanceSource>>(SOURCES_KEY, {});
    const result = await readBalance(access, {
      preferred: sources[profile.id],
      status: () => this.status(profile.id).value,
      now: () => this.now(),
    });
    // The user may have switched profiles meanwhile: a stale answer is not shown.
    if (this.deps.settings.activeProfile().id !== profile.id) return;
    this.schedule.read(profile.id, result.balance ? 'found' : result.missing ? 'missing' : 'failed');
    if (result.balance) {
      if (sources[profile.id] !== result.balance.source) {
        await this.deps.memento.update(SOURCES_KEY, { ...sources, [profile.id]: result.balance.source });
      }
    } else {
      const until = result.missing
        ? ' It has no balance endpoint: asked again on a click or a profile switch, not after answers.'
        : '';
      this.deps.log.info(
        this.redact(`Balance: ${access.root} reports none.${until} ${result.failures.join('; ')}`, access),
      );
    }
    this.show(profile.id, result.balance, profile.name || profile.id);
  }

  private show(profileId: string, balance: Balance | undefined, profileName = profileId): void {
    this.schedule.shown(profileId);
    this.shown = { balance, profileName };
    if (!balance) {
      this.item.hide();
      return;
    }
    const view = balanceView(balance, {
      profileName,
      warnBelow: this.warningBelow(),
      t: (message, ...args) => vscode.l10n.t(message, ...args),
    });
    this.item.text = `$(credit-card) ${view.text}`;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Relay Chat balance: {0}', view.text) };
    this.item.backgroundColor = view.low
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
    this.item.tooltip = view.tooltip;
    this.item.show();
  }

  dispose(): void {
    if (RelayBilling.current === this) RelayBilling.current = undefined;
    clearInterval(this.timer);
    this.item.dispose();
  }
}

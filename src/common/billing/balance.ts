import type { Currency } from './money';
import { DEFAULT_STATUS, getRelayJson, RelayApiError, type RelayAccess, type RelayStatus } from './relayApi';

/** Which of the relay's endpoints told the balance; remembered per profile and asked first. */
export type BalanceSource = 'newApi' | 'dashboard' | 'dashboardV1';

/** The order to try them in: new-api's own report, then the OpenAI-style pair, then it under /v1. */
export const BALANCE_SOURCES: readonly BalanceSource[] = ['newApi', 'dashboard', 'dashboardV1'];

/** A balance in the relay's currency (see `currency`). */
export interface Balance {
  source: BalanceSource;
  currency: Currency;
  unlimited: boolean;
  available: number;
  granted?: number;
  used?: number;
  /** When the key expires (ms since the epoch); undefined: never, or not said. */
  expiresAt?: number;
  /** When it was read (ms since the epoch). */
  readAt: number;
}

export interface BalanceResult {
  balance?: Balance;
  /** Why each endpoint tried did not answer, for the log. */
  failures: string[];
  /** Every endpoint was asked, and each said it does not exist here: this relay reports no balance. */
  missing: boolean;
}

/** new-api and one-api report an unlimited key's limit as this many dollars. */
const UNLIMITED_USD = 100_000_000;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Seconds or milliseconds since the epoch (relays send either); 0 and negatives mean never. */
function epochMs(v: unknown): number | undefined {
  const n = num(v);
  if (!n || n <= 0) return undefined;
  return n < 1e12 ? n * 1000 : n;
}

/** `data` of new-api's `GET /api/usage/token`, in quota units. */
export function parseNewApiUsage(body: unknown, status: RelayStatus, readAt: number): Balance {
  const data = (body as { data?: Record<string, unknown> })?.data;
  const available = num(data?.total_available);
  if (!data || available === undefined) throw new Error('no data.total_available in the answer');
  const money = (units: number | undefined) =>
    units === undefined ? undefined : (units / status.quotaPerUnit) * status.currency.perUsd;
  return {
    source: 'newApi',
    currency: status.currency,
    unlimited: data.unlimited_quota === true,
    available: money(available)!,
    granted: money(num(data.total_granted)),
    used: money(num(data.total_used)),
    expiresAt: epochMs(data.expires_at),
    readAt,
  };
}

/** OpenAI's `subscription` (`hard_limit_usd`) and `usage` (`total_usage`, in cents). */
export function parseDashboard(
  source: BalanceSource,
  subscription: unknown,
  usage: unknown,
  status: RelayStatus,
  readAt: number,
): Balance {
  const sub = subscription as { hard_limit_usd?: unknown; access_until?: unknown };
  const limit = num(sub?.hard_limit_usd);
  const cents = num((usage as { total_usage?: unknown })?.total_usage);
  if (limit === undefined) throw new Error('no hard_limit_usd in the subscription');
  if (cents === undefined) throw new Error('no total_usage in the usage');
  // Into the display currency from what the pair reports in (see DashboardUnit).
  const rate = {
    usd: status.currency.perUsd,
    currency: 1,
    quota: status.currency.perUsd / status.quotaPerUnit,
  }[status.dashboardUnit];
  const granted = limit * rate;
  const used = (cents / 100) * rate;
  return {
    source,
    currency: status.currency,
    unlimited: limit >= UNLIMITED_USD,
    available: granted - used,
    granted,
    used,
    expiresAt: epochMs(sub.access_until),
    readAt,
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

/** One endpoint (or pair) asked once. */
async function readFrom(
  source: BalanceSource,
  access: RelayAccess,
  status: () => Promise<RelayStatus>,
  now: number,
): Promise<Balance> {
  if (source === 'newApi') {
    const body = await getRelayJson(access, '/api/usage/token');
    return parseNewApiUsage(body, await status(), now);
  }
  const prefix = source === 'dashboardV1' ? '/v1' : '';
  // OpenAI accepts at most 100 days; relays ignore the range and report the key's whole use.
  const range = `start_date=${day(now - 99 * DAY_MS)}&end_date=${day(now + DAY_MS)}`;
  const [subscription, usage] = await Promise.all([
    getRelayJson(access, `${prefix}/dashboard/billing/subscription`),
    getRelayJson(access, `${prefix}/dashboard/billing/usage?${range}`),
  ]);
  return parseDashboard(source, subscription, usage, await status(), now);
}

/**
 * The balance the relay reports for this key: the endpoint that answered last time first, then
 * the others in order. None answering is no error: `balance` is undefined and `failures` says why.
 */
export async function readBalance(
  access: RelayAccess,
  options: { preferred?: BalanceSource; status?: () => Promise<RelayStatus>; now: () => number },
): Promise<BalanceResult> {
  const status = options.status ?? (() => Promise.resolve(DEFAULT_STATUS));
  const order = options.preferred
    ? [options.preferred, ...BALANCE_SOURCES.filter((s) => s !== options.preferred)]
    : BALANCE_SOURCES;
  const failures: string[] = [];
  let missing = 0;
  for (const source of order) {
    if (access.signal?.aborted) break;
    try {
      return { balance: await readFrom(source, access, status, options.now()), failures, missing: false };
    } catch (err) {
      failures.push(`${source}: ${(err as Error).message}`);
      if (err instanceof RelayApiError && err.missing) missing++;
    }
  }
  return { failures, missing: missing === order.length };
}

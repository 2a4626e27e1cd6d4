import { endpointHost } from '../endpoint/baseUrl';
import { USD, type Currency } from './money';

/** How to reach a relay's own API with the profile's key. */
export interface RelayAccess {
  /** The base URL without its trailing `/v1` (see relayRoot). */
  root: string;
  apiKey?: string;
  headers?: Record<string, string>;
  fetch: typeof fetch;
  signal?: AbortSignal;
}

/** One relay endpoint that did not answer as hoped: for the log, never for a toast. */
export class RelayApiError extends Error {
  constructor(
    readonly url: string,
    message: string,
    /**
     * The relay has no such endpoint (404, 405 or 501, or a web page where JSON was asked for), as
     * opposed to a passing failure (no answer, a 5xx, a refused key) that may be gone next time.
     */
    readonly missing = false,
  ) {
    super(`GET ${url}: ${message}`);
    this.name = 'RelayApiError';
  }
}

/** Statuses that say the endpoint does not exist here, not that it failed this time. */
const MISSING_STATUSES = new Set([404, 405, 501]);

const MAX_QUOTED = 200;

/** GETs `path` under the root and returns its JSON; throws RelayApiError with the server's words. */
export async function getRelayJson(access: RelayAccess, path: string): Promise<unknown> {
  const url = `${access.root}${path}`;
  const headers: Record<string, string> = { Accept: 'application/json', ...access.headers };
  if (access.apiKey) headers.Authorization = `Bearer ${access.apiKey}`;
  let response: Response;
  try {
    response = await access.fetch(url, { method: 'GET', headers, signal: access.signal });
  } catch (err) {
    throw new RelayApiError(url, `no answer from ${endpointHost(access.root)} (${(err as Error).message})`);
  }
  const text = await response.text();
  const quoted = text.trim().replace(/\s+/g, ' ').slice(0, MAX_QUOTED);
  if (!response.ok) {
    throw new RelayApiError(url, `HTTP ${response.status} ${quoted}`, MISSING_STATUSES.has(response.status));
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // A relay whose web app answers every path with its page has no such API.
    throw new RelayApiError(url, `not JSON: ${quoted}`, true);
  }
  const envelope = body as { success?: unknown; message?: unknown; error?: { message?: unknown } };
  // new-api answers 200 with `success: false` or an OpenAI-style `error` object.
  if (envelope && typeof envelope === 'object') {
    if (envelope.success === false)
      throw new RelayApiError(url, `refused: ${String(envelope.message ?? '')}`);
    if (envelope.error && typeof envelope.error === 'object') {
      throw new RelayApiError(url, `refused: ${String(envelope.error.message ?? '')}`);
    }
  }
  return body;
}

/**
 * What the OpenAI-style `/dashboard/billing/*` pair reports its `*_usd` amounts in: US dollars, the
 * relay's display currency (new-api showing yuan converts them), or raw quota units (a relay that
 * shows tokens, not money).
 */
export type DashboardUnit = 'usd' | 'currency' | 'quota';

/** What new-api's `/api/status` says about money; the defaults where a relay has no such endpoint. */
export interface RelayStatus {
  /** Quota units per US dollar. */
  quotaPerUnit: number;
  /** The currency the relay shows amounts in: US dollars unless it says otherwise. */
  currency: Currency;
  dashboardUnit: DashboardUnit;
}

/** new-api's default: 500,000 quota units are one US dollar ($0.002 per 1K tokens at ratio 1). */
export const DEFAULT_QUOTA_PER_UNIT = 500_000;

export const DEFAULT_STATUS: RelayStatus = {
  quotaPerUnit: DEFAULT_QUOTA_PER_UNIT,
  currency: USD,
  dashboardUnit: 'usd',
};

const positive = (v: unknown): number | undefined =>
  typeof v === 'number' && v > 0 && Number.isFinite(v) ? v : undefined;

/**
 * Reads `data` of new-api's (or one-api's) `/api/status`. new-api since late 2025 names how it shows
 * money in `quota_display_type`: `USD`; `CNY` at `usd_exchange_rate` yuan a dollar; `CUSTOM` with
 * `custom_currency_symbol` at `custom_currency_exchange_rate`; `TOKENS` (raw quota). Older new-api
 * and one-api have only `display_in_currency` (dollars, or raw quota when false); their `price`
 * is what a top-up costs, not a display rate, and is left alone.
 */
export function parseRelayStatus(body: unknown): RelayStatus {
  const data = ((body as { data?: unknown })?.data ?? {}) as Record<string, unknown>;
  const quotaPerUnit = positive(data.quota_per_unit) ?? DEFAULT_QUOTA_PER_UNIT;
  const kind = typeof data.quota_display_type === 'string' ? data.quota_display_type.toUpperCase() : '';
  const yuanRate = positive(data.usd_exchange_rate);
  const customRate = positive(data.custom_currency_exchange_rate);
  if (kind === 'CNY' && yuanRate) {
    // new-api converts the dashboard pair to yuan too.
    return {
      quotaPerUnit,
      currency: { symbol: '¥', perUsd: yuanRate, code: 'CNY' },
      dashboardUnit: 'currency',
    };
  }
  if (kind === 'CUSTOM' && customRate) {
    const symbol = typeof data.custom_currency_symbol === 'string' ? data.custom_currency_symbol.trim() : '';
    // The dashboard pair stays in dollars for a custom currency.
    return { quotaPerUnit, currency: { symbol: symbol || '¤', perUsd: customRate }, dashboardUnit: 'usd' };
  }
  const tokens = kind === 'TOKENS' || (!kind && data.display_in_currency === false);
  return { quotaPerUnit, currency: USD, dashboardUnit: tokens ? 'quota' : 'usd' };
}

export async function readRelayStatus(access: RelayAccess): Promise<RelayStatus> {
  return parseRelayStatus(await getRelayJson(access, '/api/status'));
}

import type { Usage } from '../endpoint/chatTypes';
import { patternMatches } from '../endpoint/profile';
import { sameCurrency, USD, type Currency } from './money';
import { DEFAULT_QUOTA_PER_UNIT } from './relayApi';

/** A per-token price in US dollars per million tokens (the shape of `relayChat.prices`). */
export interface TokenPrice {
  input: number;
  output: number;
  cachedInput?: number;
  /** The currency the relay shows money in, for showing a cost; the figures stay US dollars. */
  currency?: Currency;
}

/**
 * How one model is billed. `ratio`: new-api's quota units per token (model ratio × group ratio),
 * so the cost can be worked out exactly as the relay does, in whole units. `tokens`: a price per
 * million tokens from the user's settings. `call`: a flat price per request.
 */
export type ModelPricing = (
  | {
      kind: 'ratio';
      modelRatio: number;
      completionRatio: number;
      cacheRatio?: number;
      groupRatio: number;
      quotaPerUnit: number;
    }
  | { kind: 'tokens'; price: TokenPrice }
  | { kind: 'call'; usd: number }
) & {
  /** The currency the relay shows money in, where it is not US dollars (costs stay in dollars). */
  currency?: Currency;
};

/** A relay's price table by model id. */
export type PriceTable = ReadonlyMap<string, ModelPricing>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The group whose ratio applies to this key. `/api/pricing` lists the ratios of the groups the
 * caller may use and does not say which one the key is in: `default` where listed, else the only
 * one, else 1.
 */
export function pickGroupRatio(groupRatio: unknown): number {
  if (!groupRatio || typeof groupRatio !== 'object') return 1;
  const ratios = groupRatio as Record<string, unknown>;
  const fromDefault = num(ratios.default);
  if (fromDefault !== undefined) return fromDefault;
  const values = Object.values(ratios)
    .map(num)
    .filter((v): v is number => v !== undefined);
  return values.length === 1 ? values[0] : 1;
}

/** new-api's `GET /api/pricing`: `data[]` per model and `group_ratio`. */
export function parsePricing(body: unknown, quotaPerUnit = DEFAULT_QUOTA_PER_UNIT): PriceTable {
  const table = new Map<string, ModelPricing>();
  const { data, group_ratio } = (body ?? {}) as { data?: unknown; group_ratio?: unknown };
  if (!Array.isArray(data)) throw new Error('no data[] in the price table');
  const groupRatio = pickGroupRatio(group_ratio);
  for (const entry of data as Record<string, unknown>[]) {
    const name = typeof entry?.model_name === 'string' ? entry.model_name : '';
    if (!name) continue;
    if (entry.quota_type === 1) {
      const price = num(entry.model_price);
      if (price !== undefined) table.set(name, { kind: 'call', usd: price * groupRatio });
      continue;
    }
    const modelRatio = num(entry.model_ratio);
    if (modelRatio === undefined) continue;
    const cacheRatio = num(entry.cache_ratio);
    table.set(name, {
      kind: 'ratio',
      modelRatio,
      completionRatio: num(entry.completion_ratio) ?? 1,
      ...(cacheRatio !== undefined ? { cacheRatio } : {}),
      groupRatio,
      quotaPerUnit,
    });
  }
  return table;
}

function isPrice(value: unknown): value is TokenPrice {
  const p = value as Record<string, unknown>;
  return (
    !!p &&
    typeof p === 'object' &&
    num(p.input) !== undefined &&
    num(p.output) !== undefined &&
    (p.cachedInput === undefined || num(p.cachedInput) !== undefined)
  );
}

/** `relayChat.prices`: model id or `*` pattern → price; exact ids win, then the longest pattern. */
export function userPriceFor(prices: unknown, model: string): TokenPrice | undefined {
  if (!prices || typeof prices !== 'object') return undefined;
  const matches = Object.entries(prices as Record<string, unknown>)
    .filter(([pattern, price]) => isPrice(price) && patternMatches(pattern, model))
    .sort(([a], [b]) => Number(!b.includes('*')) - Number(!a.includes('*')) || b.length - a.length);
  return matches[0]?.[1] as TokenPrice | undefined;
}

/** The user's price first (it overrides the relay), then the relay's table. */
export function pricingFor(model: string, userPrices: unknown, table?: PriceTable): ModelPricing | undefined {
  const own = userPriceFor(userPrices, model);
  if (own) return { kind: 'tokens', price: own };
  return table?.get(model);
}

/** The pricing with the relay's display currency attached where that is not US dollars. */
export function inCurrency(pricing: ModelPricing, currency: Currency): ModelPricing {
  return sameCurrency(currency, USD) ? pricing : { ...pricing, currency: { ...currency } };
}

/** A pricing in dollars per million tokens; per-call models have none. */
export function tokenPriceOf(pricing: ModelPricing | undefined): TokenPrice | undefined {
  if (!pricing || pricing.kind === 'call') return undefined;
  const currency = pricing.currency ? { currency: pricing.currency } : {};
  if (pricing.kind === 'tokens') return { ...pricing.price, ...currency };
  const perMillion = (pricing.modelRatio * pricing.groupRatio * 1_000_000) / pricing.quotaPerUnit;
  return {
    input: perMillion,
    output: perMillion * pricing.completionRatio,
    ...(pricing.cacheRatio !== undefined ? { cachedInput: perMillion * pricing.cacheRatio } : {}),
    ...currency,
  };
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/**
 * What an answer cost in US dollars. For a relay's ratios this is new-api's own sum: (prompt −
 * cached + cached × cache ratio + completion × completion ratio) × model ratio × group ratio quota
 * units, rounded to a whole unit (at least one when anything was used), over quota per unit.
 */
export function costOf(pricing: ModelPricing, usage: Usage): number {
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const cached = Math.min(count(usage.prompt_tokens_details?.cached_tokens), prompt);
  switch (pricing.kind) {
    case 'call':
      return pricing.usd;
    case 'tokens': {
      const p = pricing.price;
      return (
        ((prompt - cached) * p.input + cached * (p.cachedInput ?? p.input) + completion * p.output) / 1e6
      );
    }
    case 'ratio': {
      const ratio = pricing.modelRatio * pricing.groupRatio;
      const tokens =
        prompt - cached + cached * (pricing.cacheRatio ?? 1) + completion * pricing.completionRatio;
      let units = Math.round(tokens * ratio);
      if (ratio > 0 && units <= 0 && prompt + completion > 0) units = 1;
      return units / pricing.quotaPerUnit;
    }
  }
}

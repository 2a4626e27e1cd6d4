import type { Usage } from '../endpoint/chatTypes';

/** The currency a relay shows money in: its symbol, how many units one US dollar buys, its ISO code where known. */
export interface Currency {
  symbol: string;
  perUsd: number;
  code?: string;
}

export const USD: Currency = { symbol: '$', perUsd: 1, code: 'USD' };

/** What one answer used and cost: the fields of a message that the usage line shows. */
export interface AnswerBilling {
  /** The model that answered (as the server named it). */
  model?: string;
  usage?: Usage;
  /** The relay sent no usage: `usage` is Relay Chat's estimate. */
  usageEstimated?: boolean;
  /** In US dollars. */
  cost?: number;
  /** The relay's display currency; absent: USD. */
  costCurrency?: Currency;
}

/**
 * An amount the way people read a bill: two decimals from a cent up ("$12.34"), two significant
 * digits below it ("$0.0075"), so a cheap answer never shows as "$0.00".
 */
export function formatMoney(amount: number, currency: Currency = USD): string {
  const abs = Math.abs(amount);
  const sign = amount < 0 ? '-' : '';
  let digits: string;
  if (abs === 0) digits = '0';
  else if (abs < 0.01)
    digits = abs.toLocaleString('en-US', { maximumSignificantDigits: 2, useGrouping: false });
  else digits = abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${sign}${currency.symbol}${digits}`;
}

/** A cost kept in US dollars, in the currency the relay shows: $0.0075 at ¥7.2 a dollar is "¥0.054". */
export function formatCost(usd: number, currency: Currency = USD): string {
  return formatMoney(usd * currency.perUsd, currency);
}

export const sameCurrency = (a: Currency = USD, b: Currency = USD): boolean =>
  a.symbol === b.symbol && a.perUsd === b.perUsd;

/**
 * The one currency a set of costs can be added up in: theirs where all agree, else US dollars
 * (the unit costs are kept in), so answers of relays with different currencies still add up.
 */
export function commonCurrency(currencies: Iterable<Currency | undefined>): Currency {
  let common: Currency | undefined;
  for (const currency of currencies) {
    const c = currency ?? USD;
    if (!common) common = c;
    else if (!sameCurrency(common, c)) return USD;
  }
  return common ?? USD;
}

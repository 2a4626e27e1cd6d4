/** The currency a relay shows its balance in: its symbol and how many units one US dollar buys. */
export interface Currency {
  symbol: string;
  perUsd: number;
}

export const USD: Currency = { symbol: '$', perUsd: 1 };

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

/**
 * The relay's display currency, worked through by hand: new-api's `/api/status` names it, the
 * balance and every cost are shown in it, and costs stay in US dollars underneath.
 */
import assert from 'node:assert/strict';
import { commonCurrency, formatCost, USD } from '../../../src/common/billing/money';
import { parseRelayStatus, DEFAULT_STATUS } from '../../../src/common/billing/relayApi';
import { parseDashboard, parseNewApiUsage } from '../../../src/common/billing/balance';
import { usageSummary } from '../../../src/common/billing/usageSummary';
import { inCurrency } from '../../../src/common/billing/pricing';

const NOW = Date.UTC(2026, 10, 30, 12);
const status = (data: Record<string, unknown>) => parseRelayStatus({ success: true, data });

describe('billing: the relay’s currency', () => {
  it('reads each kind of new-api status, and US dollars from one-api and older new-api', () => {
    assert.deepEqual(status({ quota_per_unit: 500_000, quota_display_type: 'USD', usd_exchange_rate: 7.3 }), {
      quotaPerUnit: 500_000,
      currency: USD,
      dashboardUnit: 'usd',
    });
    assert.deepEqual(status({ quota_display_type: 'CNY', usd_exchange_rate: 7.2 }).currency, {
      symbol: '¥',
      perUsd: 7.2,
      code: 'CNY',
    });
    assert.deepEqual(
      status({
        quota_display_type: 'CUSTOM',
        custom_currency_symbol: ' € ',
        custom_currency_exchange_rate: 0.9,
      }),
      { quotaPerUnit: 500_000, currency: { symbol: '€', perUsd: 0.9 }, dashboardUnit: 'usd' },
    );
    assert.deepEqual(status({ quota_display_type: 'TOKENS', display_in_currency: false }), {
      quotaPerUnit: 500_000,
      currency: USD,
      dashboardUnit: 'quota',
    });
    // Older new-api: `price` is what a dollar of quota costs to top up, not how money is shown.
    assert.deepEqual(
      status({ quota_per_unit: 500_000, display_in_currency: true, price: 7.3 }),
      DEFAULT_STATUS,
    );
    // A CNY relay that names no rate: dollars, not a guess.
    assert.deepEqual(status({ quota_display_type: 'CNY' }), DEFAULT_STATUS);
  });

  it("shows new-api's /api/usage/token in yuan: 6,000,000 units = $12 = ¥86.40 at 7.2", () => {
    const cny = status({ quota_per_unit: 500_000, quota_display_type: 'CNY', usd_exchange_rate: 7.2 });
    const b = parseNewApiUsage(
      { data: { total_granted: 10_000_000, total_used: 4_000_000, total_available: 6_000_000 } },
      cny,
      NOW,
    );
    assert.equal(formatCost(12, cny.currency), '¥86.40');
    assert.equal(b.available.toFixed(2), '86.40');
    assert.equal(b.granted, 144);
    assert.equal(b.used!.toFixed(2), '57.60');
  });

  it('takes the dashboard pair of a yuan relay as yuan already (new-api converts it), not yuan again', () => {
    const cny = status({ quota_per_unit: 500_000, quota_display_type: 'CNY', usd_exchange_rate: 7.2 });
    // new-api: hard_limit_usd = 10,000,000 / 500,000 × 7.2 = 144; total_usage = 4,000,000 / 500,000 × 7.2 × 100.
    const b = parseDashboard('dashboard', { hard_limit_usd: 144 }, { total_usage: 5760 }, cny, NOW);
    assert.deepEqual([b.granted, b.used, b.available.toFixed(2)], [144, 57.6, '86.40']);
  });

  it('converts a custom currency’s dashboard pair from dollars, and a token-showing relay’s from quota units', () => {
    const eur = status({
      quota_display_type: 'CUSTOM',
      custom_currency_symbol: '€',
      custom_currency_exchange_rate: 0.9,
    });
    const b = parseDashboard('dashboard', { hard_limit_usd: 20 }, { total_usage: 766 }, eur, NOW);
    assert.deepEqual([b.granted, b.used!.toFixed(3), b.available.toFixed(3)], [18, '6.894', '11.106']);
    const tokens = status({ quota_per_unit: 500_000, quota_display_type: 'TOKENS' });
    // Raw quota: 10,000,000 units granted, 383,000,000 "cents" = 3,830,000 units used.
    const t = parseDashboard(
      'dashboard',
      { hard_limit_usd: 10_000_000 },
      { total_usage: 383_000_000 },
      tokens,
      NOW,
    );
    assert.deepEqual([t.granted, t.used!.toFixed(2), t.available.toFixed(2)], [20, '7.66', '12.34']);
  });

  it('shows a cost kept in dollars in the relay’s currency: $0.0075 is ¥0.05 (two decimals from a fen up), $0.001 is ¥0.0072', () => {
    const yuan = { symbol: '¥', perUsd: 7.2, code: 'CNY' };
    assert.equal(formatCost(0.0075, yuan), '¥0.05');
    assert.equal(formatCost(0.001, yuan), '¥0.0072');
    assert.equal(formatCost(0.0075), '$0.0075');
    assert.equal(
      usageSummary({
        usage: { prompt_tokens: 1000, completion_tokens: 500 },
        cost: 0.0075,
        costCurrency: yuan,
      }),
      '1,000 → 500 tokens · ¥0.05',
    );
  });

  it('adds up in one currency where all agree, else in dollars', () => {
    const yuan = { symbol: '¥', perUsd: 7.2, code: 'CNY' };
    assert.deepEqual(commonCurrency([yuan, { ...yuan }]), yuan);
    assert.deepEqual(commonCurrency([yuan, undefined]), USD);
    assert.deepEqual(commonCurrency([]), USD);
  });
});

describe('billing: pricing in the relay’s currency', () => {
  it('attaches a currency other than dollars to the pricing, and leaves dollars off', () => {
    const tokens = { kind: 'tokens' as const, price: { input: 1, output: 2 } };
    const yuan = { symbol: '¥', perUsd: 7.2, code: 'CNY' };
    assert.deepEqual(inCurrency(tokens, yuan), { ...tokens, currency: yuan });
    assert.deepEqual(inCurrency(tokens, USD), tokens);
  });
});

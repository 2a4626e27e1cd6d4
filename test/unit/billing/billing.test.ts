import assert from 'node:assert/strict';
import { formatMoney } from '../../../src/common/billing/money';
import { relayRoot } from '../../../src/common/billing/relayRoot';
import { parseRelayStatus, DEFAULT_STATUS, type RelayAccess } from '../../../src/common/billing/relayApi';
import { readBalance, parseNewApiUsage } from '../../../src/common/billing/balance';
import {
  costOf,
  parsePricing,
  pricingFor,
  tokenPriceOf,
  userPriceFor,
} from '../../../src/common/billing/pricing';

/** A fetch that answers by path (query left out) and records what was asked. */
function fakeFetch(routes: Record<string, unknown>) {
  const asked: { url: string; auth?: string }[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    asked.push({ url, auth: new Headers(init?.headers).get('authorization') ?? undefined });
    const path = new URL(url).pathname;
    if (!(path in routes)) return new Response('404 page not found', { status: 404 });
    const body = routes[path];
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200 });
  }) as typeof fetch;
  return { fn, asked };
}

const NOW = Date.UTC(2026, 10, 30, 12);

describe('billing: money', () => {
  it('shows two decimals from a cent up and two significant digits below', () => {
    assert.equal(formatMoney(12.3449), '$12.34');
    assert.equal(formatMoney(1234.5), '$1,234.50');
    assert.equal(formatMoney(0.0075), '$0.0075');
    assert.equal(formatMoney(0.000123456), '$0.00012');
    assert.equal(formatMoney(0.01), '$0.01');
    assert.equal(formatMoney(0), '$0');
    assert.equal(formatMoney(-1.5), '-$1.50');
    assert.equal(formatMoney(7, { symbol: '¥', perUsd: 7 }), '¥7.00');
  });
  it('finds the relay root without /v1', () => {
    assert.equal(relayRoot('https://relay.example/v1/'), 'https://relay.example');
    assert.equal(relayRoot('https://relay.example'), 'https://relay.example');
    assert.equal(relayRoot('https://relay.example/v1/chat/completions'), 'https://relay.example');
    assert.equal(relayRoot('https://host/api/v1'), 'https://host/api');
  });
});

describe('billing: status', () => {
  it('reads quota_per_unit and the display currency, with new-api defaults', () => {
    assert.deepEqual(parseRelayStatus({ data: {} }), DEFAULT_STATUS);
    const cny = parseRelayStatus({
      data: { quota_per_unit: 1000, quota_display_type: 'CNY', usd_exchange_rate: 7.2 },
    });
    assert.deepEqual(cny, {
      quotaPerUnit: 1000,
      currency: { symbol: '¥', perUsd: 7.2, code: 'CNY' },
      dashboardUnit: 'currency',
    });
    assert.equal(parseRelayStatus({ data: { display_in_currency: false } }).dashboardUnit, 'quota');
  });
});

describe('billing: balance', () => {
  const status = DEFAULT_STATUS;

  it("reads new-api's /api/usage/token in quota units, with the key", async () => {
    const { fn, asked } = fakeFetch({
      '/api/usage/token': {
        code: true,
        data: {
          total_granted: 10_000_000,
          total_used: 3_830_000,
          total_available: 6_170_000,
          unlimited_quota: false,
          expires_at: 1_800_000_000,
        },
      },
    });
    const access: RelayAccess = { root: 'https://relay.example', apiKey: 'sk-1', fetch: fn };
    const { balance, failures } = await readBalance(access, { status: async () => status, now: () => NOW });
    assert.deepEqual(failures, []);
    assert.deepEqual(balance, {
      source: 'newApi',
      currency: status.currency,
      unlimited: false,
      available: 12.34,
      granted: 20,
      used: 7.66,
      expiresAt: 1_800_000_000_000,
      readAt: NOW,
    });
    assert.deepEqual(asked, [{ url: 'https://relay.example/api/usage/token', auth: 'Bearer sk-1' }]);
  });

  it('marks an unlimited key and leaves a never-expiring one without expiry', () => {
    const b = parseNewApiUsage(
      { data: { total_available: 0, unlimited_quota: true, expires_at: 0 } },
      status,
      NOW,
    );
    assert.equal(b.unlimited, true);
    assert.equal(b.expiresAt, undefined);
  });

  it('falls back to the OpenAI-style pair under /v1, in cents, and asks the one that answered first next time', async () => {
    const { fn, asked } = fakeFetch({
      '/v1/dashboard/billing/subscription': {
        object: 'billing_subscription',
        hard_limit_usd: 50,
        access_until: 0,
      },
      '/v1/dashboard/billing/usage': { object: 'list', total_usage: 1234 },
    });
    const access: RelayAccess = { root: 'https://relay.example', fetch: fn };
    const first = await readBalance(access, { now: () => NOW });
    assert.equal(first.balance?.source, 'dashboardV1');
    assert.equal(first.balance?.granted, 50);
    assert.equal(first.balance?.used, 12.34);
    assert.equal(first.balance?.available, 37.66);
    assert.equal(first.failures.length, 2);
    assert.match(
      first.failures[0],
      /^newApi: GET https:\/\/relay\.example\/api\/usage\/token: HTTP 404 404 page not found$/,
    );
    const usageUrl = asked.find((a) => a.url.includes('/v1/dashboard/billing/usage'))!.url;
    assert.equal(new URL(usageUrl).searchParams.get('start_date'), '2026-08-23');
    assert.equal(new URL(usageUrl).searchParams.get('end_date'), '2026-12-01');
    asked.length = 0;
    const second = await readBalance(access, { preferred: 'dashboardV1', now: () => NOW });
    assert.equal(second.balance?.source, 'dashboardV1');
    assert.ok(
      asked.every((a) => a.url.includes('/v1/dashboard/')),
      'only the remembered endpoint asked',
    );
  });

  it('reads an unlimited key on the dashboard as ∞-worthy', async () => {
    const { fn } = fakeFetch({
      '/dashboard/billing/subscription': { hard_limit_usd: 100_000_000 },
      '/dashboard/billing/usage': { total_usage: 0 },
    });
    const { balance } = await readBalance({ root: 'https://r', fetch: fn }, { now: () => NOW });
    assert.equal(balance?.source, 'dashboard');
    assert.equal(balance?.unlimited, true);
  });

  it('returns no balance, and says why, where no endpoint answers', async () => {
    const { fn } = fakeFetch({ '/api/usage/token': { success: false, message: 'invalid token' } });
    const { balance, failures, missing } = await readBalance(
      { root: 'https://r', fetch: fn },
      { now: () => NOW },
    );
    assert.equal(balance, undefined);
    assert.equal(missing, false, 'one endpoint is there and refused the key: it may answer another');
    assert.deepEqual(
      failures.map((f) => f.replace(/:.*?: /, ': ')),
      [
        'newApi: refused: invalid token',
        'dashboard: HTTP 404 404 page not found',
        'dashboardV1: HTTP 404 404 page not found',
      ],
    );
  });

  it('tells a relay with no balance endpoint (404, 405, 501, a web page) from one failing for now', async () => {
    const answering = (status: number, body: string, contentType = 'text/plain') =>
      (async () => new Response(body, { status, headers: { 'content-type': contentType } })) as typeof fetch;
    const page = '<!doctype html><html><body>My Relay</body></html>';
    const cases: [string, typeof fetch, boolean][] = [
      ['404 everywhere', fakeFetch({}).fn, true],
      ['405', answering(405, 'Method Not Allowed'), true],
      ['501', answering(501, 'Not Implemented'), true],
      ['its web app for every path', answering(200, page, 'text/html'), true],
      ['502 from a proxy', answering(502, 'Bad Gateway'), false],
      ['401, a key refused', answering(401, '{"error":{"message":"invalid key"}}'), false],
      ['429', answering(429, 'Too Many Requests'), false],
      [
        'no answer',
        (async () => {
          throw new TypeError('fetch failed');
        }) as typeof fetch,
        false,
      ],
    ];
    for (const [name, fn, missing] of cases) {
      const result = await readBalance({ root: 'https://r', fetch: fn }, { now: () => NOW });
      assert.equal(result.balance, undefined, name);
      assert.equal(result.failures.length, 3, name);
      assert.equal(result.missing, missing, name);
    }
    // Missing on one, failing for now on another: not missing.
    const mixed = (async (input: string | URL | Request) =>
      String(input).includes('/api/usage/token')
        ? new Response('Bad Gateway', { status: 502 })
        : new Response('404 page not found', { status: 404 })) as typeof fetch;
    assert.equal((await readBalance({ root: 'https://r', fetch: mixed }, { now: () => NOW })).missing, false);
    // Stopped before every endpoint was asked: nothing is known.
    const controller = new AbortController();
    controller.abort();
    const aborted = await readBalance(
      { root: 'https://r', fetch: fakeFetch({}).fn, signal: controller.signal },
      { now: () => NOW },
    );
    assert.deepEqual([aborted.failures, aborted.missing], [[], false]);
  });
});

describe('billing: prices and cost', () => {
  const pricing = {
    success: true,
    data: [
      { model_name: 'gpt-4o', quota_type: 0, model_ratio: 1.25, completion_ratio: 4, model_price: 0 },
      { model_name: 'cached', quota_type: 0, model_ratio: 1, completion_ratio: 1, cache_ratio: 0.1 },
      { model_name: 'dall-e-3', quota_type: 1, model_ratio: 0, model_price: 0.04 },
    ],
    group_ratio: { default: 1, vip: 0.8 },
  };

  it("costs gpt-4o's 1,000 prompt + 500 completion tokens 3,750 units = $0.0075, as new-api does", () => {
    const table = parsePricing(pricing);
    const cost = costOf(table.get('gpt-4o')!, { prompt_tokens: 1000, completion_tokens: 500 });
    assert.equal(cost, 3750 / 500_000);
    assert.equal(formatMoney(cost), '$0.0075');
  });

  it('prices model ratio 1 at $2 per million tokens and exports it per 1M', () => {
    const table = parsePricing(pricing);
    assert.deepEqual(tokenPriceOf(table.get('gpt-4o')), { input: 2.5, output: 10 });
    assert.deepEqual(tokenPriceOf(table.get('cached')), { input: 2, output: 2, cachedInput: 0.2 });
    assert.equal(tokenPriceOf(table.get('dall-e-3')), undefined);
  });

  it('bills cached prompt tokens at the cache ratio and rounds to whole units', () => {
    const table = parsePricing(pricing);
    // (1000 − 800 + 800 × 0.1 + 3) × 1 = 283 units
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 3,
      prompt_tokens_details: { cached_tokens: 800 },
    };
    assert.equal(costOf(table.get('cached')!, usage), 283 / 500_000);
    // 0.4 units round to 0, and new-api then charges one.
    const tiny = parsePricing({
      data: [{ model_name: 'm', quota_type: 0, model_ratio: 0.1, completion_ratio: 1 }],
    });
    assert.equal(costOf(tiny.get('m')!, { prompt_tokens: 4, completion_tokens: 0 }), 1 / 500_000);
  });

  it('applies the group ratio, and a per-call price in dollars', () => {
    const vip = parsePricing({ ...pricing, group_ratio: { vip: 0.8 } });
    assert.equal(costOf(vip.get('gpt-4o')!, { prompt_tokens: 1000, completion_tokens: 500 }), 3000 / 500_000);
    assert.equal(costOf(vip.get('dall-e-3')!, { prompt_tokens: 10 }), 0.04 * 0.8);
    const custom = parsePricing(pricing, 1_000_000);
    assert.equal(
      costOf(custom.get('gpt-4o')!, { prompt_tokens: 1000, completion_tokens: 500 }),
      3750 / 1_000_000,
    );
  });

  it('lets relayChat.prices override the relay, globs allowed, exact ids first', () => {
    const prices = {
      'gpt-4*': { input: 1, output: 2 },
      'gpt-4o*': { input: 3, output: 4, cachedInput: 0.5 },
      'gpt-4o': { input: 5, output: 6 },
      broken: { input: 'x' },
    };
    assert.deepEqual(userPriceFor(prices, 'GPT-4o'), { input: 5, output: 6 });
    assert.deepEqual(userPriceFor(prices, 'gpt-4o-mini'), { input: 3, output: 4, cachedInput: 0.5 });
    assert.deepEqual(userPriceFor(prices, 'gpt-4.1'), { input: 1, output: 2 });
    assert.equal(userPriceFor(prices, 'broken'), undefined);
    const table = parsePricing(pricing);
    assert.deepEqual(pricingFor('gpt-4o', prices, table), { kind: 'tokens', price: { input: 5, output: 6 } });
    assert.equal(pricingFor('dall-e-3', prices, table)?.kind, 'call');
    assert.equal(pricingFor('unknown', prices, table), undefined);
    const mini = pricingFor('gpt-4o-mini', prices)!;
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 400 },
    };
    assert.equal(costOf(mini, usage), (600 * 3 + 400 * 0.5 + 500 * 4) / 1e6);
  });
});

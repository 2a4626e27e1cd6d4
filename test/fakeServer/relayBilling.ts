/**
 * A relay's own billing API on the fake server, under a path prefix so one server can play several
 * relays: new-api's `/api/usage/token`, `/api/status` and `/api/pricing`, or the OpenAI-style
 * `/dashboard/billing/*` pair. The balance goes down by `costPerAnswer` for each chat request the
 * relay under that prefix has answered, as a relay bills.
 */
import type { FakeServer } from './fakeServer';

export interface BillingRelay {
  /** Base URL for a profile: `${url}${prefix}/v1`. */
  baseUrl: string;
  answered(): number;
  /** Takes the billing routes this relay added off the server again. */
  stop(): void;
}

function relayOf(server: FakeServer, prefix: string, routes: string[]): BillingRelay {
  return {
    baseUrl: `${server.url}${prefix}/v1`,
    answered: () =>
      server.requests.filter((r) => r.path === `${prefix}/v1/chat/completions` && !r.closedEarly).length,
    stop: () => {
      for (const path of routes) server.route(path, undefined);
    },
  };
}

/** new-api: quota units, 500,000 a dollar; gpt-4o at ratio 1.25, completion ratio 4. */
export function serveNewApi(
  server: FakeServer,
  options: {
    prefix?: string;
    grantedUnits: number;
    usedUnits: number;
    costPerAnswerUnits: number;
    /** `/api/status` fields over the USD defaults, e.g. a relay that shows yuan. */
    status?: Record<string, unknown>;
  },
): BillingRelay {
  const prefix = options.prefix ?? '';
  const relay = relayOf(
    server,
    prefix,
    ['status', 'pricing', 'usage/token'].map((p) => `${prefix}/api/${p}`),
  );
  server.route(`${prefix}/api/status`, () => ({
    success: true,
    data: {
      quota_per_unit: 500_000,
      display_in_currency: true,
      quota_display_type: 'USD',
      ...options.status,
    },
  }));
  server.route(`${prefix}/api/pricing`, () => ({
    success: true,
    data: [
      {
        model_name: 'gpt-4o',
        quota_type: 0,
        model_ratio: 1.25,
        completion_ratio: 4,
        enable_groups: ['default'],
      },
      { model_name: 'flat-model', quota_type: 1, model_price: 0.02, enable_groups: ['default'] },
    ],
    group_ratio: { default: 1 },
    usable_group: { default: '' },
  }));
  server.route(`${prefix}/api/usage/token`, () => {
    const used = options.usedUnits + relay.answered() * options.costPerAnswerUnits;
    return {
      code: true,
      message: 'ok',
      data: {
        object: 'token_usage',
        name: 'e2e',
        total_granted: options.grantedUnits,
        total_used: used,
        total_available: options.grantedUnits - used,
        unlimited_quota: false,
        expires_at: 0,
      },
    };
  });
  return relay;
}

/** one-api style: `hard_limit_usd` and `total_usage` in cents, under `/v1`. */
export function serveDashboard(
  server: FakeServer,
  options: { prefix: string; limitUsd: number; usedCents: number; costPerAnswerCents: number },
): BillingRelay {
  const billing = `${options.prefix}/v1/dashboard/billing`;
  const relay = relayOf(server, options.prefix, [`${billing}/subscription`, `${billing}/usage`]);
  server.route(`${billing}/subscription`, () => ({
    object: 'billing_subscription',
    has_payment_method: true,
    hard_limit_usd: options.limitUsd,
    soft_limit_usd: options.limitUsd,
    access_until: 0,
  }));
  server.route(`${billing}/usage`, () => ({
    object: 'list',
    total_usage: options.usedCents + relay.answered() * options.costPerAnswerCents,
  }));
  return relay;
}

import { endpointHost } from '../../endpoint/baseUrl';
import { errorFromNetwork, errorFromResponse } from '../../endpoint/endpointError';
import { buildCompletionRequest } from './completionBodies';
import { parseCompletionBody } from './completionResponse';
import { refusalOf, type RefusalReason } from './modeRefusal';

/**
 * one-api and its forks rebuild a `/completions` body field by field and drop `suffix` without a
 * word: the model then continues the prefix as plain text and every suggestion ignores what follows
 * the cursor. The only outside sign is the prompt's size, so the probe sends one prompt twice, with
 * and without a long suffix, and compares the `usage.prompt_tokens` the server reports.
 * - `kept`: the suffix was counted;
 * - `dropped`: the counts are equal (within PROBE_TOLERANCE): the suffix never reached the model;
 * - `inconclusive`: no usage to compare (or a difference too small to be the suffix, too large to
 *   be the sentinels): native FIM stays, and Check Endpoint says it could not be confirmed;
 * - `failed`: a request failed; `refusal` says when that failure was the server refusing FIM.
 */
export type ProbeVerdict = 'kept' | 'dropped' | 'inconclusive' | 'failed';

export interface SuffixProbeResult {
  verdict: ProbeVerdict;
  withSuffix?: number;
  withoutSuffix?: number;
  /** Why the result is inconclusive or failed. */
  note?: 'noUsage' | 'unexpectedDifference' | 'error';
  refusal?: RefusalReason;
  status?: number;
  message?: string;
  /** Epoch ms. */
  at: number;
}

/**
 * Equal counts may still differ by a few tokens: a server that builds a FIM prompt adds its
 * sentinels (three or four tokens) only when a suffix is present. The suffix is ~400 tokens, so a
 * difference of 8 or less cannot be it, and one of 100 or more can be nothing else.
 */
export const PROBE_TOLERANCE = 8;
export const PROBE_KEPT_AT = 100;

const PROBE_PREFIX = 'function total(values) {\n  let total = 0;\n';
/** About 40 lines of 10+ tokens each: unmistakable in the count, cheap on any price list. */
export const PROBE_SUFFIX = Array.from(
  { length: 40 },
  (_, i) => `  total += values[${i}] * ${i + 1}; // weight ${i + 1}\n`,
).join('');

export interface SuffixProbeOptions {
  fetch: typeof fetch;
  baseUrl: string;
  model: string;
  /** Authorization and the profile's extra headers. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  now?: () => number;
}

type Count = { tokens?: number } | { failure: SuffixProbeResult };

async function promptTokens(
  options: SuffixProbeOptions,
  suffix: string | undefined,
  at: number,
): Promise<Count> {
  const request = buildCompletionRequest(
    'fim',
    options.baseUrl,
    { prefix: PROBE_PREFIX, suffix: suffix ?? '' },
    { model: options.model, maxTokens: 1, temperature: 0, stream: false },
  );
  if (suffix === undefined) delete request.body.suffix;
  const host = endpointHost(options.baseUrl);
  let response: Response;
  try {
    response = await options.fetch(request.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...options.headers },
      body: JSON.stringify(request.body),
      signal: options.signal,
    });
  } catch (err) {
    const error = errorFromNetwork(host, err);
    return { failure: { verdict: 'failed', note: 'error', message: error.message, at } };
  }
  const text = await response.text();
  try {
    if (!response.ok) throw errorFromResponse(host, response.status, response.headers, text);
    return { tokens: parseCompletionBody(host, text).usage?.prompt_tokens };
  } catch (err) {
    const error = err as ReturnType<typeof errorFromResponse>;
    const refusal = refusalOf(error);
    return {
      failure: {
        verdict: 'failed',
        note: 'error',
        ...(refusal && { refusal }),
        ...(error.status !== undefined && { status: error.status }),
        message: error.message,
        at,
      },
    };
  }
}

/** Two tiny requests (one output token each); run once per endpoint and model, then remembered. */
export async function probeSuffix(options: SuffixProbeOptions): Promise<SuffixProbeResult> {
  const at = (options.now ?? Date.now)();
  const without = await promptTokens(options, undefined, at);
  if ('failure' in without) return without.failure;
  const withSuffix = await promptTokens(options, PROBE_SUFFIX, at);
  if ('failure' in withSuffix) return withSuffix.failure;
  const counts = { withSuffix: withSuffix.tokens, withoutSuffix: without.tokens };
  if (counts.withSuffix === undefined || counts.withoutSuffix === undefined) {
    return { verdict: 'inconclusive', note: 'noUsage', ...defined(counts), at };
  }
  const difference = counts.withSuffix - counts.withoutSuffix;
  if (Math.abs(difference) <= PROBE_TOLERANCE) return { verdict: 'dropped', ...counts, at };
  if (difference >= PROBE_KEPT_AT) return { verdict: 'kept', ...counts, at };
  return { verdict: 'inconclusive', note: 'unexpectedDifference', ...counts, at };
}

function defined(counts: { withSuffix?: number; withoutSuffix?: number }): typeof counts {
  return Object.fromEntries(Object.entries(counts).filter(([, value]) => value !== undefined));
}

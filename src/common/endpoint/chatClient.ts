import { chatCompletionsUrl, endpointHost, modelsUrl } from './baseUrl';
import { capabilityKey, mergeCapabilities, rememberDowngrade, type CapabilityStore } from './capabilities';
import type { ChatEvent } from '../stream/chatEvents';
import type { ChatCompletionRequest } from './chatTypes';
import { EndpointError, errorFromNetwork, errorFromResponse, isAbortError } from './endpointError';
import {
  applyDowngrade,
  detectDowngrade,
  downgradeMessage,
  hasNonTextParts,
  type Downgrade,
} from './paramDowngrade';
import { prepareRequest } from './requestBuilder';
import { refusesWebp, shrinkForRetry, withoutWebp, type ImageVariantLookup } from '../images/imageBudget';
import { pulledBatches } from './pulledBatches';
import { knownRefusals, type ServerKind } from './serverKind';
import {
  abortError,
  backoffDelay,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUTS,
  isRetryable,
  sleep,
  systemClock,
  type Clock,
  type RetryOptions,
  type TimeoutOptions,
} from './retryPolicy';
import { attemptOnce, SinkError, type ChatEventSink } from './streamAttempt';
import { limitsFromModelEntry, type ModelLimits } from '../context/modelLimits';

function withLimits(entry: unknown): { limits?: ModelLimits } {
  const limits = limitsFromModelEntry(entry);
  return Object.keys(limits).length ? { limits } : {};
}

export interface EndpointConfig {
  baseUrl: string;
  /** Optional: Ollama, LM Studio and local servers need none. */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Keys learnt capabilities together with the model; the host alone if absent. */
  profileId?: string;
  /** Where refused parameters are remembered (globalState on the host). */
  capabilityStore?: CapabilityStore;
  /** The server behind the base URL, when the profile says: its known refusals apply from the start. */
  serverKind?: ServerKind;
  retry?: Partial<RetryOptions>;
  timeouts?: Partial<TimeoutOptions>;
}

export interface ClientDeps {
  fetch: typeof fetch;
  /** Timers for timeouts and backoff; the system clock unless a test hands in a fake. */
  clock?: Clock;
  /** Jitter source, for deterministic backoff in tests. */
  random?: () => number;
  /** The PNG/JPEG and smaller copies the image pipeline made, for a WebP refusal or a 413. */
  imageVariants?: ImageVariantLookup;
}

function requestHeaders(config: EndpointConfig, accept: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: accept,
    ...config.headers,
  };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
  return headers;
}

/** Events that put something on screen: after one, a retry would show it twice. */
function isOutput(event: ChatEvent): boolean {
  return event.type !== 'meta' && event.type !== 'notice' && event.type !== 'retrying';
}

export type { ChatEventSink } from './streamAttempt';

/**
 * Streams one chat completion as ChatEvents, one pull per event (see `readChatCompletion`, which
 * it runs: the same requests, retries and errors).
 */
export function streamChatCompletion(
  deps: ClientDeps,
  config: EndpointConfig,
  request: ChatCompletionRequest,
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  return pulledBatches<ChatEvent>((give) => readChatCompletion(deps, config, request, give, signal));
}

/**
 * Streams one chat completion into `sink`, a read's events at a time: no async step per event or
 * per layer, only the awaited network read (a long answer is thousands of small reads, and hops
 * between generators cost the host more than decoding them). Fits the request to the model and to
 * what the endpoint is known to refuse; on a 400 that names a refused parameter, retries once
 * without it (and remembers); on 429/5xx/network failures, retries with backoff, but only while
 * nothing has been shown. Throws EndpointError for anything the user must see (a cut stream after
 * its partial output, with hint `streamCut`); an AbortError when the caller's signal fires; what the
 * sink throws, as it threw it.
 */
export async function readChatCompletion(
  deps: ClientDeps,
  config: EndpointConfig,
  request: ChatCompletionRequest,
  sink: ChatEventSink,
  signal?: AbortSignal,
): Promise<void> {
  const host = endpointHost(config.baseUrl);
  const url = chatCompletionsUrl(config.baseUrl);
  const clock = deps.clock ?? systemClock;
  const retry = { ...DEFAULT_RETRY, ...config.retry };
  const timeouts = { ...DEFAULT_TIMEOUTS, ...config.timeouts };
  const store = config.capabilityStore;
  const key = capabilityKey(config.profileId ?? host, request.model);
  const tried: Downgrade[] = [
    ...new Set([...knownRefusals(config.serverKind), ...(store?.get(key)?.downgrades ?? [])]),
  ];
  let body = prepareRequest(request, tried);
  if (tried.includes('image_webp')) body = withoutWebp(body, deps.imageVariants);
  // What the user asked for in the panel and this endpoint refused before is said on every answer
  // that goes without it, not only on the first refusal: a structured answer asked as plain JSON,
  // token probabilities left out.
  for (const asked of askedButRefused(request, tried)) {
    const message = downgradeMessage(asked, host);
    if ((await sink([{ type: 'notice', code: 'downgraded', downgrade: asked, message }])) === false) return;
  }
  let unconfirmed: Downgrade | undefined;
  let failures = 0;
  let shrunk = false;

  for (;;) {
    let shown = false;
    const deliver = (events: readonly ChatEvent[]) => {
      if (!shown) shown = events.some(isOutput);
      return sink(events);
    };
    try {
      const headers = requestHeaders(config, 'text/event-stream, application/json');
      await attemptOnce(deps, url, host, headers, body, clock, timeouts, signal, deliver, async () => {
        if (unconfirmed && store) await rememberDowngrade(store, key, unconfirmed);
        unconfirmed = undefined;
      });
      return;
    } catch (err) {
      if (err instanceof SinkError) throw err.error;
      if (signal?.aborted) throw abortError(signal);
      if (shown || !(err instanceof EndpointError)) throw err;
      if (!tried.includes('image_webp') && refusesWebp(err.status, err.serverMessage, body)) {
        tried.push('image_webp');
        body = withoutWebp(body, deps.imageVariants);
        unconfirmed = 'image_webp';
        const message = downgradeMessage('image_webp', host);
        if (
          (await sink([{ type: 'notice', code: 'downgraded', downgrade: 'image_webp', message }])) === false
        )
          return;
        continue;
      }
      const smaller = err.status === 413 && !shrunk ? shrinkForRetry(body, deps.imageVariants) : undefined;
      if (smaller) {
        shrunk = true;
        body = smaller;
        const message = `${host} answered 413; sent smaller images.`;
        if ((await sink([{ type: 'notice', code: 'imagesShrunk', message }])) === false) return;
        continue;
      }
      const downgrade =
        err.kind === 'http'
          ? detectDowngrade(err.status, err.serverMessage, body, tried, err.errorParam)
          : undefined;
      if (downgrade === 'content_array' && hasNonTextParts(body)) {
        // Text could be joined into a string, but an image cannot: say so rather than drop it.
        if (store) await mergeCapabilities(store, key, { vision: false });
        throw textOnlyError(err);
      }
      if (downgrade) {
        tried.push(downgrade);
        body = applyDowngrade(body, downgrade);
        unconfirmed = downgrade;
        const message = downgradeMessage(downgrade, host);
        if ((await sink([{ type: 'notice', code: 'downgraded', downgrade, message }])) === false) return;
        continue;
      }
      if (failures >= retry.maxRetries || !isRetryable(err)) throw err;
      if (err.retryAfterMs !== undefined && err.retryAfterMs > retry.maxRetryAfterMs) throw err;
      failures += 1;
      const delayMs = backoffDelay(failures, retry, err.retryAfterMs, deps.random);
      if (
        (await sink([{ type: 'retrying', attempt: failures, delayMs, reason: retryReason(err) }])) === false
      )
        return;
      await sleep(clock, delayMs, signal);
    }
  }
}

function textOnlyError(err: EndpointError): EndpointError {
  return new EndpointError({
    kind: 'http',
    host: err.host,
    status: err.status,
    serverMessage: err.serverMessage,
    errorType: err.errorType,
    errorCode: err.errorCode,
    errorParam: err.errorParam,
    requestId: err.requestId,
    hint: 'textOnly',
    cause: err,
  });
}

function retryReason(err: EndpointError): string {
  const what = err.status ? `HTTP ${err.status}` : err.hint;
  return err.serverMessage ? `${what}: ${err.serverMessage}` : what;
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
  /** The context window and output limit the entry states, when it does. */
  limits?: ModelLimits;
}

export async function listModels(
  deps: ClientDeps,
  config: EndpointConfig,
  signal?: AbortSignal,
): Promise<ModelInfo[]> {
  const host = endpointHost(config.baseUrl);
  let response: Response;
  try {
    response = await deps.fetch(modelsUrl(config.baseUrl), {
      method: 'GET',
      headers: requestHeaders(config, 'application/json'),
      signal,
    });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw errorFromNetwork(host, err);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw errorFromResponse(host, response.status, response.headers, text);
  }
  const body = (await response.json().catch(() => undefined)) as
    { data?: unknown; models?: unknown } | undefined;
  const list = Array.isArray(body?.data) ? body.data : Array.isArray(body?.models) ? body.models : undefined;
  if (!list) {
    throw new EndpointError({
      kind: 'http',
      host,
      status: response.status,
      hint: 'badResponse',
      serverMessage: 'The model list has no "data" array.',
    });
  }
  return list
    .map((m) =>
      typeof m === 'string'
        ? { id: m }
        : {
            id: String((m as { id?: unknown; name?: unknown }).id ?? (m as { name?: unknown }).name ?? ''),
            ownedBy: (m as { owned_by?: string }).owned_by,
            ...withLimits(m),
          },
    )
    .filter((m) => m.id);
}

/**
 * What the panel asks for on the user's word (a schema, token probabilities), by the downgrade that
 * leaves it out: a remembered refusal is said on every answer that goes without it.
 */
const ASKED_BY_USER: Partial<Record<Downgrade, (request: ChatCompletionRequest) => boolean>> = {
  json_schema: (request) => request.response_format?.type === 'json_schema',
  logprobs: (request) => request.logprobs !== undefined || request.top_logprobs !== undefined,
};

/** Whether a downgrade's notice is said on every answer (a Continue repeats it; once per answer is enough). */
export function saidOnEveryAnswer(downgrade: Downgrade | undefined): boolean {
  return !!downgrade && downgrade in ASKED_BY_USER;
}

/** The user's own requests that a remembered refusal leaves out of this one. */
function askedButRefused(request: ChatCompletionRequest, tried: readonly Downgrade[]): Downgrade[] {
  return (Object.keys(ASKED_BY_USER) as Downgrade[]).filter(
    (downgrade) => tried.includes(downgrade) && ASKED_BY_USER[downgrade]!(request),
  );
}

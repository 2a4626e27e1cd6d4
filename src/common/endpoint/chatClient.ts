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
import { readableBody } from './responseBody';
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
import { ChatStreamDecoder } from '../stream/sseDecoder';
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

/**
 * Where `readChatCompletion` delivers: the events of one network read (or one notice of the
 * client's own), in order, called synchronously from the read loop. The array is the client's and
 * is reused once the call returns. Returning `false` ends the stream there, as `break` ends a
 * `for await` loop: the connection is closed and nothing more is read or retried. A promise holds
 * the next read back until it settles.
 */
export type ChatEventSink = (events: readonly ChatEvent[]) => void | boolean | Promise<void | boolean>;

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
      await attemptOnce(deps, config, url, host, body, clock, timeouts, signal, deliver, async () => {
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

/** What the sink threw: the caller's own error, never taken for the endpoint's (or retried). */
class SinkError {
  constructor(readonly error: unknown) {}
}

/**
 * The sink's answer to one batch: true to read on. Its errors come out as SinkError. A sink that
 * returns nothing costs no promise.
 */
function handOver(sink: ChatEventSink, events: readonly ChatEvent[]): boolean | Promise<boolean> {
  let answer: ReturnType<ChatEventSink>;
  try {
    answer = sink(events);
  } catch (err) {
    throw new SinkError(err);
  }
  if (answer === undefined || typeof answer === 'boolean') return answer !== false;
  return answer.then(
    (more) => more !== false,
    (err: unknown) => {
      throw new SinkError(err);
    },
  );
}

/**
 * One request, start to end: timers, the body read loop, and the cut/complete decision. Hands the
 * events of each network read to `sink` together (the array is reused once it returns), so a read
 * costs one await, the read itself.
 */
async function attemptOnce(
  deps: ClientDeps,
  config: EndpointConfig,
  url: string,
  host: string,
  body: ChatCompletionRequest,
  clock: Clock,
  timeouts: TimeoutOptions,
  signal: AbortSignal | undefined,
  sink: ChatEventSink,
  onAccepted: () => Promise<void>,
): Promise<void> {
  // Our own controller: timeouts abort the socket too, and a consumer that stops reading early
  // (break, return) must not leave the connection open.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) throw abortError(signal);
  signal?.addEventListener('abort', onAbort, { once: true });
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Not every fetch errors its body on abort; cancelling the reader ends a pending read anywhere.
  controller.signal.addEventListener('abort', () => reader?.cancel().catch(() => undefined), { once: true });
  let timedOut: 'firstByte' | 'idle' | undefined;
  let timer: unknown;
  const arm = (which: 'firstByte' | 'idle', ms: number) => {
    clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      timedOut = which;
      controller.abort();
    }, ms);
  };
  const timeoutError = () =>
    new EndpointError({
      kind: 'timeout',
      host,
      hint: 'timeout',
      serverMessage:
        timedOut === 'firstByte'
          ? `No response within ${Math.round(timeouts.firstByteMs / 1000)} s.`
          : `No data for ${Math.round(timeouts.idleMs / 1000)} s.`,
    });
  const stopped = () => (signal?.aborted ? abortError(signal) : timedOut ? timeoutError() : undefined);
  // The body's idle timer outlives a read and looks at the pending one when it fires: setting and
  // clearing a timer around every read cost the host more than decoding the read. With no read
  // pending it lapses, and the next read sets it again (a consumer that walks away leaves no timer).
  let readSince: number | undefined;
  let watching = false;
  const watchIdle = (ms: number) => {
    timer = clock.setTimeout(() => {
      if (readSince === undefined) return void (watching = false);
      const quiet = clock.now() - readSince;
      if (quiet < timeouts.idleMs) return watchIdle(timeouts.idleMs - quiet);
      timedOut = 'idle';
      controller.abort();
    }, ms);
  };
  const startRead = () => {
    if (!watching) {
      watching = true;
      clock.clearTimeout(timer);
      watchIdle(timeouts.idleMs);
    }
    readSince = clock.now();
  };
  const timedRead = async (r: ReadableStreamDefaultReader<Uint8Array>) => {
    startRead();
    try {
      return await r.read();
    } finally {
      readSince = undefined;
    }
  };

  try {
    arm('firstByte', timeouts.firstByteMs);
    let response: Response;
    try {
      response = await abortable(
        deps.fetch(url, {
          method: 'POST',
          headers: requestHeaders(config, 'text/event-stream, application/json'),
          body: JSON.stringify({ ...body, stream: body.stream !== false }),
          signal: controller.signal,
        }),
        controller.signal,
      );
    } catch (err) {
      throw stopped() ?? (isAbortError(err) ? err : errorFromNetwork(host, err));
    }
    if (!response.ok) {
      arm('idle', timeouts.idleMs);
      const text = await response.text().catch(() => '');
      throw stopped() ?? errorFromResponse(host, response.status, response.headers, text);
    }
    clock.clearTimeout(timer);
    await onAccepted();
    if (!response.body) {
      throw new EndpointError({
        kind: 'stream',
        host,
        hint: 'badResponse',
        serverMessage: 'Empty response body.',
      });
    }

    const decoder = new ChatStreamDecoder(host, response.headers);
    const out: ChatEvent[] = [];
    let source: ReadableStream<Uint8Array>;
    try {
      source = await readableBody(response.body, response.headers, timedRead);
    } catch (err) {
      throw stopped() ?? err;
    }
    reader = source.getReader();
    if (controller.signal.aborted) throw stopped() ?? abortError(controller.signal);
    const isSse = (response.headers.get('content-type') ?? '').includes('event-stream');
    let whole = isSse ? undefined : '';
    const text = isSse ? undefined : new TextDecoder();
    let shown = false;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      // timedRead's steps in line: one async function less per read.
      startRead();
      try {
        chunk = await reader.read();
      } catch (err) {
        throw stopped() ?? cutError(host, shown, err);
      } finally {
        readSince = undefined;
      }
      if (chunk.done) break;
      if (text) {
        whole += text.decode(chunk.value, { stream: true });
        continue;
      }
      // What a read decoded before an error in it still goes out first: the text stays on screen.
      const failed = decoder.read(chunk.value, out);
      if (out.length) {
        shown = true;
        const more = handOver(sink, out);
        if (more !== true && !(await more)) return;
        out.length = 0;
      }
      if (failed) throw failed;
      if (decoder.done) break;
    }
    const failure = stopped();
    if (failure) throw failure;
    const failed = decoder.finish(out, whole === undefined ? undefined : whole + text!.decode());
    if (out.length) {
      shown = true;
      const more = handOver(sink, out);
      if (more !== true && !(await more)) return;
    }
    if (failed) throw failed;
    if (!decoder.complete) throw cutError(host, shown, undefined, decoder.truncated);
  } finally {
    clock.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // Ends the socket (and the reader, above) when we stop early; a no-op after a clean end.
    controller.abort();
  }
}

function cutError(host: string, shown: boolean, cause?: unknown, truncated = false): EndpointError {
  return new EndpointError({
    kind: 'stream',
    host,
    hint: 'streamCut',
    serverMessage: shown
      ? 'The connection closed before the answer was complete.'
      : truncated
        ? 'The connection closed in the middle of a message.'
        : 'The connection closed before any answer arrived.',
    cause,
  });
}

/** Rejects as soon as `signal` fires, even if a fetch implementation ignores it. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
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

import { EndpointError } from './endpointError';

/** Time, injectable so backoff and timeout tests never wait on the wall clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RetryOptions {
  /** Further attempts after the first; 0 turns retries off. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is shown instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 3,
  baseDelayMs: 800,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

export interface TimeoutOptions {
  /** From sending the request until the response headers arrive. */
  firstByteMs: number;
  /** Longest silence between two reads of the body; reasoning models can think quietly a while. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutOptions = { firstByteMs: 60_000, idleMs: 120_000 };

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 529]);

/** Transient failures only: a refused key or an exhausted balance will not heal in a few seconds. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof EndpointError)) return false;
  if (err.hint === 'quota') return false;
  switch (err.kind) {
    case 'http':
      return err.status !== undefined && RETRYABLE_STATUS.has(err.status);
    case 'network':
      return err.hint !== 'dns';
    case 'timeout':
      return true;
    case 'stream':
      return err.hint === 'streamCut' || (err.status !== undefined && RETRYABLE_STATUS.has(err.status));
    case 'config':
      return false;
  }
}

/**
 * Exponential backoff with jitter (between half and all of base·2^(attempt-1), capped), so clients
 * behind one relay do not retry in step. The server's Retry-After wins when it gives one.
 */
export function backoffDelay(
  attempt: number,
  options: RetryOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxRetryAfterMs);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Waits `ms` on `clock`; rejects with an AbortError the moment `signal` fires. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(abortError(signal!));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const err = new Error('The request was cancelled.');
  err.name = 'AbortError';
  return err;
}

import type { Clock } from '../../endpoint/retryPolicy';

export interface DebounceSettings {
  minMs: number;
  maxMs: number;
  /** A pause is this many of the user's usual gaps between keys. */
  typingFactor: number;
  /** Share of the endpoint's latency added: a slow, paid request is worth waiting longer for a real pause. */
  latencyFactor: number;
  /** Gaps longer than this are the user thinking, not typing speed. */
  maxGapMs: number;
  /** Weight of each new observation in the moving averages. */
  smoothing: number;
}

export const DEFAULT_DEBOUNCE: DebounceSettings = {
  minMs: 40,
  maxMs: 600,
  typingFactor: 1.6,
  latencyFactor: 0.15,
  maxGapMs: 1500,
  smoothing: 0.2,
};

/** Where the averages start before anything is measured: a steady typist, an average relay. */
const START_GAP_MS = 160;
const START_LATENCY_MS = 400;

/**
 * How long to wait after a keystroke before asking: long enough that the user has paused (measured
 * against their own typing speed), longer for an endpoint that is slow (each wasted request there
 * costs money and arrives late), within bounds. One timer is pending at a time: each keystroke
 * replaces it, and the wait it replaced reports that it was superseded.
 */
export class AdaptiveDebounce {
  private gapMs = START_GAP_MS;
  private latencyMs = START_LATENCY_MS;
  private lastKey: number | undefined;
  private pending: { handle: unknown; resolve: (fired: boolean) => void } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly settings: DebounceSettings = DEFAULT_DEBOUNCE,
  ) {}

  /** A keystroke now: its gap since the last one feeds the typing speed. */
  keystroke(): void {
    const now = this.clock.now();
    if (this.lastKey !== undefined) {
      const gap = now - this.lastKey;
      if (gap > 0 && gap <= this.settings.maxGapMs)
        this.gapMs += (gap - this.gapMs) * this.settings.smoothing;
    }
    this.lastKey = now;
  }

  /** A request took this long from sending to its last byte. */
  observeLatency(ms: number): void {
    this.latencyMs += (ms - this.latencyMs) * this.settings.smoothing;
  }

  get delayMs(): number {
    const { minMs, maxMs, typingFactor, latencyFactor } = this.settings;
    const raw = this.gapMs * typingFactor + this.latencyMs * latencyFactor;
    return Math.round(Math.min(maxMs, Math.max(minMs, raw)));
  }

  /**
   * Resolves true when the delay has passed with no newer wait, false when a newer wait replaced
   * this one or `signal` aborted.
   */
  wait(signal?: AbortSignal): Promise<boolean> {
    this.cancel();
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const onAbort = () => {
        if (this.pending?.resolve === done) this.cancel();
      };
      const done = (fired: boolean) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(fired);
      };
      const handle = this.clock.setTimeout(() => {
        this.pending = undefined;
        done(true);
      }, this.delayMs);
      this.pending = { handle, resolve: done };
      signal?.addEventListener('abort', onAbort);
    });
  }

  /** Drops the pending wait, which resolves false. */
  cancel(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.clock.clearTimeout(pending.handle);
    pending.resolve(false);
  }
}

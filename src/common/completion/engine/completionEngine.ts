import type { Clock } from '../../endpoint/retryPolicy';
import { estimateTokens } from '../../tokens/estimateTokens';
import { AdaptiveDebounce, DEFAULT_DEBOUNCE, type DebounceSettings } from './adaptiveDebounce';
import { CompletionCache, DEFAULT_CACHE_SETTINGS, type CacheSettings } from './completionCache';
import type { DailySpend } from './dailySpend';
import { emptyStats, type EngineStats } from './engineStats';
import { postProcess, stripFences } from './postProcess';
import { DEFAULT_WINDOW_BUDGET, multilineAt, promptWindow, type WindowBudget } from './promptWindow';
import { DEFAULT_SKIP_SETTINGS, skipRules, type SkipRules, type SkipSettings } from './skipRules';
import type { SnippetRing } from './snippetRing';
import { LiveSuggestion } from './typedAhead';
import type { CompleteFn, CompletionContext, CompletionPrompt, SkipReason } from './types';

export interface EngineSettings {
  skip: SkipSettings;
  window: WindowBudget;
  /** Tokens the open editors' snippets may add to a prompt; 0 sends none. */
  snippetTokens: number;
  cache: CacheSettings;
  debounce: DebounceSettings;
  /**
   * A request whose every caller was cancelled keeps going this long, for the next keystroke to
   * take it over (VS Code cancels the last call before it makes the next); then it is aborted.
   */
  orphanGraceMs: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  skip: DEFAULT_SKIP_SETTINGS,
  window: DEFAULT_WINDOW_BUDGET,
  snippetTokens: 512,
  cache: DEFAULT_CACHE_SETTINGS,
  debounce: DEFAULT_DEBOUNCE,
  orphanGraceMs: 150,
};

/** What the engine decided at a keystroke, for the log and the status bar. */
export type EngineEvent =
  | { kind: 'skipped'; reason: SkipReason }
  | { kind: 'cacheHit' }
  | { kind: 'typedAhead' }
  | { kind: 'request'; prompt: CompletionPrompt }
  | { kind: 'aborted'; why: 'diverged' | 'replaced' | 'orphaned' | 'disposed' }
  | { kind: 'failed'; error: unknown };

export interface EngineDeps {
  /** One completion request over the network (`completion/request/`). */
  complete: CompleteFn;
  clock: Clock;
  /** Today's spend and the daily budget; without it nothing is metered. */
  spend?: DailySpend;
  /** Recently seen chunks of the open editors; without it prompts carry no snippets. */
  ring?: SnippetRing;
  log?: (event: EngineEvent) => void;
}

/** How far after the cursor post-processing looks for the code a completion may run into. */
const SUFFIX_LOOK = 2_000;

/**
 * When to ask and what to offer, one call per keystroke: skip rules, the suggestion being typed
 * into, the prefix cache, the daily budget, the debounce, then one request at a time.
 */
export class CompletionEngine {
  private readonly counts = emptyStats();
  private readonly rules: SkipRules;
  private readonly cache: CompletionCache;
  private readonly debounce: AdaptiveDebounce;
  private live: LiveSuggestion | undefined;
  /** Callers waiting for the live request. */
  private waiters = 0;
  private orphanTimer: unknown;
  /** The latest keystroke's editor, to abort a stream the moment it stops matching the typing. */
  private latest: CompletionContext | undefined;

  constructor(
    private readonly deps: EngineDeps,
    private readonly settings: EngineSettings = DEFAULT_ENGINE_SETTINGS,
  ) {
    this.rules = skipRules(settings.skip);
    this.cache = new CompletionCache(settings.cache);
    this.debounce = new AdaptiveDebounce(deps.clock, settings.debounce);
  }

  get stats(): EngineStats {
    return { ...this.counts, skipped: { ...this.counts.skipped } };
  }

  /** The wait after a keystroke as it now stands (for the log). */
  get debounceMs(): number {
    return this.debounce.delayMs;
  }

  /** What to offer at this keystroke, or undefined. `signal` is the editor's cancellation. */
  onRequest(ctx: CompletionContext, signal: AbortSignal): Promise<string | undefined> {
    this.counts.keystrokes++;
    this.debounce.keystroke();
    this.latest = ctx;
    const reason = this.rules.check(ctx);
    if (reason) return Promise.resolve(this.skipped(reason));

    const live = this.live;
    if (live) {
      const match = live.match(ctx.documentKey, ctx.text, ctx.offset);
      if (match.kind === 'ahead' || match.kind === 'waiting') {
        this.debounce.cancel();
        this.counts.typedAheadHits++;
        this.deps.log?.({ kind: 'typedAhead' });
        if (live.done && match.kind === 'ahead') return Promise.resolve(this.offer(ctx, match.remainder));
        return this.follow(live, ctx, signal);
      }
      if (match.kind === 'diverged') this.stopLive('diverged');
    }

    const prefix = ctx.text.slice(0, ctx.offset);
    const hit = this.cache.get(prefix);
    if (hit) {
      this.debounce.cancel();
      this.counts.cacheHits++;
      this.deps.log?.({ kind: 'cacheHit' });
      this.stopLive('replaced');
      this.live = LiveSuggestion.finished(ctx.documentKey, ctx.text, ctx.offset, hit.remainder);
      return Promise.resolve(this.offer(ctx, hit.remainder));
    }
    if (this.deps.spend?.overBudget) return Promise.resolve(this.skipped('dailyBudget'));
    return this.debounce
      .wait(signal)
      .then((fired) => (fired ? this.request(ctx, prefix, signal) : undefined));
  }

  /** Stops the request in flight and the pending wait. */
  dispose(): void {
    this.debounce.cancel();
    this.stopLive('disposed');
  }

  private skipped(reason: SkipReason): undefined {
    this.counts.skipped[reason]++;
    this.deps.log?.({ kind: 'skipped', reason });
    return undefined;
  }

  private request(ctx: CompletionContext, prefix: string, signal: AbortSignal): Promise<string | undefined> {
    this.stopLive('replaced');
    const prompt = this.prompt(ctx);
    const controller = new AbortController();
    const live = new LiveSuggestion(ctx.documentKey, ctx.text, ctx.offset, controller);
    this.live = live;
    this.waiters = 0;
    this.counts.requests++;
    this.deps.log?.({ kind: 'request', prompt });
    const started = this.deps.clock.now();
    this.deps
      .complete(prompt, controller.signal, (piece) => {
        live.append(piece);
        this.abortIfLeftBehind(live);
      })
      .then(
        (result) => {
          if (live.done) return;
          this.debounce.observeLatency(this.deps.clock.now() - started);
          this.deps.spend?.record(
            result.usage ?? {
              promptTokens: estimateTokens(prompt.prefix) + estimateTokens(prompt.suffix),
              completionTokens: estimateTokens(result.text),
            },
          );
          let text = stripFences(result.text);
          if (!prompt.multiline && text.includes('\n')) text = text.slice(0, text.indexOf('\n'));
          live.finish(text);
          this.cache.set(prefix, text);
        },
        (error: unknown) => {
          if (live.done) return;
          this.counts.failed++;
          this.deps.log?.({ kind: 'failed', error });
          live.fail();
        },
      );
    return this.follow(live, ctx, signal);
  }

  private prompt(ctx: CompletionContext): CompletionPrompt {
    const { prefix, suffix } = promptWindow(ctx.text, ctx.offset, this.settings.window);
    const around = prefix.slice(-1_500) + suffix.slice(0, 500);
    const snippets = this.deps.ring?.pick(around, this.settings.snippetTokens) ?? [];
    return {
      prefix,
      suffix,
      snippets,
      languageId: ctx.languageId,
      path: ctx.path,
      multiline: multilineAt(ctx.text, ctx.offset),
    };
  }

  /** Waits for the live request on behalf of one keystroke, then offers what follows its typing. */
  private async follow(live: LiveSuggestion, ctx: CompletionContext, signal: AbortSignal) {
    this.waiters++;
    this.deps.clock.clearTimeout(this.orphanTimer);
    let onAbort = () => {};
    const cancelled = new Promise<void>((resolve) => {
      onAbort = resolve;
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([live.whenDone(), cancelled]);
    signal.removeEventListener('abort', onAbort);
    if (this.live === live) this.waiters--;
    if (signal.aborted) {
      if (this.live === live && this.waiters === 0 && !live.done) this.orphaned(live);
      return undefined;
    }
    const match = live.match(ctx.documentKey, ctx.text, ctx.offset);
    return match.kind === 'ahead' ? this.offer(ctx, match.remainder) : undefined;
  }

  private orphaned(live: LiveSuggestion): void {
    this.orphanTimer = this.deps.clock.setTimeout(() => {
      if (this.live === live && this.waiters === 0 && !live.done) this.stopLive('orphaned');
    }, this.settings.orphanGraceMs);
  }

  /** A stream still arriving that the latest keystroke has left behind is aborted at once. */
  private abortIfLeftBehind(live: LiveSuggestion): void {
    const ctx = this.latest;
    if (this.live !== live || !ctx || ctx.documentKey !== live.documentKey) return;
    if (live.match(ctx.documentKey, ctx.text, ctx.offset).kind === 'diverged') this.stopLive('diverged');
  }

  private stopLive(why: 'diverged' | 'replaced' | 'orphaned' | 'disposed'): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    this.waiters = 0;
    if (live.done) return;
    live.abort();
    this.counts.aborted++;
    this.deps.log?.({ kind: 'aborted', why });
  }

  private offer(ctx: CompletionContext, completion: string): string | undefined {
    const text = postProcess({
      completion,
      suffix: ctx.text.slice(ctx.offset, ctx.offset + SUFFIX_LOOK),
      multiline: multilineAt(ctx.text, ctx.offset),
    });
    if (text !== undefined) this.counts.offered++;
    return text;
  }
}

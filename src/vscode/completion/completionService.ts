import * as vscode from 'vscode';
import { formatMoney } from '../../common/billing/money';
import { costOf, type ModelPricing } from '../../common/billing/pricing';
import {
  CompletionEngine,
  DEFAULT_ENGINE_SETTINGS,
  type EngineEvent,
} from '../../common/completion/engine/completionEngine';
import { DailySpend, type DaySpend } from '../../common/completion/engine/dailySpend';
import { DEFAULT_RING_SETTINGS, SnippetRing } from '../../common/completion/engine/snippetRing';
import { DEFAULT_SKIP_SETTINGS } from '../../common/completion/engine/skipRules';
import type { CompletionContext } from '../../common/completion/engine/types';
import { CompletionLadder } from '../../common/completion/request/completionLadder';
import { completionRunner, NoModeError } from '../../common/completion/request/completionRunner';
import type { LadderRecord, LadderStore } from '../../common/completion/request/ladderTypes';
import { localServerOf } from '../../common/completion/request/localEndpoint';
import { systemClock } from '../../common/endpoint/retryPolicy';
import { isAbortError } from '../../common/endpoint/endpointError';
import type { EndpointSettings } from '../endpoint/settings';
import { AUTOCOMPLETE, readCompletionSettings, type CompletionSettings } from './completionSettings';
import { CompletionStatus } from './completionStatus';

const SPEND_KEY = 'relayChat.autocomplete.spend';
const LADDER_KEY = 'relayChat.autocomplete.ladder';

export interface CompletionServiceDeps {
  context: vscode.ExtensionContext;
  settings: EndpointSettings;
  fetch: typeof fetch;
  log: vscode.LogOutputChannel;
  /** How a model is billed (the relay's price table, relayChat.prices). */
  pricing(profileId: string, model: string): Promise<ModelPricing | undefined>;
}

/** What one configuration of completion works with; made again when a setting changes. */
interface Active {
  engine: CompletionEngine;
  ladder: CompletionLadder;
  model: string;
  free: boolean;
  problem?: string;
}

/**
 * Completion as you type, for the provider: the engine for the endpoint and model the settings
 * name, today's spend (kept across restarts), the status bar, and the budget's notice.
 */
export class CompletionService implements vscode.Disposable {
  private active: Promise<Active | undefined> | undefined;
  private current: Active | undefined;
  private config: CompletionSettings = readCompletionSettings();
  private readonly status = new CompletionStatus();
  private readonly ring = new SnippetRing();
  private readonly spend: DailySpend;
  private pricing: ModelPricing | undefined;
  private budgetSaidFor: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: CompletionServiceDeps) {
    this.spend = new DailySpend(
      () => Date.now(),
      { dailyBudgetUsd: this.config.dailyBudget, local: false },
      (usage) =>
        this.pricing
          ? costOf(this.pricing, {
              prompt_tokens: usage.promptTokens,
              completion_tokens: usage.completionTokens,
            })
          : undefined,
    );
    const saved = deps.context.globalState.get<DaySpend>(SPEND_KEY);
    if (saved) this.spend.restore(saved);
    this.spend.onRecord = () => this.spent();
    this.disposables.push(
      this.status,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('relayChat')) this.reconfigure();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.remember(e.textEditor)),
    );
    this.showStatus();
  }

  get enabled(): boolean {
    return this.config.enabled;
  }

  /** What to offer at this keystroke, or undefined. */
  async complete(ctx: CompletionContext, signal: AbortSignal): Promise<string | undefined> {
    if (!this.config.enabled) return undefined;
    const active = await this.ensure();
    if (!active || signal.aborted) return undefined;
    return active.engine.onRequest(ctx, signal);
  }

  /** Check Endpoint's lines about completion: the mode the ladder chose and why. */
  async describe(): Promise<string[]> {
    const active = await this.ensure();
    return active ? active.ladder.describe() : [];
  }

  async toggle(): Promise<void> {
    await vscode.workspace
      .getConfiguration(AUTOCOMPLETE)
      .update('enabled', !this.config.enabled, vscode.ConfigurationTarget.Global);
  }

  private reconfigure(): void {
    this.config = readCompletionSettings();
    this.current?.engine.dispose();
    this.current = undefined;
    this.active = undefined;
    this.showStatus();
  }

  private ensure(): Promise<Active | undefined> {
    this.active ??= this.build().then(
      (active) => {
        this.current = active;
        this.showStatus();
        return active;
      },
      (err: unknown) => {
        this.deps.log.warn(`Code completion cannot start: ${String(err)}`);
        this.active = undefined;
        return undefined;
      },
    );
    return this.active;
  }

  private async build(): Promise<Active | undefined> {
    const { settings } = this.deps;
    const read = settings.read();
    const profile = this.config.profile
      ? read.profiles.find((p) => p.id === this.config.profile)
      : read.active;
    if (!profile) {
      this.deps.log.warn(`Code completion: no usable profile "${this.config.profile || read.activeId}".`);
      return undefined;
    }
    const model = this.config.model || profile.defaultModel.trim();
    const resolved = await settings.resolve(false, { profileId: profile.id, model });
    const headers: Record<string, string> = { ...resolved.config.headers };
    if (resolved.config.apiKey) headers.Authorization = `Bearer ${resolved.config.apiKey}`;
    const baseUrl = resolved.config.baseUrl;
    // A server that runs the model on this machine costs nothing; a relay proxied on localhost does.
    const free = localServerOf(baseUrl) !== undefined || profile.serverKind === 'ollama';
    this.spend.configure({ dailyBudgetUsd: this.config.dailyBudget, local: free });
    this.pricing = free ? undefined : await this.deps.pricing(profile.id, model).catch(() => undefined);
    const ladder = new CompletionLadder(new GlobalStateLadderStore(this.deps.context.globalState), {
      baseUrl,
      model,
      ...(profile.serverKind ? { serverKind: profile.serverKind } : {}),
      ...(this.config.family ? { familySetting: this.config.family } : {}),
      mode: this.config.mode,
    });
    const complete = completionRunner({
      fetch: this.deps.fetch,
      endpoint: { baseUrl, model, headers },
      ladder,
      notice: (text, nowUsing) => {
        this.deps.log.info(`Code completion: ${text}`);
        if (nowUsing === 'chat') this.sayChatFallback(model);
      },
      probed: (result) => {
        this.deps.log.info(`Code completion: the suffix probe says ${result.verdict}.`);
        // Two requests of one output token each, counted like any other.
        const prompt = (result.withSuffix ?? 0) + (result.withoutSuffix ?? 0);
        if (prompt) this.spend.record({ promptTokens: prompt, completionTokens: 2 });
      },
    });
    const engine = new CompletionEngine(
      {
        complete,
        clock: systemClock,
        spend: this.spend,
        ring: this.ring,
        log: (event) => this.logEvent(event),
      },
      {
        ...DEFAULT_ENGINE_SETTINGS,
        skip: { ...DEFAULT_ENGINE_SETTINGS.skip, exclude: this.config.exclude },
        window: { prefixTokens: this.config.prefixTokens, suffixTokens: this.config.suffixTokens },
      },
    );
    this.deps.log.info(`Code completion: ${model} at ${baseUrl}. ${ladder.describe().join(' ')}`);
    const decided = ladder.decision();
    if (decided.mode === 'chat' && !decided.forced) this.sayChatFallback(model);
    return { engine, ladder, model, free };
  }

  /** After each request's usage is recorded: save the day, show it, and stop at the budget. */
  private spent(): void {
    void this.deps.context.globalState.update(SPEND_KEY, this.spend.state());
    this.showStatus();
    if (this.spend.overBudget) this.sayBudgetSpent();
  }

  /** The last resort is said once per model: slower, dearer, and one line at a time. */
  private readonly chatFallbackSaid = new Set<string>();

  private sayChatFallback(model: string): void {
    if (this.chatFallbackSaid.has(model)) return;
    this.chatFallbackSaid.add(model);
    const t = vscode.l10n.t;
    const open = t('Open Settings');
    void vscode.window
      .showInformationMessage(
        t(
          'Relay Chat: {0} cannot fill in the middle on this endpoint, so completions ask it as a chat model, one line at a time: slower, and dearer per suggestion. A code model (relayChat.autocomplete.model) completes better.',
          model,
        ),
        open,
      )
      .then((choice) =>
        choice === open
          ? vscode.commands.executeCommand('workbench.action.openSettings', `${AUTOCOMPLETE}.model`)
          : undefined,
      );
  }

  private sayBudgetSpent(): void {
    const day = this.spend.current.day;
    if (this.budgetSaidFor === day) return;
    this.budgetSaidFor = day;
    const t = vscode.l10n.t;
    const budget = this.config.dailyBudget;
    const raised = Number((budget * 2).toPrecision(6));
    const raise = t('Raise to {0}', formatMoney(raised));
    const open = t('Open Settings');
    void vscode.window
      .showWarningMessage(
        t(
          "Relay Chat: today's completion budget of {0} is spent; completions pause until tomorrow.",
          formatMoney(budget),
        ),
        raise,
        open,
      )
      .then(async (choice) => {
        if (choice === raise) {
          await vscode.workspace
            .getConfiguration(AUTOCOMPLETE)
            .update('dailyBudget', raised, vscode.ConfigurationTarget.Global);
          this.budgetSaidFor = undefined;
        } else if (choice === open) {
          await vscode.commands.executeCommand(
            'workbench.action.openSettings',
            `${AUTOCOMPLETE}.dailyBudget`,
          );
        }
      });
  }

  private logEvent(event: EngineEvent): void {
    if (event.kind === 'failed' && !isAbortError(event.error)) {
      const message = event.error instanceof Error ? event.error.message : String(event.error);
      this.deps.log.warn(`Code completion failed: ${message}`);
      if (event.error instanceof NoModeError && this.current) {
        this.current.problem = vscode.l10n.t('no way to ask for completions (see the log)');
        this.showStatus();
      }
    } else if (event.kind === 'skipped' && event.reason === 'dailyBudget') {
      this.sayBudgetSpent();
    }
  }

  /** The ring of places the user was: the chunk around the cursor, for the next prompts. */
  private remember(editor: vscode.TextEditor): void {
    if (!this.config.enabled || editor.document.uri.scheme !== 'file') return;
    const doc = editor.document;
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    if (doc.offsetAt(end) > DEFAULT_SKIP_SETTINGS.maxFileChars) return;
    // The ring keeps a chunk around the line: hand it that much of the file, not a copy of all of it
    // at every cursor move (the ring's window then falls where it would in the whole text).
    const line = editor.selection.active.line;
    const reach = DEFAULT_RING_SETTINGS.chunkLines;
    const first = Math.max(0, line - reach);
    const last = doc.lineAt(Math.min(doc.lineCount - 1, line + reach)).range.end;
    const text = doc.getText(new vscode.Range(first, 0, last.line, last.character));
    this.ring.add(vscode.workspace.asRelativePath(doc.uri), text, line - first);
  }

  private showStatus(): void {
    const active = this.current;
    this.status.show({
      enabled: this.config.enabled,
      model: active?.model ?? (this.config.model || this.deps.settings.currentModel()),
      spend: this.spend.current,
      free: active?.free ?? false,
      overBudget: this.spend.overBudget,
      ...(active?.problem ? { problem: active.problem } : {}),
    });
  }

  dispose(): void {
    this.current?.engine.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** What the ladder learnt per endpoint and model, in globalState (no secrets in it). */
class GlobalStateLadderStore implements LadderStore {
  constructor(private readonly memento: vscode.Memento) {}

  private all(): Record<string, LadderRecord> {
    return this.memento.get<Record<string, LadderRecord>>(LADDER_KEY) ?? {};
  }

  get(key: string): LadderRecord | undefined {
    return this.all()[key];
  }

  set(key: string, value: LadderRecord | undefined): Thenable<void> {
    const next = { ...this.all() };
    if (value) next[key] = value;
    else delete next[key];
    return this.memento.update(LADDER_KEY, next);
  }
}

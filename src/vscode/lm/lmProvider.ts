/**
 * The relay's models in VS Code's language-model API (vendor `relay-chat`): any extension's
 * `vscode.lm.selectChatModels({ vendor: 'relay-chat' })`, and VS Code's own model picker where the
 * workbench has one, can list and use them. The conversion and the request live in src/common/lm.
 */
import * as vscode from 'vscode';
import { capabilityKey } from '../../common/endpoint/capabilities';
import { modelOverrideFor } from '../../common/endpoint/profile';
import { knownWindow } from '../../common/context/contextWindows';
import type { ClientDeps } from '../../common/endpoint/chatClient';
import { redactSecrets } from '../../common/endpoint/redact';
import { lmModelInfos, parseLmModelId, type LmModelInfo } from '../../common/lm/lmModels';
import { messageText, type LmMessage } from '../../common/lm/lmMessages';
import { runLmRequest } from '../../common/lm/lmResponse';
import { describeError } from '../../common/panel/errorView';
import { SettingsError } from '../../common/settings/settingsError';
import { estimateTokens } from '../../common/tokens/estimateTokens';
import type { EndpointSettings } from '../endpoint/settings';

export const LM_VENDOR = 'relay-chat';

export class RelayLanguageModelProvider
  implements vscode.LanguageModelChatProvider<LmModelInfo>, vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(
    private readonly settings: EndpointSettings,
    private readonly fetch: typeof globalThis.fetch,
    private readonly log: vscode.LogOutputChannel,
    /** Keys seen, so the log and errors can mask them. */
    private readonly rememberKey: (key: string) => void,
    private readonly knownKeys: () => string[],
  ) {}

  /** Profiles, models, keys or learnt capabilities changed: VS Code asks for the list again. */
  refresh(): void {
    this.changed.fire();
  }

  provideLanguageModelChatInformation(): LmModelInfo[] {
    const capabilities = this.settings.capabilities;
    return lmModelInfos(
      this.settings.profiles(),
      (profileId, model) => capabilities.get(capabilityKey(profileId, model)),
      vscode.l10n.t,
      (profile, model) =>
        knownWindow(model, modelOverrideFor(profile, model), capabilities, capabilityKey(profile.id, model)),
    );
  }

  async provideLanguageModelChatResponse(
    model: LmModelInfo,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const ids = parseLmModelId(model.id);
    // A profile that is gone (a stale model id) is a SettingsError: said below, in the caller's terms.
    const resolved =
      ids &&
      (await this.settings.resolve(false, ids).catch((err: unknown) => {
        if (err instanceof SettingsError) return undefined;
        throw err;
      }));
    if (!ids || !resolved) {
      throw new Error(
        vscode.l10n.t(
          'Relay Chat has no profile for the model {0} any more. Check "relayChat.profiles".',
          model.id,
        ),
      );
    }
    if (resolved.config.apiKey) this.rememberKey(resolved.config.apiKey);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    const deps: ClientDeps = { fetch: this.fetch };
    try {
      await runLmRequest(
        deps,
        resolved.config,
        resolved.options ?? {},
        {
          model: ids.model,
          messages: messages as readonly LmMessage[],
          tools: options.tools,
          toolMode: options.toolMode,
          modelOptions: options.modelOptions,
        },
        {
          part: (part) =>
            progress.report(
              part.type === 'text'
                ? new vscode.LanguageModelTextPart(part.text)
                : new vscode.LanguageModelToolCallPart(part.call.callId, part.call.name, part.call.input),
            ),
          aside: (event) => {
            if (event.type === 'notice') this.log.info(`[lm] ${event.message}`);
            else if (event.type === 'retrying')
              this.log.info(`[lm] retrying (${event.attempt}): ${event.reason}`);
          },
        },
        controller.signal,
      );
    } catch (err) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      throw new Error(this.readable(err), { cause: err });
    } finally {
      cancel.dispose();
    }
  }

  provideTokenCount(
    _model: LmModelInfo,
    text: string | vscode.LanguageModelChatRequestMessage,
  ): Promise<number> {
    // No tokenizer ships with the extension: the shared estimate leans high and never undercounts CJK.
    if (typeof text === 'string') return Promise.resolve(estimateTokens(text));
    return Promise.resolve(estimateTokens(messageText(text as LmMessage)) + 3);
  }

  /** Status, host, the server's own words and what to do next, in one line; never a key. */
  private readable(err: unknown): string {
    const view = describeError(err, vscode.l10n.t);
    if (view.kind === 'unexpected') {
      this.log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    }
    const text = [view.title, view.detail, view.hint].filter(Boolean).join(' — ');
    return redactSecrets(text, this.knownKeys());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

import * as vscode from 'vscode';
import type { EndpointSettings } from '../endpoint/settings';
import { LM_VENDOR, RelayLanguageModelProvider } from './lmProvider';

/**
 * Registers the provider and keeps its model list fresh: settings, keys and endpoint checks all
 * change what it lists. Returns it so the endpoint check can refresh it too.
 */
export function registerLanguageModels(
  context: vscode.ExtensionContext,
  settings: EndpointSettings,
  fetch: typeof globalThis.fetch,
  log: vscode.LogOutputChannel,
  knownKeys: Set<string>,
): RelayLanguageModelProvider {
  const provider = new RelayLanguageModelProvider(
    settings,
    fetch,
    log,
    (key) => knownKeys.add(key),
    () => [...knownKeys],
  );
  context.subscriptions.push(
    provider,
    vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('relayChat')) provider.refresh();
    }),
    context.secrets.onDidChange((e) => {
      if (e.key.startsWith('relayChat.apiKey.')) provider.refresh();
    }),
  );
  return provider;
}

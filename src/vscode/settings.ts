import * as vscode from 'vscode';
import type { ResolvedEndpoint } from '../common/chatSession';
import { normalizeBaseUrl } from '../common/baseUrl';

const SECTION = 'relayChat';
/** The settings `relayChat.baseUrl` / `relayChat.model` form the default profile. */
const DEFAULT_PROFILE_KEY = 'relayChat.apiKey.default';

export class EndpointSettings {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** Read fresh on every request: a changed model or base URL applies to the next message. */
  async resolve(): Promise<ResolvedEndpoint> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const baseUrl = normalizeBaseUrl(config.get<string>('baseUrl', ''));
    const model = config.get<string>('model', '').trim();
    const apiKey = (await this.secrets.get(DEFAULT_PROFILE_KEY)) || undefined;
    return { config: { baseUrl, apiKey }, model };
  }

  async setApiKey(key: string): Promise<void> {
    await this.secrets.store(DEFAULT_PROFILE_KEY, key);
  }

  async clearApiKey(): Promise<void> {
    await this.secrets.delete(DEFAULT_PROFILE_KEY);
  }

  currentModel(): string {
    return vscode.workspace.getConfiguration(SECTION).get<string>('model', '');
  }
}

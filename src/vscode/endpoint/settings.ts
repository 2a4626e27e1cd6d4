import * as vscode from 'vscode';
import type { CapabilityStore, EndpointCapabilities } from '../../common/endpoint/capabilities';
import type { ResolvedEndpoint } from '../../common/conversation/chatSession';
import { normalizeBaseUrl } from '../../common/endpoint/baseUrl';
import { chatOptionsFor, endpointConfigFor, type EndpointProfile } from '../../common/endpoint/profile';
import type { ChatOptions } from '../../common/endpoint/requestBuilder';
import { isServerKind } from '../../common/endpoint/serverKind';

const SECTION = 'relayChat';
/** `relayChat.baseUrl` / `relayChat.model` form this profile. */
export const DEFAULT_PROFILE_ID = 'default';
const secretKey = (profileId: string) => `relayChat.apiKey.${profileId}`;
const CAPABILITIES_KEY = 'relayChat.capabilities';

/** Learnt and measured endpoint capabilities, kept in globalState (no secrets in them). */
export class GlobalStateCapabilityStore implements CapabilityStore {
  constructor(private readonly state: vscode.Memento) {}

  get(key: string): EndpointCapabilities | undefined {
    return this.state.get<Record<string, EndpointCapabilities>>(CAPABILITIES_KEY, {})[key];
  }

  set(key: string, value: EndpointCapabilities): Thenable<void> {
    const all = this.state.get<Record<string, EndpointCapabilities>>(CAPABILITIES_KEY, {});
    return this.state.update(CAPABILITIES_KEY, { ...all, [key]: value });
  }

  clear(): Thenable<void> {
    return this.state.update(CAPABILITIES_KEY, undefined);
  }
}

export class EndpointSettings {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    readonly capabilities: GlobalStateCapabilityStore,
  ) {}

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** The default profile (from baseUrl/model) followed by `relayChat.profiles`. */
  profiles(): EndpointProfile[] {
    const config = this.config();
    const fallback: EndpointProfile = {
      id: DEFAULT_PROFILE_ID,
      name: vscode.l10n.t('Default'),
      baseUrl: config.get<string>('baseUrl', ''),
      defaultModel: config.get<string>('model', ''),
      headers: config.get<Record<string, string>>('headers') || undefined,
    };
    const serverKind = config.get<string>('serverKind');
    if (isServerKind(serverKind)) fallback.serverKind = serverKind;
    const extra = (config.get<EndpointProfile[]>('profiles') ?? []).filter(
      (p) => p && typeof p.id === 'string' && p.id,
    );
    return [fallback, ...extra.filter((p) => p.id !== DEFAULT_PROFILE_ID)];
  }

  activeProfile(): EndpointProfile {
    const id = this.config().get<string>('activeProfile', DEFAULT_PROFILE_ID);
    const all = this.profiles();
    return all.find((p) => p.id === id) ?? all[0];
  }

  async setActiveProfile(id: string): Promise<void> {
    await this.config().update('activeProfile', id, vscode.ConfigurationTarget.Global);
  }

  /** The model for the active profile: `relayChat.model` for the default one. */
  currentModel(): string {
    return this.activeProfile().defaultModel?.trim() ?? '';
  }

  async setModel(model: string): Promise<void> {
    const profile = this.activeProfile();
    if (profile.id === DEFAULT_PROFILE_ID) {
      await this.config().update('model', model, vscode.ConfigurationTarget.Global);
      return;
    }
    const profiles = (this.config().get<EndpointProfile[]>('profiles') ?? []).map((p) =>
      p.id === profile.id ? { ...p, defaultModel: model } : p,
    );
    await this.config().update('profiles', profiles, vscode.ConfigurationTarget.Global);
  }

  /** Read fresh on every request: a changed model or base URL applies to the next message. */
  async resolve(): Promise<ResolvedEndpoint> {
    const profile = this.activeProfile();
    const model = profile.defaultModel?.trim() ?? '';
    const normalized = { ...profile, baseUrl: normalizeBaseUrl(profile.baseUrl) };
    const apiKey = (await this.secrets.get(secretKey(profile.id))) || undefined;
    const config = this.config();
    const endpoint = endpointConfigFor(normalized, model, { apiKey, capabilityStore: this.capabilities });
    endpoint.timeouts = {
      firstByteMs: Math.max(1, config.get<number>('timeouts.firstByteSeconds', 60)) * 1000,
      idleMs: Math.max(1, config.get<number>('timeouts.idleSeconds', 120)) * 1000,
    };
    endpoint.retry = { maxRetries: Math.max(0, config.get<number>('retries', 3)) };
    const base: ChatOptions = { includeUsage: true, ...config.get<ChatOptions>('requestOptions', {}) };
    return {
      config: endpoint,
      model,
      options: chatOptionsFor(normalized, model, base),
      profileId: profile.id,
    };
  }

  async setApiKey(key: string, profileId = this.activeProfile().id): Promise<void> {
    await this.secrets.store(secretKey(profileId), key);
  }

  async clearApiKey(profileId = this.activeProfile().id): Promise<void> {
    await this.secrets.delete(secretKey(profileId));
  }

  historyMaxBytes(): number {
    return Math.max(1, this.config().get<number>('history.maxMegabytes', 50)) * 1024 * 1024;
  }
}

import * as vscode from 'vscode';
import type { CapabilityStore, EndpointCapabilities } from '../../common/endpoint/capabilities';
import type { ResolvedEndpoint } from '../../common/conversation/chatSession';
import { normalizeBaseUrl } from '../../common/endpoint/baseUrl';
import {
  chatOptionsFor,
  endpointConfigFor,
  modelOverrideFor,
  type EndpointProfile,
} from '../../common/endpoint/profile';
import { capabilityKey } from '../../common/endpoint/capabilities';
import { knownWindow } from '../../common/context/contextWindows';
import type { SettingProblem, SettingSchema } from '../../common/settings/settingSchema';
import { SettingsError } from '../../common/settings/settingsError';
import {
  DEFAULT_PROFILE_ID,
  readSettings,
  SECTION,
  type CredentialHeader,
  type SettingsRead,
} from '../../common/settings/settingsRead';

export { DEFAULT_PROFILE_ID };
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

/** What a chat request needs, plus what was left out of it on the way (named, for the panel). */
export type ResolvedWithNotices = ResolvedEndpoint & { settingsNotices: SettingProblem[] };

export class EndpointSettings {
  /**
   * @param schema the manifest's `contributes.configuration.properties`: the one description of
   *   the settings, which every read is checked against.
   */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    readonly capabilities: GlobalStateCapabilityStore,
    private readonly schema: Readonly<Record<string, SettingSchema>>,
  ) {}

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** Every setting, checked. Cheap enough to run on each read, so a change applies at once. */
  read(): SettingsRead {
    const all = vscode.workspace.getConfiguration();
    const values = Object.fromEntries(Object.keys(this.schema).map((key) => [key, all.get(key)]));
    return readSettings({
      schema: this.schema,
      values,
      defaultProfileName: vscode.l10n.t('Default'),
      t: vscode.l10n.t,
    });
  }

  /** The usable profiles: the default one (from baseUrl/model) followed by `relayChat.profiles`. */
  profiles(): EndpointProfile[] {
    return this.read().profiles;
  }

  /**
   * The active profile. When it cannot work this is a stand-in with its id and no URL, so the
   * header, the key commands and the model picker still know which profile is meant.
   */
  activeProfile(): EndpointProfile {
    const read = this.read();
    if (read.active) return read.active;
    const broken = read.unusable.find((u) => u.id === read.activeId);
    return { id: read.activeId, name: broken?.name || read.activeId, baseUrl: '', defaultModel: '' };
  }

  async setActiveProfile(id: string): Promise<void> {
    await this.config().update('activeProfile', id, vscode.ConfigurationTarget.Global);
  }

  /** The model for the active profile: `relayChat.model` for the default one. */
  currentModel(): string {
    return this.activeProfile().defaultModel?.trim() ?? '';
  }

  async setModel(model: string): Promise<void> {
    const id = this.read().activeId;
    if (id === DEFAULT_PROFILE_ID) {
      await this.config().update('model', model, vscode.ConfigurationTarget.Global);
      return;
    }
    const raw: unknown = this.config().get('profiles');
    if (!Array.isArray(raw)) throw new SettingsError(this.read().activeProblems);
    const profiles = raw.map((p: unknown) =>
      p && typeof p === 'object' && (p as { id?: unknown }).id === id ? { ...p, defaultModel: model } : p,
    );
    await this.config().update('profiles', profiles, vscode.ConfigurationTarget.Global);
  }

  /**
   * Read fresh on every request: a changed model or base URL applies to the next message. A profile
   * that cannot work throws a SettingsError naming the setting; it is never sent half-valid.
   * `forChat` also requires a model (listing the models does not).
   */
  async resolve(
    forChat = false,
    /** Another profile and model than the active ones (a compare answer, a language-model request). */
    target?: { profileId: string; model: string },
  ): Promise<ResolvedWithNotices> {
    const read = this.read();
    const profile = target ? read.profiles.find((p) => p.id === target.profileId) : read.active;
    if (!profile) throw new SettingsError(read.activeProblems);
    if (forChat && !target && read.modelProblem) throw new SettingsError([read.modelProblem]);
    return this.resolveProfile(read, profile, target?.model ?? profile.defaultModel.trim());
  }

  private async resolveProfile(
    read: SettingsRead,
    profile: EndpointProfile,
    model: string,
  ): Promise<ResolvedWithNotices> {
    const normalized = { ...profile, baseUrl: normalizeBaseUrl(profile.baseUrl) };
    const apiKey = (await this.secrets.get(secretKey(profile.id))) || undefined;
    const endpoint = endpointConfigFor(normalized, model, { apiKey, capabilityStore: this.capabilities });
    const number = (key: string) => read.values[`${SECTION}.${key}`] as number;
    endpoint.timeouts = {
      firstByteMs: number('timeouts.firstByteSeconds') * 1000,
      idleMs: number('timeouts.idleSeconds') * 1000,
    };
    endpoint.retry = { maxRetries: number('retries') };
    return {
      config: endpoint,
      model,
      options: chatOptionsFor(normalized, model, { includeUsage: true, ...read.requestOptions }),
      profileId: profile.id,
      settingsNotices: read.notices,
      window: knownWindow(
        model,
        modelOverrideFor(normalized, model),
        this.capabilities,
        capabilityKey(profile.id, model),
      ),
    };
  }

  /** `relayChat.confirmAboveCost`: a question estimated above this many US dollars asks first. */
  confirmAboveCost(): number {
    return this.read().values[`${SECTION}.confirmAboveCost`] as number;
  }

  async setApiKey(key: string, profileId = this.activeProfile().id): Promise<void> {
    await this.secrets.store(secretKey(profileId), key);
  }

  /** The key of any profile, for the relay's own API (balance, prices). */
  async apiKey(profileId: string): Promise<string | undefined> {
    return (await this.secrets.get(secretKey(profileId))) || undefined;
  }

  async hasApiKey(profileId = this.activeProfile().id): Promise<boolean> {
    return !!(await this.secrets.get(secretKey(profileId)));
  }

  async clearApiKey(profileId = this.activeProfile().id): Promise<void> {
    await this.secrets.delete(secretKey(profileId));
  }

  /**
   * Moves a header that holds a key out of settings.json into Secret Storage, as that profile's
   * API key (sent as `Authorization: Bearer …`), and removes it from the settings that hold it.
   */
  async moveHeaderToSecret(found: CredentialHeader): Promise<void> {
    const config = this.config();
    const name = found.setting === `${SECTION}.headers` ? 'headers' : 'profiles';
    const inspected = config.inspect<unknown>(name);
    const targets = [
      [vscode.ConfigurationTarget.WorkspaceFolder, inspected?.workspaceFolderValue],
      [vscode.ConfigurationTarget.Workspace, inspected?.workspaceValue],
      [vscode.ConfigurationTarget.Global, inspected?.globalValue],
    ] as const;
    for (const [target, value] of targets) {
      const headersOf = (holder: unknown) =>
        holder && typeof holder === 'object' ? (holder as { headers?: unknown }).headers : undefined;
      if (name === 'headers') {
        const secret = headerValue(value, found.header);
        if (secret === undefined) continue;
        await this.setApiKey(secret, found.profileId);
        await config.update(name, withoutHeader(value, found.header), target);
        return;
      }
      if (!Array.isArray(value)) continue;
      const index = value.findIndex(
        (p: unknown) =>
          (p as { id?: unknown } | null)?.id === found.profileId &&
          headerValue(headersOf(p), found.header) !== undefined,
      );
      if (index < 0) continue;
      const profile = value[index] as Record<string, unknown>;
      await this.setApiKey(headerValue(profile.headers, found.header)!, found.profileId);
      const updated = [...value];
      updated[index] = { ...profile, headers: withoutHeader(profile.headers, found.header) };
      await config.update(name, updated, target);
      return;
    }
  }

  historyMaxBytes(): number {
    return (this.read().values[`${SECTION}.history.maxMegabytes`] as number) * 1024 * 1024;
  }

  sendOn(): 'enter' | 'ctrlEnter' {
    return this.read().values[`${SECTION}.sendOn`] as 'enter' | 'ctrlEnter';
  }
}

/** The key inside a header value: `Bearer sk-…` is stored as `sk-…`. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim().replace(/^bearer\s+/i, '') : undefined;
}

function withoutHeader(headers: unknown, name: string): Record<string, unknown> {
  const rest = { ...(headers as Record<string, unknown>) };
  delete rest[name];
  return rest;
}

import type * as vscode from 'vscode';
import { listModels } from '../../common/endpoint/chatClient';
import { endpointConfigFor } from '../../common/endpoint/profile';
import { normalizeBaseUrl } from '../../common/endpoint/baseUrl';
import type { EndpointSettings } from '../endpoint/settings';

const CACHE_MS = 5 * 60_000;
const LIST_TIMEOUT_MS = 15_000;

/**
 * Every profile's models as `<profile id>/<model id>` (the ids the language-model provider uses),
 * for the compare list. A profile whose /models does not answer offers its default model and the
 * exact ids of its per-model settings; why is in the log.
 */
export class CompareModels {
  private cache: { at: number; models: Promise<string[]> } | undefined;

  constructor(
    private readonly settings: EndpointSettings,
    private readonly fetchImpl: typeof fetch,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  list(): Promise<string[]> {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.models;
    const models = this.read();
    this.cache = { at: Date.now(), models };
    return models;
  }

  private async read(): Promise<string[]> {
    const profiles = this.settings.profiles().filter((p) => p.baseUrl);
    const lists = await Promise.all(
      profiles.map(async (profile) => {
        const known = [
          profile.defaultModel,
          ...Object.keys(profile.models ?? {}).filter((id) => !id.includes('*')),
        ];
        try {
          const config = endpointConfigFor({ ...profile, baseUrl: normalizeBaseUrl(profile.baseUrl) }, '', {
            apiKey: await this.settings.apiKey(profile.id),
          });
          const listed = await listModels(
            { fetch: this.fetchImpl },
            config,
            AbortSignal.timeout(LIST_TIMEOUT_MS),
          );
          known.push(...listed.map((m) => m.id));
        } catch (err) {
          this.log.info(`Compare: the models of ${profile.id} could not be listed: ${String(err)}`);
        }
        return [...new Set(known.map((id) => id.trim()).filter(Boolean))].map((id) => `${profile.id}/${id}`);
      }),
    );
    return lists.flat();
  }
}

/** `<profile id>/<model id>` → its parts; the model id may itself hold slashes. */
export function splitQualified(qualified: string): { profileId: string; model: string } {
  const slash = qualified.indexOf('/');
  return { profileId: qualified.slice(0, slash), model: qualified.slice(slash + 1) };
}

/** The relay's models as VS Code's language-model API lists them: one per profile × model. */
import type { EndpointCapabilities } from '../endpoint/capabilities';
import { endpointHost } from '../endpoint/baseUrl';
import { modelOverrideFor, type EndpointProfile } from '../endpoint/profile';
import { isReasoningModel } from '../endpoint/modelRules';

export interface LmModelInfo {
  /** `<profile id>/<model id>`: the model id may itself hold slashes, the profile id is before the first. */
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: boolean; imageInput: boolean };
}

export interface ModelLimits {
  maxInputTokens: number;
  maxOutputTokens: number;
}

/**
 * The one place the provider learns a model's window. For now: the profile's own `maxTokens` for
 * the model where it pins one, reasoning models' larger windows, else a window most current chat
 * models have. Meant to be pointed at the context-window knowledge once that exists.
 */
export function modelLimits(profile: EndpointProfile, model: string): ModelLimits {
  const pinned = modelOverrideFor(profile, model).options?.maxTokens;
  const base = isReasoningModel(model)
    ? { maxInputTokens: 200_000, maxOutputTokens: 100_000 }
    : { maxInputTokens: 128_000, maxOutputTokens: 16_384 };
  return pinned ? { ...base, maxOutputTokens: pinned } : base;
}

/** The profile's default model, then each model it names exactly in `models` (patterns are not models). */
export function profileModels(profile: EndpointProfile): string[] {
  const named = Object.keys(profile.models ?? {}).filter((m) => m.trim() && !m.includes('*'));
  return [...new Set([profile.defaultModel.trim(), ...named].filter(Boolean))];
}

/** The family VS Code selectors match on: the model's last path segment, lower case. */
export function modelFamily(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1).toLowerCase();
}

export function lmModelId(profileId: string, model: string): string {
  return `${profileId}/${model}`;
}

/** Splits `<profile id>/<model id>` at the first slash. */
export function parseLmModelId(id: string): { profileId: string; model: string } | undefined {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) return undefined;
  return { profileId: id.slice(0, slash), model: id.slice(slash + 1) };
}

export function lmModelInfos(
  profiles: readonly EndpointProfile[],
  capabilitiesOf: (profileId: string, model: string) => EndpointCapabilities | undefined,
  t: (message: string, ...args: string[]) => string,
): LmModelInfo[] {
  return profiles.flatMap((profile) => {
    const host = endpointHost(profile.baseUrl);
    return profileModels(profile).map((model): LmModelInfo => {
      const caps = capabilitiesOf(profile.id, model);
      return {
        id: lmModelId(profile.id, model),
        name: model,
        family: modelFamily(model),
        version: model,
        detail: profile.name || profile.id,
        tooltip: t('{0} through the Relay Chat profile "{1}" ({2})', model, profile.name || profile.id, host),
        ...modelLimits(profile, model),
        capabilities: { toolCalling: caps?.tools !== false, imageInput: caps?.vision === true },
      };
    });
  });
}

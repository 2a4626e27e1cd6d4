/** The relay's models as VS Code's language-model API lists them: one per profile × model. */
import type { EndpointCapabilities } from '../endpoint/capabilities';
import { endpointHost } from '../endpoint/baseUrl';
import { modelOverrideFor, type EndpointProfile } from '../endpoint/profile';
import { isReasoningModel } from '../endpoint/modelRules';
import type { KnownWindow } from '../context/modelLimits';
import { answerReserve } from '../context/requestTokens';

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

export interface LmLimits {
  maxInputTokens: number;
  maxOutputTokens: number;
}

/**
 * A model's limits as VS Code's language-model API reports them. The window the context module
 * knows (the profile's `contextWindow`, one learnt from a refusal, the model list's, the family's)
 * comes first: the answer's share is what the model may write (`maxTokens` pinned for the model,
 * else its known output limit, else the reserve the panel keeps), the rest is input. With no known
 * window: reasoning models' larger windows, else one most current chat models have.
 */
export function modelLimits(profile: EndpointProfile, model: string, window?: KnownWindow): LmLimits {
  const pinned = modelOverrideFor(profile, model).options?.maxTokens;
  if (window) {
    const output = pinned ?? window.maxOutputTokens ?? answerReserve(window, undefined);
    return { maxInputTokens: Math.max(1, window.tokens - output), maxOutputTokens: output };
  }
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
  windowOf: (profile: EndpointProfile, model: string) => KnownWindow | undefined = () => undefined,
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
        ...modelLimits(profile, model, windowOf(profile, model)),
        capabilities: { toolCalling: caps?.tools !== false, imageInput: caps?.vision === true },
      };
    });
  });
}

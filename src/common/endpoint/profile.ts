import type { CapabilityStore } from './capabilities';
import type { EndpointConfig } from './chatClient';
import type { ChatOptions } from './requestBuilder';
import type { ImageGeometry } from '../images/imagePolicy';
import { isServerKind, type ServerKind } from './serverKind';

/** Settings that apply to one model (or a family, with `*` wildcards) on one endpoint. */
export interface ModelOverride {
  options?: ChatOptions;
  /** Extra headers for this model only (some relays route by header). */
  headers?: Record<string, string>;
  /** The model's context window in tokens, when the endpoint does not say or says wrong. */
  contextWindow?: number;
  /** The most tokens the model writes in one answer. */
  maxOutputTokens?: number;
  /** Whether the model sees images, over what the endpoint check found and the model rules. */
  vision?: boolean;
  /** How images are sized for this model, over the model rules (`relayChat.images.geometry` wins). */
  imageGeometry?: ImageGeometry;
  /** Said to the model before every question asked of this model, after the profile's and the global one. */
  systemPrompt?: string;
}

/**
 * One endpoint the user talks to. Pure data, safe to keep in settings: the API key is not here,
 * the host resolves it from SecretStorage by `id`.
 */
export interface EndpointProfile {
  /** Stable across renames; keys the secret and the learnt capabilities. */
  id: string;
  name: string;
  baseUrl: string;
  defaultModel: string;
  headers?: Record<string, string>;
  /** Keyed by model id or a pattern such as `deepseek-*`; exact ids win over patterns. */
  models?: Record<string, ModelOverride>;
  /** The server behind the base URL, when known: its refusals are left out from the first request. */
  serverKind?: ServerKind;
  /** Said to the model before every question on this profile, after `relayChat.systemPrompt`. */
  systemPrompt?: string;
}

/** A model id against an id or a `*` pattern, case-insensitively. */
export function patternMatches(pattern: string, model: string): boolean {
  if (!pattern.includes('*')) return pattern.toLowerCase() === model.toLowerCase();
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(model);
}

/** Every override that matches `model`, patterns first (longest last) and the exact id on top. */
export function modelOverrideFor(profile: EndpointProfile, model: string): ModelOverride {
  const matches = Object.entries(profile.models ?? {})
    .filter(([pattern]) => patternMatches(pattern, model))
    .sort(([a], [b]) => Number(!a.includes('*')) - Number(!b.includes('*')) || a.length - b.length);
  const merged: ModelOverride = {};
  for (const [, override] of matches) {
    if (override.options) merged.options = { ...merged.options, ...override.options };
    if (override.headers) merged.headers = { ...merged.headers, ...override.headers };
    if (override.contextWindow) merged.contextWindow = override.contextWindow;
    if (override.maxOutputTokens) merged.maxOutputTokens = override.maxOutputTokens;
    if (override.vision !== undefined) merged.vision = override.vision;
    if (override.imageGeometry) merged.imageGeometry = override.imageGeometry;
    if (override.systemPrompt) merged.systemPrompt = override.systemPrompt;
  }
  return merged;
}

/** The options to send for `model`: the caller's, under what the profile pins for that model. */
export function chatOptionsFor(profile: EndpointProfile, model: string, base: ChatOptions = {}): ChatOptions {
  return { ...base, ...modelOverrideFor(profile, model).options };
}

export function endpointConfigFor(
  profile: EndpointProfile,
  model: string,
  secrets: { apiKey?: string; capabilityStore?: CapabilityStore } = {},
): EndpointConfig {
  const headers = { ...profile.headers, ...modelOverrideFor(profile, model).headers };
  return {
    baseUrl: profile.baseUrl,
    apiKey: secrets.apiKey,
    headers: Object.keys(headers).length ? headers : undefined,
    profileId: profile.id,
    capabilityStore: secrets.capabilityStore,
    ...(isServerKind(profile.serverKind) ? { serverKind: profile.serverKind } : {}),
  };
}

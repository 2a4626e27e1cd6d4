import { modelsUrl } from '../endpoint/baseUrl';
import { mergeCapabilities, type CapabilityStore } from '../endpoint/capabilities';
import { listModels, type ClientDeps, type EndpointConfig } from '../endpoint/chatClient';
import { familyLimits } from './familyWindows';
import { limitsFromOllamaShow, resolveWindow, type KnownWindow, type ModelLimits } from './modelLimits';

/**
 * A model's window, from everything known about it: the profile's override, what a refusal taught
 * (kept with the endpoint's capabilities, per profile and model), what the endpoint listed, the family.
 */
export function knownWindow(
  model: string,
  override: ModelLimits | undefined,
  store: CapabilityStore | undefined,
  key: string,
): KnownWindow | undefined {
  const caps = store?.get(key);
  return resolveWindow({
    override,
    learnt: caps?.contextWindow,
    listed: caps?.listedLimits,
    family: familyLimits(model),
  });
}

/** A refusal said the window is `tokens`: later requests plan with it. */
export async function rememberLearntWindow(
  store: CapabilityStore,
  key: string,
  tokens: number,
): Promise<void> {
  await mergeCapabilities(store, key, { contextWindow: tokens });
}

export async function rememberListedLimits(
  store: CapabilityStore,
  key: string,
  limits: ModelLimits,
): Promise<void> {
  if (limits.contextWindow || limits.maxOutputTokens)
    await mergeCapabilities(store, key, { listedLimits: limits });
}

/** Ollama serves its own API beside the OpenAI one: the profile says so, or its port does. */
export function isOllama(config: EndpointConfig): boolean {
  if (config.serverKind === 'ollama') return true;
  try {
    return new URL(config.baseUrl).port === '11434';
  } catch {
    return false;
  }
}

/**
 * Asks the endpoint what it knows about `model`'s window: Ollama's `POST /api/show` (the `num_ctx`
 * in use), else the model list's entry. Undefined when neither says; never throws.
 */
export async function discoverLimits(
  deps: ClientDeps,
  config: EndpointConfig,
  model: string,
  signal?: AbortSignal,
): Promise<ModelLimits | undefined> {
  try {
    if (isOllama(config)) {
      const url = new URL('/api/show', modelsUrl(config.baseUrl)).toString();
      const response = await deps.fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...config.headers },
        body: JSON.stringify({ model }),
        signal,
      });
      if (response.ok) {
        const limits = limitsFromOllamaShow(await response.json());
        if (limits.contextWindow) return limits;
      }
    }
    const models = await listModels(deps, config, signal);
    return models.find((m) => m.id === model)?.limits;
  } catch {
    // The model list is a hint; a relay without one still works, planned by the family or a refusal.
    return undefined;
  }
}

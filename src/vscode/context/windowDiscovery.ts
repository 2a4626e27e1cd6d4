import { capabilityKey, type CapabilityStore } from '../../common/endpoint/capabilities';
import { discoverLimits, knownWindow, rememberListedLimits } from '../../common/context/contextWindows';
import { modelOverrideFor, type EndpointProfile } from '../../common/endpoint/profile';
import type { ResolvedEndpoint } from '../../common/conversation/chatSession';

/** How long the first question of a model waits for the endpoint to say its window. */
const DISCOVERY_TIMEOUT_MS = 4000;

/**
 * Before a model's first question, when nothing says its window yet, asks the endpoint once
 * (Ollama's /api/show, else the model list) and keeps the answer with the capabilities.
 */
export class WindowDiscovery {
  private readonly tried = new Set<string>();

  constructor(
    private readonly fetchImpl: typeof fetch,
    private readonly store: CapabilityStore,
  ) {}

  async complete<T extends ResolvedEndpoint>(resolved: T, profile: EndpointProfile | undefined): Promise<T> {
    if (resolved.window) return resolved;
    const key = capabilityKey(resolved.profileId ?? '', resolved.model);
    if (this.tried.has(key) || !resolved.model) return resolved;
    this.tried.add(key);
    const limits = await discoverLimits(
      { fetch: this.fetchImpl },
      resolved.config,
      resolved.model,
      AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    );
    if (!limits) return resolved;
    await rememberListedLimits(this.store, key, limits);
    const override = profile ? modelOverrideFor(profile, resolved.model) : undefined;
    return { ...resolved, window: knownWindow(resolved.model, override, this.store, key) };
  }
}

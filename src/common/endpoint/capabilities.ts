import type { ReasoningSource } from '../stream/chatEvents';
import type { Downgrade } from './paramDowngrade';
import type { ModelLimits } from '../context/modelLimits';

/**
 * What one endpoint + model can do, learnt from its 400s (downgrades) or measured by the doctor.
 * Pure data so the host can keep it in globalState and the webview can show it.
 */
export interface EndpointCapabilities {
  /** Parameters the endpoint refused; later requests leave them out (or use the alternative). */
  downgrades: Downgrade[];
  streaming?: boolean;
  streamUsage?: boolean;
  tools?: boolean;
  vision?: boolean;
  /** Where the model's thinking arrives, when it shows any. */
  reasoningField?: ReasoningSource;
  maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
  /** The window a refusal for length taught (the relay's own limit, which may be below the model's). */
  contextWindow?: number;
  /** The window and output limit the model list or Ollama's /api/show stated. */
  listedLimits?: ModelLimits;
  /** Epoch ms of the last doctor run. */
  checkedAt?: number;
}

/** Backed by `ExtensionContext.globalState` on the host; by a Map in tests. */
export interface CapabilityStore {
  get(key: string): EndpointCapabilities | undefined;
  set(key: string, value: EndpointCapabilities): void | PromiseLike<void>;
}

export class MemoryCapabilityStore implements CapabilityStore {
  private readonly entries = new Map<string, EndpointCapabilities>();

  get(key: string): EndpointCapabilities | undefined {
    const value = this.entries.get(key);
    return value && { ...value, downgrades: [...value.downgrades] };
  }

  set(key: string, value: EndpointCapabilities): void {
    this.entries.set(key, { ...value, downgrades: [...value.downgrades] });
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}

/** Capabilities belong to a profile and a model: the same relay can front very different models. */
export function capabilityKey(profileId: string, model: string): string {
  return `${profileId}::${model}`;
}

export async function rememberDowngrade(
  store: CapabilityStore,
  key: string,
  downgrade: Downgrade,
): Promise<void> {
  const current = store.get(key) ?? { downgrades: [] };
  if (current.downgrades.includes(downgrade)) return;
  await store.set(key, { ...current, downgrades: [...current.downgrades, downgrade] });
}

export async function mergeCapabilities(
  store: CapabilityStore,
  key: string,
  update: Partial<EndpointCapabilities>,
): Promise<EndpointCapabilities> {
  const current = store.get(key) ?? { downgrades: [] };
  const downgrades = [...new Set([...current.downgrades, ...(update.downgrades ?? [])])];
  const next = { ...current, ...update, downgrades };
  await store.set(key, next);
  return next;
}

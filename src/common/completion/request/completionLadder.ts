import { normalizeBaseUrl } from '../../endpoint/baseUrl';
import type { CompletionMode } from './completionMode';
import { resolveFamily, type FimFamily } from './fimTemplates';
import { describeLadder } from './ladderDescription';
import type {
  LadderDecision,
  LadderEndpoint,
  LadderRecord,
  LadderStore,
  RefusalRecord,
  SkippedMode,
} from './ladderTypes';
import { isLocalEndpoint, localServerOf } from './localEndpoint';
import { refusalOf, type RefusalReason } from './modeRefusal';
import type { SuffixProbeResult } from './suffixProbe';

export class MemoryLadderStore implements LadderStore {
  private readonly entries = new Map<string, LadderRecord>();

  get(key: string): LadderRecord | undefined {
    const value = this.entries.get(key);
    return value && structuredClone(value);
  }

  set(key: string, value: LadderRecord | undefined): void {
    if (value) this.entries.set(key, structuredClone(value));
    else this.entries.delete(key);
  }
}

/** One relay fronts many models and one model sits behind many relays: the pair is what is learnt. */
export function ladderKey(baseUrl: string, model: string): string {
  let root = baseUrl;
  try {
    root = normalizeBaseUrl(baseUrl);
  } catch {
    // an unusable URL still gets a key of its own
  }
  return `${root}::${model}`;
}

type Host = 'mistral' | 'deepseek' | 'openrouter' | 'other';

function hostnameOf(baseUrl: string): string {
  try {
    return new URL(normalizeBaseUrl(baseUrl)).hostname.toLowerCase();
  } catch {
    return '';
  }
}

function hostOf(endpoint: LadderEndpoint): Host {
  const host = hostnameOf(endpoint.baseUrl);
  if (host === 'openrouter.ai' || host.endsWith('.openrouter.ai')) return 'openrouter';
  if (host === 'api.mistral.ai' || host === 'codestral.mistral.ai' || endpoint.serverKind === 'mistral') {
    return 'mistral';
  }
  if (host === 'api.deepseek.com') return 'deepseek';
  return 'other';
}

/**
 * The rungs a server offers, best first. Mistral has no `/completions`, only `/fim/completions`.
 * llama.cpp's `/v1/completions` ignores `suffix`, so its own `/infill` comes first there.
 */
function rungsFor(host: Host, endpoint: LadderEndpoint): CompletionMode[] {
  if (host === 'mistral') return ['mistral-fim', 'chat'];
  if (localServerOf(endpoint.baseUrl) === 'llamacpp') return ['infill', 'template', 'chat'];
  return ['fim', 'template', 'chat'];
}

/** What is known up front about a rung on this server, before any request. */
function knownSkip(
  mode: CompletionMode,
  host: Host,
  endpoint: LadderEndpoint,
  family?: FimFamily,
): SkippedMode | undefined {
  if (mode === 'template' && !family) return { mode, code: 'noFamily' };
  if (mode !== 'fim') return undefined;
  if (host === 'openrouter') return { mode, code: 'noFimOnHost', detail: 'openrouter.ai' };
  const local = localServerOf(endpoint.baseUrl);
  if (local === 'vllm') return { mode, code: 'serverRefusesSuffix', detail: 'vLLM' };
  if (local === 'lmstudio') return { mode, code: 'noSuffixOnServer', detail: 'LM Studio' };
  return undefined;
}

/** Servers whose `/completions` is known to honour `suffix`: no probe needed there. */
function trustsSuffix(host: Host, endpoint: LadderEndpoint): boolean {
  return (
    host === 'deepseek' || endpoint.serverKind === 'ollama' || localServerOf(endpoint.baseUrl) === 'ollama'
  );
}

/** The whole decision from what is configured and what was learnt; pure, so tests state it exactly. */
export function decideLadder(endpoint: LadderEndpoint, record: LadderRecord | undefined): LadderDecision {
  const resolved = resolveFamily(endpoint.model, endpoint.familySetting);
  const family = resolved?.family;
  const host = hostOf(endpoint);
  const forcedMode = endpoint.mode && endpoint.mode !== 'auto' ? endpoint.mode : undefined;
  const skipped: SkippedMode[] = [];
  const order: CompletionMode[] = [];
  const candidates = forcedMode ? [forcedMode] : rungsFor(host, endpoint);
  for (const mode of candidates) {
    // A forced mode is the user's word: only what makes it impossible (no template to build) stops it.
    const known = knownSkip(mode, host, endpoint, family);
    if (known && (!forcedMode || known.code === 'noFamily')) {
      skipped.push(known);
      continue;
    }
    const refusal = forcedMode ? undefined : record?.refused.find((r) => r.mode === mode);
    if (refusal) {
      skipped.push({ mode, code: 'refused', detail: refusalDetail(refusal) });
      continue;
    }
    if (!forcedMode && mode === 'fim' && record?.probe?.verdict === 'dropped') {
      const { withSuffix, withoutSuffix } = record.probe;
      skipped.push({ mode, code: 'suffixDropped', detail: `${withoutSuffix} → ${withSuffix} prompt tokens` });
      continue;
    }
    order.push(mode);
  }
  const mode = order[0];
  const probe = record?.probe;
  return {
    mode,
    order,
    ...(resolved && { family: resolved.family, familySource: resolved.source }),
    forced: !!forcedMode,
    local: isLocalEndpoint(endpoint.baseUrl),
    skipped,
    // A failed probe is never stored (see probed), so it is asked for again.
    probeNeeded: mode === 'fim' && !forcedMode && !probe && !trustsSuffix(host, endpoint),
    ...(probe && { probe }),
  };
}

function refusalDetail(refusal: RefusalRecord): string {
  const status = refusal.status ? `HTTP ${refusal.status}` : '';
  return [status, refusal.message].filter(Boolean).join(': ') || refusal.reason;
}

/**
 * The ladder for one endpoint + model: what to use, and the step down when the server refuses a
 * mode. Only refusals step down (see `refusalOf`); a failure that says nothing about the mode
 * leaves the decision as it was.
 */
export class CompletionLadder {
  readonly key: string;

  constructor(
    private readonly store: LadderStore,
    private readonly endpoint: LadderEndpoint,
    private readonly now: () => number = Date.now,
  ) {
    this.key = ladderKey(endpoint.baseUrl, endpoint.model);
  }

  decision(): LadderDecision {
    return decideLadder(this.endpoint, this.store.get(this.key));
  }

  /** What was decided and why, for Check Endpoint. */
  describe(): string[] {
    return describeLadder(this.decision());
  }

  /**
   * A request in `mode` failed. Returns the new decision when it was a refusal (remembered, so the
   * next keystroke goes straight to the next rung), undefined when it was not.
   */
  async failed(
    mode: CompletionMode,
    error: { status?: number; serverMessage?: string; errorParam?: string; errorType?: string },
  ): Promise<LadderDecision | undefined> {
    const reason = refusalOf(error);
    if (!reason) return undefined;
    await this.remember(mode, reason, error.status, error.serverMessage);
    return this.decision();
  }

  async probed(result: SuffixProbeResult): Promise<LadderDecision> {
    if (result.verdict === 'failed') {
      if (result.refusal) await this.remember('fim', result.refusal, result.status, result.message);
      return this.decision();
    }
    const current = this.store.get(this.key) ?? { refused: [] };
    await this.store.set(this.key, { ...current, probe: result });
    return this.decision();
  }

  /** Check Endpoint's "try again": everything learnt about this pair is forgotten. */
  async forget(): Promise<void> {
    await this.store.set(this.key, undefined);
  }

  private async remember(mode: CompletionMode, reason: RefusalReason, status?: number, message?: string) {
    const current = this.store.get(this.key) ?? { refused: [] };
    const refused = current.refused.filter((r) => r.mode !== mode);
    refused.push({
      mode,
      reason,
      ...(status !== undefined && { status }),
      ...(message && { message }),
      at: this.now(),
    });
    await this.store.set(this.key, { ...current, refused });
  }
}

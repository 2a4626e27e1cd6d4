import { endpointHost } from './baseUrl';
import {
  capabilityKey,
  mergeCapabilities,
  MemoryCapabilityStore,
  type CapabilityStore,
  type EndpointCapabilities,
} from './capabilities';
import { listModels, streamChatCompletion, type ClientDeps, type EndpointConfig } from './chatClient';
import { choiceText, type ChatEvent } from '../stream/chatEvents';
import type { ChatCompletionRequest, ChatMessage } from './chatTypes';
import { EndpointError, isAbortError, type ErrorHint } from './endpointError';
import type { Downgrade } from './paramDowngrade';
import { buildChatRequest, type ChatOptions } from './requestBuilder';
import { tinyPngDataUrl } from './tinyPng';

export type ProbeId = 'models' | 'chat' | 'stream' | 'usage' | 'tools' | 'vision' | 'reasoning' | 'maxTokens';

export type ProbeStatus = 'ok' | 'unsupported' | 'failed' | 'skipped';

export interface ProbeResult {
  id: ProbeId;
  status: ProbeStatus;
  /** One English line for the report; the host may show `id` + `status` translated instead. */
  detail: string;
  durationMs: number;
  error?: { status?: number; hint: ErrorHint; message: string; requestId?: string };
  /** Parameters the endpoint refused during this probe. */
  downgrades?: Downgrade[];
}

export interface DoctorReport {
  host: string;
  model: string;
  models?: string[];
  probes: ProbeResult[];
  capabilities: EndpointCapabilities;
}

export interface DoctorOptions {
  signal?: AbortSignal;
  /** Receives the measured capabilities (merged with what was learnt before). */
  store?: CapabilityStore;
  /** Called as each probe ends, for a live report. */
  onProbe?: (result: ProbeResult) => void;
}

const ORDER: ProbeId[] = ['models', 'chat', 'stream', 'usage', 'tools', 'vision', 'reasoning', 'maxTokens'];

// Hints that mean every further probe would fail the same way.
const FATAL: ReadonlySet<ErrorHint> = new Set(['auth', 'notFound', 'unreachable', 'dns', 'quota', 'config']);

/**
 * Probes what an endpoint + model can do, one small request per feature, and returns a report and
 * a capabilities object. Probes run in order and stop early when the key or the URL is wrong.
 * Nothing is retried: the doctor reports what the endpoint does, not what patience gets.
 */
export async function runDoctor(
  deps: ClientDeps,
  config: EndpointConfig,
  model: string,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  const host = endpointHost(config.baseUrl);
  const probes: ProbeResult[] = [];
  const capabilities: EndpointCapabilities = { downgrades: [] };
  const report: DoctorReport = { host, model, probes, capabilities };
  const clock = deps.clock;
  const now = clock ? () => clock.now() : () => Date.now();
  let fatal: EndpointError | undefined;

  const record = (result: ProbeResult) => {
    probes.push(result);
    options.onProbe?.(result);
  };

  const probe = async (id: ProbeId, run: () => Promise<Omit<ProbeResult, 'id' | 'durationMs'>>) => {
    if (fatal) {
      record({ id, status: 'skipped', detail: `Skipped: ${fatal.message}`, durationMs: 0 });
      return;
    }
    const started = now();
    try {
      record({ id, durationMs: now() - started, ...(await run()) });
    } catch (err) {
      if (isAbortError(err) || options.signal?.aborted) throw err;
      const error = err instanceof EndpointError ? err : undefined;
      if (error && FATAL.has(error.hint)) fatal = error;
      const refused = error?.status === 400 || error?.status === 422;
      record({
        id,
        status: refused && id !== 'chat' ? 'unsupported' : 'failed',
        detail: error?.message ?? String(err),
        durationMs: now() - started,
        error: error && {
          status: error.status,
          hint: error.hint,
          message: error.serverMessage ?? error.message,
          requestId: error.requestId,
        },
      });
    }
  };

  // Each chat probe learns into its own store, so a refusal in one probe is visible in its result
  // and does not quietly shape the next.
  const chat = async (messages: ChatMessage[], chatOptions: ChatOptions) => {
    const store = new MemoryCapabilityStore();
    const probeConfig: EndpointConfig = { ...config, capabilityStore: store, retry: { maxRetries: 0 } };
    const request: ChatCompletionRequest = buildChatRequest(model, messages, chatOptions);
    const events: ChatEvent[] = [];
    for await (const event of streamChatCompletion(deps, probeConfig, request, options.signal))
      events.push(event);
    const downgrades = store.get(capabilityKey(config.profileId ?? host, model))?.downgrades ?? [];
    capabilities.downgrades = [...new Set([...capabilities.downgrades, ...downgrades])];
    return { events, downgrades, ...choiceText(events) };
  };
  const ask = (text: string): ChatMessage[] => [{ role: 'user', content: text }];

  await probe('models', async () => {
    const models = await listModels(deps, config, options.signal);
    report.models = models.map((m) => m.id);
    const listed = report.models.includes(model);
    // The list's window for this model, where it states one, plans later requests.
    const limits = models.find((m) => m.id === model)?.limits;
    if (limits) capabilities.listedLimits = limits;
    return {
      status: 'ok',
      detail: `${models.length} models listed${listed ? '' : `; "${model}" is not among them`}.`,
    };
  });
  // A relay without /models can still chat.
  if (fatal?.hint === 'notFound') fatal = undefined;

  await probe('chat', async () => {
    const r = await chat(ask('Reply with the single word: pong'), { stream: false, maxTokens: 64 });
    return {
      status: 'ok',
      detail: `Answered: ${clipLine(r.content || r.reasoning)}`,
      downgrades: r.downgrades,
    };
  });

  await probe('stream', async () => {
    const r = await chat(ask('Count from 1 to 10, separated by spaces.'), { maxTokens: 64 });
    const pieces = r.events.filter((e) => e.type === 'content' || e.type === 'reasoning').length;
    capabilities.streaming = !r.downgrades.includes('stream');
    if (!capabilities.streaming)
      return { status: 'unsupported', detail: 'Streaming refused.', downgrades: r.downgrades };
    return {
      status: 'ok',
      detail:
        pieces > 1 ? `Streamed in ${pieces} pieces.` : 'Streamed, but the whole answer came in one piece.',
      downgrades: r.downgrades,
    };
  });

  await probe('usage', async () => {
    const r = await chat(ask('Say hi.'), { maxTokens: 16, includeUsage: true });
    const usage = r.events.find((e) => e.type === 'usage');
    capabilities.streamUsage = !!usage;
    return usage
      ? { status: 'ok', detail: `Token usage reported while streaming.`, downgrades: r.downgrades }
      : { status: 'unsupported', detail: 'No usage in the stream.', downgrades: r.downgrades };
  });

  await probe('tools', async () => {
    const r = await chat(ask('What is the weather in Paris? Use the get_weather tool.'), {
      maxTokens: 128,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather for a city.',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ],
      toolChoice: 'auto',
    });
    const calls = r.events.flatMap((e) => (e.type === 'toolCalls' ? e.calls : []));
    const call = calls.find((c) => c.function.name === 'get_weather');
    capabilities.tools = !!call && !r.downgrades.includes('tools');
    if (!capabilities.tools) {
      return { status: 'unsupported', detail: 'No tool call came back.', downgrades: r.downgrades };
    }
    let argsOk = true;
    try {
      JSON.parse(call!.function.arguments || '{}');
    } catch {
      argsOk = false;
    }
    return {
      status: argsOk ? 'ok' : 'failed',
      detail: argsOk
        ? `Called get_weather(${clipLine(call!.function.arguments)}).`
        : 'Tool arguments are not JSON.',
      downgrades: r.downgrades,
    };
  });

  await probe('vision', async () => {
    const r = await chat(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What colour is this image? Answer with one word.' },
            { type: 'image_url', image_url: { url: tinyPngDataUrl([255, 0, 0]), detail: 'low' } },
          ],
        },
      ],
      { maxTokens: 64 },
    );
    capabilities.vision = true;
    const saysRed = /red|红/i.test(r.content);
    return {
      status: 'ok',
      detail: saysRed ? 'Saw the red test image.' : `Accepted the image; answered: ${clipLine(r.content)}`,
    };
  });

  await probe('reasoning', async () => {
    const r = await chat(ask('What is 17 * 23? Think it through briefly, then answer.'), { maxTokens: 1024 });
    const first = r.events.find((e) => e.type === 'reasoning');
    if (!first?.source) return { status: 'unsupported', detail: 'No reasoning in the answer.' };
    capabilities.reasoningField = first.source;
    return {
      status: 'ok',
      detail: `Reasoning arrived in ${first.source} (${r.reasoning.length} characters).`,
    };
  });

  await probe('maxTokens', async () => {
    const r = await chat(ask('Say hi.'), { maxTokens: 16 });
    const refusedMaxTokens = r.downgrades.includes('max_tokens');
    const refusedMct = r.downgrades.includes('max_completion_tokens');
    const sent = buildChatRequest(model, ask('x'), { maxTokens: 16 });
    const param = refusedMaxTokens
      ? 'max_completion_tokens'
      : refusedMct || sent.max_tokens !== undefined
        ? 'max_tokens'
        : 'max_completion_tokens';
    capabilities.maxTokensParam = param;
    return { status: 'ok', detail: `Takes ${param}.`, downgrades: r.downgrades };
  });

  capabilities.checkedAt = now();
  if (options.store)
    await mergeCapabilities(options.store, capabilityKey(config.profileId ?? host, model), capabilities);
  probes.sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
  return report;
}

function clipLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line || '(empty)';
}

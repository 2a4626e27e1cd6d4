import type {
  ChatCompletionRequest,
  ChatMessage,
  FunctionTool,
  ReasoningEffort,
  ResponseFormat,
  ServiceTier,
  ToolChoice,
} from './chatTypes';
import { modelRules } from './modelRules';
import { applyDowngrades, flattenTextContent, type Downgrade } from './paramDowngrade';

/**
 * What a user (or a profile's per-model override) can set, in settings-style names. Anything left
 * undefined is not sent, so each endpoint applies its own defaults.
 */
export interface ChatOptions {
  temperature?: number;
  topP?: number;
  n?: number;
  stop?: string | string[];
  /** The output limit; sent as max_tokens or max_completion_tokens, whichever the model takes. */
  maxTokens?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  logitBias?: Record<string, number>;
  seed?: number;
  responseFormat?: ResponseFormat;
  tools?: FunctionTool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  logprobs?: boolean;
  topLogprobs?: number;
  reasoningEffort?: ReasoningEffort;
  /** Defaults to true: the panel streams. */
  stream?: boolean;
  includeUsage?: boolean;
  user?: string;
  metadata?: Record<string, string>;
  store?: boolean;
  serviceTier?: ServiceTier;
  /** Provider-specific fields (`enable_thinking`, `top_k`…), sent as given. */
  extra?: Record<string, unknown>;
}

/** Options in wire names, then the model's rules (see prepareRequest). */
export function buildChatRequest(
  model: string,
  messages: ChatMessage[],
  options: ChatOptions = {},
  downgrades: readonly Downgrade[] = [],
): ChatCompletionRequest {
  const stream = options.stream ?? true;
  const request: ChatCompletionRequest = {
    ...options.extra,
    model,
    messages,
    stream,
    stream_options:
      stream && options.includeUsage !== undefined ? { include_usage: options.includeUsage } : undefined,
    temperature: options.temperature,
    top_p: options.topP,
    n: options.n,
    stop: Array.isArray(options.stop) && options.stop.length === 0 ? undefined : options.stop,
    max_tokens: options.maxTokens,
    presence_penalty: options.presencePenalty,
    frequency_penalty: options.frequencyPenalty,
    logit_bias: options.logitBias,
    seed: options.seed,
    response_format: options.responseFormat,
    tools: options.tools?.length ? options.tools : undefined,
    tool_choice: options.toolChoice,
    parallel_tool_calls: options.parallelToolCalls,
    // top_logprobs is refused unless logprobs is on.
    logprobs: options.logprobs ?? (options.topLogprobs !== undefined ? true : undefined),
    top_logprobs: options.topLogprobs,
    reasoning_effort: options.reasoningEffort,
    user: options.user,
    metadata: options.metadata,
    store: options.store,
    service_tier: options.serviceTier,
  };
  return prepareRequest(request, downgrades);
}

const SAMPLING_FIELDS = [
  'temperature',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
] as const;

/**
 * Makes a request fit its model and endpoint: text-only content as one string (strict servers
 * such as DeepSeek's refuse arrays; every server takes a string), the model family's rules, the
 * history round-trip for reasoning, then whatever this endpoint is known to refuse. Idempotent
 * and copy-on-write, so the client can run it on any request it is handed.
 */
export function prepareRequest(
  request: ChatCompletionRequest,
  downgrades: readonly Downgrade[] = [],
): ChatCompletionRequest {
  const rules = modelRules(request.model);
  const out: ChatCompletionRequest = { ...request };
  if (rules.maxTokensParam === 'max_completion_tokens' && out.max_tokens !== undefined) {
    out.max_completion_tokens ??= out.max_tokens;
    delete out.max_tokens;
  }
  if (!rules.sampling) for (const field of SAMPLING_FIELDS) delete out[field];
  if (!rules.reasoningEffort) delete out.reasoning_effort;
  if (out.stream === false) delete out.stream_options;
  if (!out.tools?.length) {
    delete out.tools;
    delete out.tool_choice;
    delete out.parallel_tool_calls;
  }
  out.messages = prepareMessages(request.messages, rules.systemRole, rules.resendToolTurnReasoning);
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return applyDowngrades(out, downgrades);
}

function prepareMessages(
  messages: ChatMessage[],
  systemRole: 'system' | 'developer' | 'user' | undefined,
  resendToolTurnReasoning: boolean,
): ChatMessage[] {
  let lastUser = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user') lastUser = i;
  });
  return messages.map(flattenTextContent).map((m, i): ChatMessage => {
    if ((m.role === 'system' || m.role === 'developer') && systemRole && m.role !== systemRole) {
      return systemRole === 'user' ? { role: 'user', content: m.content } : { ...m, role: systemRole };
    }
    if (m.role === 'assistant' && m.reasoning_content !== undefined) {
      // DeepSeek needs the reasoning of the tool calls it is still working through (those after
      // the last user message) and refuses reasoning anywhere else; other providers refuse it.
      const keep = resendToolTurnReasoning && i > lastUser && !!m.tool_calls?.length;
      if (!keep) {
        const { reasoning_content: _dropped, ...rest } = m;
        return rest;
      }
    }
    return m;
  });
}

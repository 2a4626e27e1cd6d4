import type { Downgrade } from './paramDowngrade';

/**
 * What a profile can say about the server behind it, so the first request already leaves out what
 * that server refuses. Anything not listed is still learnt from the first refusal (paramDowngrade).
 */
export type ServerKind =
  | 'openai'
  | 'deepseek'
  | 'siliconflow'
  | 'groq'
  | 'mistral'
  | 'cerebras'
  | 'gemini'
  | 'anthropic'
  | 'xai'
  | 'moonshot'
  | 'zhipu'
  | 'dashscope'
  | 'ollama';

// From the strict-server catalogue (test/fixtures/strict/catalogue.json): the fields each server
// refuses that Relay Chat may send. Text-only content is always sent as a string, so no kind needs
// `content_array` here.
const KNOWN_REFUSALS: Record<ServerKind, readonly Downgrade[]> = {
  openai: [],
  deepseek: ['developer', 'logprobs'],
  siliconflow: ['developer'],
  groq: ['store', 'metadata', 'logprobs', 'logit_bias', 'n'],
  mistral: ['stream_options', 'max_completion_tokens', 'name', 'store', 'metadata'],
  cerebras: ['stream_options', 'parallel_tool_calls'],
  gemini: ['store', 'metadata', 'service_tier', 'frequency_penalty', 'presence_penalty'],
  anthropic: ['n'],
  xai: ['presence_penalty', 'frequency_penalty', 'name'],
  moonshot: [],
  zhipu: [],
  dashscope: ['developer', 'store', 'reasoning_effort', 'max_completion_tokens'],
  ollama: [],
};

export const SERVER_KINDS = Object.keys(KNOWN_REFUSALS) as ServerKind[];

export function isServerKind(value: unknown): value is ServerKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(KNOWN_REFUSALS, value);
}

/** The downgrades a declared server kind needs from the first request on. */
export function knownRefusals(kind: ServerKind | undefined): readonly Downgrade[] {
  return kind ? KNOWN_REFUSALS[kind] : [];
}

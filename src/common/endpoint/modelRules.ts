import type { ImageGeometry } from '../images/imagePolicy';

/**
 * What a model needs that the user should not have to know. Model ids arrive in every spelling
 * relays use (`o3-mini`, `openai/o3-mini`, `azure-o4-mini-2025-04-16`, `gpt-5-chat-latest`), so the
 * rules look at the last path segment and match families, not exact names. Unknown models get no
 * rules; the automatic downgrade (paramDowngrade.ts) covers whatever they reject.
 */
export interface ModelRules {
  /** Which field carries the output limit. */
  maxTokensParam: 'max_tokens' | 'max_completion_tokens';
  /** Reasoning models reject temperature/top_p (and the penalties) with a 400. */
  sampling: boolean;
  /** The role system prompts must use; undefined keeps whatever the caller sent. */
  systemRole?: 'system' | 'developer' | 'user';
  /** DeepSeek wants `reasoning_content` back on assistant tool-call messages of the current turn. */
  resendToolTurnReasoning: boolean;
  /** False where `reasoning_effort` is known to be refused. */
  reasoningEffort: boolean;
  /** The geometry the model's images are sized for (imagePolicy.ts); undefined: OpenAI's. */
  imageGeometry?: ImageGeometry;
  /** False for models known to see no images, so the panel says so before sending. */
  vision?: boolean;
}

/** The last path segment, lower-cased: `openai/o3-mini` → `o3-mini`. */
export function baseName(model: string): string {
  const slash = model.lastIndexOf('/');
  return (slash >= 0 ? model.slice(slash + 1) : model).toLowerCase();
}

const O_SERIES = /(^|[-_.:])o\d+(-|$)/;
const GPT5 = /(^|[-_.:])gpt-5/;
// o1-preview/o1-mini predate the developer role and refuse system messages outright.
const LEGACY_O1 = /(^|[-_.:])o1-(preview|mini)/;

export function isReasoningModel(model: string): boolean {
  const name = baseName(model);
  if (GPT5.test(name)) return !/chat/.test(name);
  return O_SERIES.test(name);
}

export function modelRules(model: string): ModelRules {
  return { ...textRules(model), ...imageRules(baseName(model)) };
}

// Text-only families: the DeepSeek API models, o1-mini/o3-mini, GPT-3.5, embeddings-era chat.
const NO_VISION = /^(deepseek-(chat|reasoner|coder|v\d)|o1-mini|o1-preview|o3-mini|gpt-3\.5|text-)/;

function imageRules(name: string): Pick<ModelRules, 'imageGeometry' | 'vision'> {
  return {
    ...(/claude/.test(name) ? { imageGeometry: 'claude' as const } : {}),
    ...(NO_VISION.test(name) ? { vision: false } : {}),
  };
}

function textRules(model: string): ModelRules {
  const name = baseName(model);
  if (isReasoningModel(model)) {
    return {
      maxTokensParam: 'max_completion_tokens',
      sampling: false,
      systemRole: LEGACY_O1.test(name) ? 'user' : 'developer',
      resendToolTurnReasoning: false,
      reasoningEffort: !LEGACY_O1.test(name),
    };
  }
  const openAiChat = /^(gpt-|chatgpt-)/.test(name);
  return {
    maxTokensParam: 'max_tokens',
    sampling: true,
    // Ollama, vLLM and most relays know only `system`; OpenAI chat models accept both.
    systemRole: openAiChat ? undefined : 'system',
    resendToolTurnReasoning: name.includes('deepseek'),
    // OpenAI's non-reasoning chat models reject it; elsewhere it is the user's call.
    reasoningEffort: !openAiChat,
  };
}

/**
 * Where a model's context window comes from, and which source wins. A window is a count of tokens
 * the model reads and writes in one request; `maxOutputTokens` is the most it writes.
 */
export interface ModelLimits {
  contextWindow?: number;
  maxOutputTokens?: number;
}

/**
 * Most trusted first: what the user pinned in the profile, what a refusal taught us (the relay's
 * own limit, which may be lower than the model's), what the endpoint listed, the family's known
 * window.
 */
export type WindowSource = 'override' | 'learnt' | 'listed' | 'family';

export interface KnownWindow {
  tokens: number;
  maxOutputTokens?: number;
  source: WindowSource;
}

const positive = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
};

const record = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/**
 * The limits one entry of `GET /models` states, in the field names servers use: `context_length`
 * (OpenRouter, many relays), `top_provider.context_length` / `max_completion_tokens` (OpenRouter),
 * `max_model_len` (vLLM), `max_context_length` (LM Studio), `context_window` (Groq, others).
 */
export function limitsFromModelEntry(entry: unknown): ModelLimits {
  const m = record(entry);
  if (!m) return {};
  const top = record(m.top_provider);
  const contextWindow =
    positive(m.context_length) ??
    positive(top?.context_length) ??
    positive(m.max_model_len) ??
    positive(m.max_context_length) ??
    positive(m.context_window) ??
    positive(m.loaded_context_length);
  const maxOutputTokens =
    positive(top?.max_completion_tokens) ??
    positive(m.max_output_tokens) ??
    positive(m.max_completion_tokens);
  return {
    ...(contextWindow ? { contextWindow } : {}),
    ...(maxOutputTokens ? { maxOutputTokens } : {}),
  };
}

/**
 * Ollama's `POST /api/show`: the model supports `model_info["<arch>.context_length"]`, but the
 * server reads only `num_ctx` tokens (from the Modelfile's `parameters`) and cuts the rest in
 * silence, so the window in use is `num_ctx` when it is set.
 */
export function limitsFromOllamaShow(body: unknown): ModelLimits {
  const show = record(body);
  if (!show) return {};
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(
    typeof show.parameters === 'string' ? show.parameters : '',
  );
  if (numCtx) return { contextWindow: Number(numCtx[1]) };
  const info = record(show.model_info);
  if (!info) return {};
  const arch = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : undefined;
  const own = arch ? positive(info[`${arch}.context_length`]) : undefined;
  const any = Object.entries(info).find(([key]) => key.endsWith('.context_length'))?.[1];
  const contextWindow = own ?? positive(any);
  return contextWindow ? { contextWindow } : {};
}

export interface WindowSources {
  override?: ModelLimits;
  learnt?: number;
  listed?: ModelLimits;
  family?: ModelLimits;
}

/** The window to plan with, or undefined when nothing says. The output limit comes from the same order. */
export function resolveWindow(sources: WindowSources): KnownWindow | undefined {
  const maxOutputTokens =
    sources.override?.maxOutputTokens ?? sources.listed?.maxOutputTokens ?? sources.family?.maxOutputTokens;
  const pick = (tokens: number | undefined, source: WindowSource): KnownWindow | undefined =>
    tokens ? { tokens, source, ...(maxOutputTokens ? { maxOutputTokens } : {}) } : undefined;
  return (
    pick(sources.override?.contextWindow, 'override') ??
    pick(sources.learnt, 'learnt') ??
    pick(sources.listed?.contextWindow, 'listed') ??
    pick(sources.family?.contextWindow, 'family')
  );
}

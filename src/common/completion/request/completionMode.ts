/**
 * The ways to ask an endpoint for the text at the cursor, best first (a leaf: the ladder, the
 * request builder and the probe all name them).
 * - `fim`: `POST {base}/completions` with `prompt` + `suffix` (OpenAI legacy, DeepSeek's /beta,
 *   SiliconFlow, Ollama's OpenAI layer);
 * - `mistral-fim`: Mistral's `POST {base}/fim/completions`;
 * - `infill`: llama.cpp's `POST {root}/infill` (other files in `input_extra`, its prompt cache);
 * - `template`: `/completions` with the model family's own FIM template in `prompt`, no `suffix`;
 * - `chat`: a chat model asked to fill a marked hole, one line, the last resort.
 */
export type CompletionMode = 'fim' | 'mistral-fim' | 'infill' | 'template' | 'chat';

export const COMPLETION_MODES: readonly CompletionMode[] = [
  'fim',
  'mistral-fim',
  'infill',
  'template',
  'chat',
];

/** `relayChat.autocomplete.mode`: `auto` lets the ladder decide; any mode forces that one alone. */
export type AutocompleteModeSetting = 'auto' | CompletionMode;

export function isCompletionMode(value: unknown): value is CompletionMode {
  return typeof value === 'string' && (COMPLETION_MODES as readonly string[]).includes(value);
}

export function modeSetting(value: unknown): AutocompleteModeSetting {
  return isCompletionMode(value) ? value : 'auto';
}

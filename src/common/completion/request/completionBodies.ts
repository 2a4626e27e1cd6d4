import type { ChatMessage } from '../../endpoint/chatTypes';
import type { CompletionMode } from './completionMode';
import { completionUrl } from './completionUrls';
import { fimTemplate, type FimFamily, type FimInput } from './fimTemplates';

export interface CompletionOptions {
  model: string;
  maxTokens: number;
  temperature?: number;
  stream: boolean;
  /** Ask for `usage` in the stream's last chunk (`stream_options.include_usage`); some servers refuse it. */
  streamUsage?: boolean;
  /** Extra stop sequences (the engine's own, e.g. a line break in single-line mode). */
  stop?: readonly string[];
  /** Needed by `template` mode only. */
  family?: FimFamily;
}

export interface CompletionRequest {
  mode: CompletionMode;
  url: string;
  body: Record<string, unknown>;
}

/** What the chat model is told the hole looks like; a marker no source file is likely to hold. */
export const HOLE = '{{FILL_HERE}}';

const CHAT_SYSTEM =
  `You complete code. The user sends a file with one hole marked ${HOLE}. ` +
  'Reply with only the text that replaces the hole: a single line at most, no explanation, ' +
  'no markdown fences, nothing that is already before or after the hole.';

function streamFields(options: CompletionOptions): Record<string, unknown> {
  if (!options.stream) return { stream: false };
  return options.streamUsage ? { stream: true, stream_options: { include_usage: true } } : { stream: true };
}

function stopField(stop: readonly string[]): Record<string, unknown> {
  return stop.length ? { stop: [...stop] } : {};
}

function temperatureField(options: CompletionOptions): Record<string, unknown> {
  return options.temperature === undefined ? {} : { temperature: options.temperature };
}

/** The chat fallback's question: the file around the cursor with the hole marked, other files first. */
export function chatHoleMessages(input: FimInput): ChatMessage[] {
  const others = (input.snippets ?? []).map((s) => `${s.path}:\n\`\`\`\n${s.text}\n\`\`\`\n\n`).join('');
  const name = input.path ? `${input.path}:\n` : '';
  return [
    { role: 'system', content: CHAT_SYSTEM },
    { role: 'user', content: `${others}${name}\`\`\`\n${input.prefix}${HOLE}${input.suffix}\n\`\`\`` },
  ];
}

/** One request body per mode, as each server's documentation spells it. */
export function buildCompletionRequest(
  mode: CompletionMode,
  baseUrl: string,
  input: FimInput,
  options: CompletionOptions,
): CompletionRequest {
  const url = completionUrl(mode, baseUrl);
  const extraStop = options.stop ?? [];
  switch (mode) {
    case 'fim':
    case 'mistral-fim':
      return {
        mode,
        url,
        body: {
          model: options.model,
          prompt: input.prefix,
          suffix: input.suffix,
          max_tokens: options.maxTokens,
          ...temperatureField(options),
          ...stopField(extraStop),
          ...streamFields(mode === 'mistral-fim' ? { ...options, streamUsage: false } : options),
        },
      };
    case 'infill':
      // llama.cpp's server README (/infill): input_extra chunks are other files, cache_prompt
      // reuses the evaluated prefix across keystrokes; n_predict is its max_tokens.
      return {
        mode,
        url,
        body: {
          model: options.model,
          input_prefix: input.prefix,
          input_suffix: input.suffix,
          input_extra: (input.snippets ?? []).map((s) => ({ filename: s.path, text: s.text })),
          cache_prompt: true,
          n_predict: options.maxTokens,
          ...temperatureField(options),
          ...stopField(extraStop),
          stream: options.stream,
        },
      };
    case 'template': {
      if (!options.family) throw new Error('template mode needs a model family');
      const template = fimTemplate(options.family);
      const prompt = template.build(template.takesSnippets ? input : { ...input, snippets: [] });
      return {
        mode,
        url,
        body: {
          model: options.model,
          prompt,
          max_tokens: options.maxTokens,
          ...temperatureField(options),
          ...stopField([...template.stop, ...extraStop]),
          ...streamFields(options),
        },
      };
    }
    case 'chat':
      return {
        mode,
        url,
        body: {
          model: options.model,
          messages: chatHoleMessages(input),
          max_tokens: options.maxTokens,
          ...temperatureField(options),
          ...stopField(extraStop),
          ...streamFields(options),
        },
      };
  }
}

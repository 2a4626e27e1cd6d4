import type { ChatMessage, Usage } from '../endpoint/chatTypes';
import { estimateTokens } from '../tokens/estimateTokens';

function textOf(message: ChatMessage): string {
  const content = (message as { content?: unknown }).content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: unknown }) =>
      part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
    )
    .join('\n');
}

/**
 * The tokens of a request whose relay sent no usage, counted with the same estimate the context
 * window and the language-model provider use: every message sent, and what came back.
 */
export function estimateUsage(sent: readonly ChatMessage[], answer: string): Usage {
  const prompt = sent.reduce((sum, message) => sum + estimateTokens(textOf(message)), 0);
  const completion = estimateTokens(answer);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

import type { ChatMessage, Usage } from '../endpoint/chatTypes';
import { messageTokens, REQUEST_OVERHEAD } from '../context/requestTokens';
import { estimateTokens } from '../tokens/estimateTokens';

/**
 * The tokens of a request whose relay sent no usage, counted as the context meter counts the
 * request: every message sent (its text, images by the size the model sees, tool calls, and each
 * message's overhead), and what came back.
 */
export function estimateUsage(sent: readonly ChatMessage[], answer: string): Usage {
  const prompt = sent.reduce((sum, message) => sum + messageTokens(message), REQUEST_OVERHEAD);
  const completion = estimateTokens(answer);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

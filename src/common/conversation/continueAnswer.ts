import type { ChatMessage } from '../endpoint/chatTypes';
import type { ViewMessage } from '../panel/protocol';

/** What "Continue" asks; the model sees its own partial answer just before it. */
export const CONTINUE_PROMPT =
  'Your previous answer was cut off. Continue exactly where it stopped, without repeating anything or adding a preamble.';

/** An answer Continue can carry on: one that was cut off or stopped. */
export function continuable(view: ViewMessage | undefined): boolean {
  return view?.role === 'assistant' && (view.status === 'incomplete' || view.status === 'stopped');
}

/**
 * The history a Continue asks with: the partial answer stays in it, and a hidden user turn asks
 * for the rest. The new text is appended to the same message, so it reads as one answer.
 */
export function continueHistory(history: ChatMessage[]): ChatMessage[] {
  return [...history, { role: 'user', content: CONTINUE_PROMPT }];
}

import type { ChatMessage } from '../endpoint/chatTypes';
import { costOf, type ModelPricing } from '../billing/pricing';
import { estimateUsage } from '../billing/answerUsage';
import type { ViewMessage } from '../panel/protocol';
import type { AnswerState, UpdateAnswer } from './answerEvents';

/**
 * The answer's usage (estimated where the relay sent none, marked so) and what it cost, by the
 * price the host knows for the model. A Continue's cost adds to the part before it.
 */
export async function accountAnswer(
  view: ViewMessage,
  history: ChatMessage[],
  answer: AnswerState,
  pricing: Promise<ModelPricing | undefined> | undefined,
  update: UpdateAnswer,
): Promise<void> {
  if (!answer.usage) {
    const produced = view.text.slice(answer.from) + (view.reasoning ?? '').slice(answer.reasoningFrom);
    update({ op: 'usage', usage: estimateUsage(history, produced), estimated: true });
  }
  const price = await pricing;
  if (price && view.usage)
    update({
      op: 'cost',
      usd: answer.costBefore + costOf(price, view.usage),
      ...(price.currency ? { currency: price.currency } : {}),
    });
}

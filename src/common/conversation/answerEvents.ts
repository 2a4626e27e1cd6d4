import type { ChatEvent } from '../stream/chatEvents';
import { saidOnEveryAnswer } from '../endpoint/chatClient';
import { EndpointError } from '../endpoint/endpointError';
import { describeNotice, describeRetry } from '../panel/errorView';
import type { Translate } from '../l10n/translate';
import { logprobsOp, tokenProbabilities } from '../logprobs/tokenLogprobs';
import { channelText } from '../panel/messageReducer';
import type { MessageOp, TextChannel, ViewMessage } from '../panel/protocol';

/** One request's part of a message: where it starts, and what the server said about it. */
export interface AnswerState {
  /** Where this request's text starts in the message (after the part a Continue resumes). */
  from: number;
  /** The reasoning's length when this request started. */
  reasoningFrom: number;
  /** The response id the server gave (the `id` of its chunks), for "request id" in messages. */
  responseId?: string;
  finishReason?: string;
  /** The endpoint's host, for messages about how the answer ended. */
  host: string;
  /** The relay sent this request's usage. */
  usage?: boolean;
  /** What the message had cost before this request (a Continue adds to it). */
  costBefore: number;
}

/** A request about to stream into `view`: it starts where the message stands now. */
export function startAnswer(view: ViewMessage): AnswerState {
  return {
    from: view.text.length,
    reasoningFrom: view.reasoning?.length ?? 0,
    host: '',
    costBefore: view.text.length ? (view.cost ?? 0) : 0,
  };
}

/** How an answer tells the panel what changed: the session applies it and holds it (deltaWindow.ts). */
export type UpdateAnswer = (op: MessageOp) => void;

/** Folds one engine event into the answer and tells the panel what changed. */
export function applyEvent(
  event: ChatEvent,
  view: ViewMessage,
  answer: AnswerState,
  update: UpdateAnswer,
  maxRetries: number,
  t: Translate,
): void {
  if ('choice' in event && event.choice !== 0) {
    // The first choice is the answer; the others (n > 1) are alternatives to switch to.
    const index = event.choice - 1;
    const channel = `alt:${index}` as const;
    if (event.type === 'content') {
      update({ op: 'text', channel, at: view.alternatives?.[index]?.length ?? 0, text: event.text });
    } else if (event.type === 'contentWasReasoning') {
      update({ op: 'clearAlternative', index });
    }
    return;
  }
  switch (event.type) {
    case 'content':
    case 'reasoning':
    case 'refusal':
      appendText(view, update, event.type, event.text);
      return;
    case 'contentWasReasoning':
      // What the panel shows as the answer moves into the Thinking block, in order.
      update({
        op: 'contentWasReasoning',
        from: answer.from,
        contentLength: view.text.length,
        reasoningLength: view.reasoning?.length ?? 0,
      });
      return;
    case 'toolCalls':
      update({ op: 'toolCalls', calls: event.calls });
      return;
    case 'toolCallDelta':
      return;
    case 'usage':
      answer.usage = true;
      update({ op: 'usage', usage: event.usage });
      return;
    case 'meta':
      if (event.id) answer.responseId = event.id;
      if (event.model && event.model !== view.model) update({ op: 'model', model: event.model });
      return;
    case 'notice':
    case 'retrying': {
      const text = event.type === 'notice' ? describeNotice(event, t) : describeRetry(event, maxRetries, t);
      // Said on every request that asks for a schema or token probabilities the endpoint refused
      // before: once per answer (a Continue asks again).
      if (event.type === 'notice' && view.notices?.includes(text) && saidOnEveryAnswer(event.downgrade))
        return;
      update({ op: 'notice', index: view.notices?.length ?? 0, text });
      return;
    }
    case 'finish':
      answer.finishReason = event.reason;
      return;
    case 'logprobs': {
      const tokens = tokenProbabilities(event.content);
      if (tokens.length) update(logprobsOp(view.logprobs, tokens));
      return;
    }
    case 'annotations':
      return;
  }
}

/** Text at the end of a channel: the offset is the channel's length, as the panel checks it. */
function appendText(view: ViewMessage, update: UpdateAnswer, channel: TextChannel, text: string): void {
  update({ op: 'text', channel, at: channelText(view, channel).length, text });
}

/** Whether this request put anything in the message: text, thinking, a refusal or tool calls. */
export function producedOutput(view: ViewMessage, answer: AnswerState): boolean {
  return (
    view.text.length > answer.from ||
    (view.reasoning?.length ?? 0) > answer.reasoningFrom ||
    !!view.refusal ||
    !!view.toolCalls?.length
  );
}

/** finish_reason values of the spec (and the legacy one); anything else is told to the user. */
const KNOWN_FINISH = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

/**
 * The stream ended without an error: undefined if the answer is complete. No turn ends in silence:
 * one that brought nothing, or that ended for a reason outside the spec, gets this error to say so,
 * with the finish_reason and the response id.
 */
export function endedBadly(view: ViewMessage, answer: AnswerState): EndpointError | undefined {
  const reason = answer.finishReason;
  const produced = producedOutput(view, answer);
  if (produced && (reason === undefined || KNOWN_FINISH.has(reason))) return undefined;
  return new EndpointError({
    kind: 'stream',
    host: answer.host,
    hint: produced ? 'unexpectedFinish' : 'emptyAnswer',
    serverMessage: reason === undefined ? undefined : `finish_reason: ${reason}`,
    requestId: answer.responseId,
  });
}

/**
 * The one fold of a message's updates, used by the host (its copy of the conversation) and by the
 * panel (what it renders). Text travels as appends that name the channel and the offset they start
 * at, so an update the panel already has (from a snapshot taken while the update was held for
 * batching) is skipped, and one that would leave a hole is refused: the panel then asks the host
 * for that message again. Every other update is idempotent (it sets, it does not add).
 */
import type { MessageOp, TextChannel, ViewMessage } from './protocol';
import { applyLogprobs, mergeLogprobs } from '../logprobs/tokenLogprobs';

/** What an update changed, for a renderer that draws only that. */
export interface Applied {
  /** Text that was not there before, per channel, in order. */
  appended: { channel: TextChannel; text: string }[];
  /** Anything else changed (the renderer redraws that part). */
  changed: Set<Exclude<MessageOp['op'], 'text'>>;
  /** An update could not apply: the panel's copy missed something. Ask for the message again. */
  gap: boolean;
}

export function channelText(message: ViewMessage, channel: TextChannel): string {
  switch (channel) {
    case 'content':
      return message.text;
    case 'reasoning':
      return message.reasoning ?? '';
    case 'refusal':
      return message.refusal ?? '';
    default:
      return message.alternatives?.[alternativeIndex(channel)] ?? '';
  }
}

function setChannelText(message: ViewMessage, channel: TextChannel, text: string): void {
  switch (channel) {
    case 'content':
      message.text = text;
      return;
    case 'reasoning':
      message.reasoning = text;
      return;
    case 'refusal':
      message.refusal = text;
      return;
    default: {
      const alternatives = (message.alternatives ??= []);
      const index = alternativeIndex(channel);
      // Alternatives before this one that sent nothing yet stay empty strings, never holes.
      for (let i = alternatives.length; i < index; i++) alternatives.push('');
      alternatives[index] = text;
    }
  }
}

const alternativeIndex = (channel: `alt:${number}`) => Number(channel.slice(4));

/** The length every text channel of `message` has: what a snapshot tells the other side. */
export function channelLengths(message: ViewMessage): Record<string, number> {
  const lengths: Record<string, number> = {
    content: message.text.length,
    reasoning: message.reasoning?.length ?? 0,
    refusal: message.refusal?.length ?? 0,
  };
  message.alternatives?.forEach((text, i) => (lengths[`alt:${i}`] = text.length));
  return lengths;
}

/** Folds `ops` into `message` in place. Ops after a gap still apply where they can. */
export function applyOps(message: ViewMessage, ops: readonly MessageOp[]): Applied {
  const applied: Applied = { appended: [], changed: new Set(), gap: false };
  for (const op of ops) {
    if (op.op === 'text') {
      const had = channelText(message, op.channel);
      if (op.at > had.length) {
        applied.gap = true;
        continue;
      }
      const fresh = op.text.slice(had.length - op.at);
      if (!fresh) continue;
      setChannelText(message, op.channel, had + fresh);
      const last = applied.appended[applied.appended.length - 1];
      if (last?.channel === op.channel) last.text += fresh;
      else applied.appended.push({ channel: op.channel, text: fresh });
      continue;
    }
    switch (op.op) {
      case 'contentWasReasoning': {
        const reasoning = message.reasoning ?? '';
        const moved = op.contentLength - op.from;
        // Already applied: the content was cut back to `from` and the reasoning holds the move.
        if (message.text.length === op.from && reasoning.length >= op.reasoningLength + moved) continue;
        if (message.text.length !== op.contentLength || reasoning.length !== op.reasoningLength) {
          applied.gap = true;
          continue;
        }
        message.reasoning = reasoning + message.text.slice(op.from);
        message.text = message.text.slice(0, op.from);
        break;
      }
      case 'clearAlternative':
        if (message.alternatives?.[op.index]) message.alternatives[op.index] = '';
        break;
      case 'toolCalls':
        message.toolCalls = op.calls.map((c) => ({ ...c, function: { ...c.function } }));
        break;
      case 'toolResult': {
        const results = (message.toolResults ??= []);
        results[op.index] = { ...op.result };
        // A sparse array would not survive structuredClone/JSON the same way on both sides.
        for (let i = 0; i < results.length; i++) results[i] ??= { status: 'running' };
        break;
      }
      case 'usage':
        message.usage = op.usage;
        if (op.estimated) message.usageEstimated = true;
        else delete message.usageEstimated;
        break;
      case 'cost':
        message.cost = op.usd;
        if (op.currency) message.costCurrency = { ...op.currency };
        else delete message.costCurrency;
        break;
      case 'model':
        message.model = op.model;
        break;
      case 'notice': {
        const notices = (message.notices ??= []);
        if (op.index > notices.length) {
          applied.gap = true;
          continue;
        }
        if (notices[op.index] === op.text) continue;
        notices[op.index] = op.text;
        break;
      }
      case 'logprobs': {
        const result = applyLogprobs(message, op);
        if (result === 'gap') applied.gap = true;
        if (result !== 'applied') continue;
        break;
      }
      case 'status':
        if (message.status === op.status && (!op.requestId || message.requestId === op.requestId)) continue;
        message.status = op.status;
        if (op.requestId) message.requestId = op.requestId;
        break;
      case 'structured':
        message.structured = structuredClone(op.result);
        break;
    }
    applied.changed.add(op.op);
  }
  return applied;
}

/**
 * Merges ops held for one batch: consecutive text on the same channel becomes one op. Anything else
 * keeps its place, so the order the other side folds in is the order they happened.
 */
export function pushOp(batch: MessageOp[], op: MessageOp): void {
  const last = batch[batch.length - 1];
  if (
    op.op === 'text' &&
    last?.op === 'text' &&
    last.channel === op.channel &&
    last.at + last.text.length === op.at
  ) {
    batch[batch.length - 1] = { ...last, text: last.text + op.text };
    return;
  }
  const merged = op.op === 'logprobs' && last?.op === 'logprobs' ? mergeLogprobs(last, op) : undefined;
  if (merged) {
    batch[batch.length - 1] = merged;
    return;
  }
  batch.push(op);
}

/** How many characters of text a batch carries (for the size cap on a held batch). */
export function batchChars(batch: readonly MessageOp[]): number {
  let n = 0;
  for (const op of batch) if (op.op === 'text') n += op.text.length;
  return n;
}

/** A deep copy, so the host's message and what it posts never share arrays. */
export function copyMessage(message: ViewMessage): ViewMessage {
  return structuredClone(message);
}

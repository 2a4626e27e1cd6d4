import type { ChatMessage, FunctionTool } from '../endpoint/chatTypes';
import { messageTokens, REQUEST_OVERHEAD, toolTokens } from './requestTokens';

export interface FitResult {
  /** What to send: system messages, the newest turns that fit, the current question. */
  messages: ChatMessage[];
  /** How many earlier messages were left out (oldest first). */
  leftOut: number;
  /** The prompt's estimate after leaving them out (without the answer reserve). */
  promptTokens: number;
  /** The part that can never be left out: system messages, the question and what is attached to it. */
  keptTokens: number;
  /** False when even the part that is never left out does not fit. */
  fits: boolean;
}

/**
 * Leaves out the oldest turns until the request fits `budget` tokens (the window less the answer
 * reserve). A turn is a user message with the answers after it, so what is sent still alternates.
 * Never left out: system/developer messages, and the last user message with everything after it
 * (the current question, its attached context, a partial answer being continued).
 */
export function fitHistory(
  messages: readonly ChatMessage[],
  budget: number,
  tools?: readonly FunctionTool[],
): FitResult {
  let lastUser = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user') lastUser = i;
  });
  const costs = messages.map(messageTokens);
  const fixed = REQUEST_OVERHEAD + toolTokens(tools);
  const isSystem = (m: ChatMessage) => m.role === 'system' || m.role === 'developer';
  let keptTokens = fixed;
  messages.forEach((m, i) => {
    if (isSystem(m) || i >= lastUser) keptTokens += costs[i];
  });
  // Turns before the current question, oldest first: [start, end) index ranges.
  const turns: [number, number][] = [];
  const end = lastUser < 0 ? messages.length : lastUser;
  for (let i = 0; i < end; i++) {
    if (isSystem(messages[i])) continue;
    if (messages[i].role === 'user' || !turns.length) turns.push([i, i + 1]);
    else turns[turns.length - 1][1] = i + 1;
  }
  const turnCost = (turn: [number, number]) => {
    let sum = 0;
    for (let i = turn[0]; i < turn[1]; i++) if (!isSystem(messages[i])) sum += costs[i];
    return sum;
  };
  let total = keptTokens + turns.reduce((sum, turn) => sum + turnCost(turn), 0);
  let dropped = 0;
  while (total > budget && dropped < turns.length) total -= turnCost(turns[dropped++]);
  const left = new Set<number>();
  for (const [from, to] of turns.slice(0, dropped))
    for (let i = from; i < to; i++) if (!isSystem(messages[i])) left.add(i);
  return {
    messages: left.size ? messages.filter((_, i) => !left.has(i)) : [...messages],
    leftOut: left.size,
    promptTokens: total,
    keptTokens,
    fits: total <= budget,
  };
}

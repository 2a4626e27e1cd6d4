import type { ChatMessage } from '../endpoint/chatTypes';
import type { ContextInfo } from '../panel/protocol';
import { estimateTokens } from '../tokens/estimateTokens';
import { planRequest } from './contextPlan';
import type { KnownWindow } from './modelLimits';
import { dataUrlImageTokens, MESSAGE_OVERHEAD, messageTokens } from './requestTokens';

/** The meter's figures for the next request, before the draft: what the host knows. */
export function contextInfo(
  history: readonly ChatMessage[],
  window: KnownWindow | undefined,
  maxTokens: number | undefined,
  selectionText: string | undefined,
): ContextInfo {
  const isSystem = (m: ChatMessage) => m.role === 'system' || m.role === 'developer';
  // The request's own overhead counts with the turns, so an empty system prompt shows 0.
  const system = history.filter(isSystem).reduce((sum, m) => sum + messageTokens(m), 0);
  // The next question is not known yet: plan with a stand-in for it, so what would be left out shows.
  const selection = selectionText ? estimateTokens(selectionText) : 0;
  const plan = planRequest([...history, { role: 'user', content: selectionText ?? '' }], window, {
    maxTokens,
  });
  const kept = plan.messages.slice(0, -1).filter((m) => !isSystem(m));
  const historyTokens = plan.promptTokens - system - (MESSAGE_OVERHEAD + selection);
  return {
    ...(window ? { window: window.tokens } : {}),
    system,
    turns: kept.filter((m) => m.role === 'user').length,
    history: Math.max(0, historyTokens),
    leftOut: plan.leftOut,
    selection,
    reserve: plan.reserve,
  };
}

export interface Draft {
  text: string;
  images: readonly string[];
  includeSelection: boolean;
  /** The composer's @-mentions and the rules chip, as the host measured them. */
  contextTokens?: number;
}

/**
 * The next request's estimate with the draft. `request` is what it carries, the figure the meter
 * shows over the window; `total` adds the answer reserve, and is what must fit in the window.
 */
export function meterTotal(
  info: ContextInfo,
  draft: Draft,
): { request: number; total: number; draft: number; attachments: number; context: number } {
  const draftTokens = estimateTokens(draft.text) + MESSAGE_OVERHEAD;
  let attachments = draft.includeSelection ? info.selection : 0;
  for (const image of draft.images) attachments += dataUrlImageTokens(image);
  const context = draft.contextTokens ?? 0;
  const request = info.system + info.history + draftTokens + attachments + context;
  return { request, total: request + info.reserve, draft: draftTokens, attachments, context };
}

/** Near the limit: the meter turns to the warning colour from this share of the window on. */
export const METER_WARNING_SHARE = 0.8;

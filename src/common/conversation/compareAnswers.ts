import { answerBilling } from '../billing/usageSummary';
import type { ViewMessage } from '../panel/protocol';
import type { ChatSessionDeps, ResolvedEndpoint } from './sessionDeps';

/** A compare turn asks at most this many models at once. */
export const MAX_COMPARE = 4;

/** The models a compare turn asks: two to four `<profile id>/<model id>`; fewer, none (compare is off). */
export function compareSelection(models: readonly string[]): string[] {
  const unique = [...new Set(models)].filter((m) => typeof m === 'string' && m.includes('/'));
  return unique.length >= 2 ? unique.slice(0, MAX_COMPARE) : [];
}

/** The message one compared model answers in, streaming beside the others of its group. */
export function compareAnswerView(id: string, requestId: string, group: string, model: string): ViewMessage {
  return { id, role: 'assistant', text: '', status: 'streaming', requestId, compare: { group, model } };
}

/** Where one compared model is asked. */
export function compareEndpoint(deps: ChatSessionDeps, model: string): () => Promise<ResolvedEndpoint> {
  return async () => {
    if (!deps.resolveEndpointFor) throw new Error('This host cannot compare models.');
    return deps.resolveEndpointFor(model);
  };
}

/**
 * Makes `picked` the answer of its compare turn: the others that said something become its
 * alternatives, labelled by model. The caller takes the others out of the conversation.
 */
export function pickAnswerOf(picked: ViewMessage, members: readonly ViewMessage[]): void {
  const others = members.filter((m) => m !== picked && m.role === 'assistant' && m.text);
  picked.choiceLabels = [picked.compare!.model, ...others.map((m) => m.compare!.model)];
  picked.alternatives = others.map((m) => m.text);
  // What the others used and cost stays with the turn: for the total, a restart and an export.
  if (others.some((m) => m.usage)) picked.alternativeUsage = others.map((m) => answerBilling(m));
  delete picked.compare;
}

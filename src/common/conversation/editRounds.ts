import type { ChatEvent } from '../stream/chatEvents';
import { readChatCompletion } from '../endpoint/chatClient';
import type { ChatMessage, ToolCall } from '../endpoint/chatTypes';
import { buildChatRequest, type ChatOptions } from '../endpoint/requestBuilder';
import { blockToToolCall, EditBlockParser } from '../edits/editBlocks';
import { roundMessages, type EditPlan, type EditTurn } from '../edits/editTurn';
import type { Translate } from '../l10n/translate';
import type { AnswerState, UpdateAnswer } from './answerEvents';
import type { ChatSessionDeps, ResolvedEndpoint } from './sessionDeps';
import type { Turn } from './turn';

/** One edit-mode answer: its request, and how it reaches the message. */
export interface EditRounds {
  deps: ChatSessionDeps;
  edit: EditTurn;
  endpoint: ResolvedEndpoint;
  history: ChatMessage[];
  turn: Turn;
  answer: AnswerState;
  signal: AbortSignal;
  t: Translate;
  /** The panel's per-chat menu as it stands when each round is asked. */
  chatOptions(): ChatOptions;
  update: UpdateAnswer;
  /** Folds an event of the answer into the message (answerEvents.ts). */
  apply(event: ChatEvent): void;
}

/**
 * Edit mode: a request with the tools, their calls run by the host (checked, applied for review,
 * or refused with a reason), the results sent back, and again, up to the plan's maxRounds. With
 * an endpoint that takes no tools, one request whose edit blocks are the calls.
 */
export async function runEditRounds(r: EditRounds): Promise<void> {
  const { edit, endpoint, turn, answer, signal, t, update } = r;
  const view = turn.view;
  const rounds: ChatMessage[] = [];
  turn.rounds = rounds;
  let plan: EditPlan = edit.plan;
  if (plan.notice) update({ op: 'notice', index: view.notices?.length ?? 0, text: plan.notice });
  for (let round = 0; ;) {
    const request = buildChatRequest(endpoint.model, [...withEditSystem(plan.system, r.history), ...rounds], {
      ...endpoint.options,
      ...r.chatOptions(),
      ...(plan.tools ? { tools: plan.tools, toolChoice: plan.toolChoice } : {}),
    });
    const before = view.toolCalls?.length ?? 0;
    const blocks = plan.blocks ? new EditBlockParser() : undefined;
    let calls: ToolCall[] = [];
    let refusedTools = false;
    try {
      await readChatCompletion(
        r.deps,
        endpoint.config,
        request,
        (events) => {
          for (const event of events) {
            if (event.type === 'notice' && event.downgrade === 'tools' && plan.tools) {
              // The endpoint takes no tools: this answer would not know how to edit; ask for blocks.
              refusedTools = true;
              return false;
            }
            if ('choice' in event && event.choice === 0) {
              if (event.type === 'toolCallDelta') {
                edit.onArguments(before + event.index, event.name, event.arguments);
                continue;
              }
              if (event.type === 'toolCalls') {
                calls = event.calls;
                continue;
              }
              if (event.type === 'content' && blocks) {
                for (const block of blocks.push(event.text))
                  calls.push(blockToToolCall(block, r.deps.newId()));
              }
            }
            r.apply(event);
          }
          return true;
        },
        signal,
      );
    } finally {
      await edit.endRound();
    }
    if (refusedTools) {
      plan = edit.fallback();
      update({
        op: 'notice',
        index: view.notices?.length ?? 0,
        text: t('This endpoint takes no tools: edit mode asks for edit blocks in the answer instead.'),
      });
      continue;
    }
    if (blocks) for (const block of blocks.end()) calls.push(blockToToolCall(block, r.deps.newId()));
    if (!calls.length) return;
    update({ op: 'toolCalls', calls: [...(view.toolCalls ?? []), ...calls] });
    const results: string[] = [];
    for (let i = 0; i < calls.length; i++) {
      update({ op: 'toolResult', index: before + i, result: { status: 'running' } });
      const run = await edit.run(calls[i], before + i, signal);
      results.push(run.result);
      update({ op: 'toolResult', index: before + i, result: { ...run } });
    }
    if (signal.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
    // The fallback's blocks are the answer; there is no tool message to send them back in.
    if (plan.blocks) return;
    rounds.push(...roundMessages(view.text.slice(turn.textFrom ?? answer.from), calls, results));
    turn.textFrom = view.text.length;
    answer.finishReason = undefined;
    round++;
    if (round >= plan.maxRounds) {
      update({
        op: 'notice',
        index: view.notices?.length ?? 0,
        text: t('Stopped after {0} tool rounds (relayChat.edits.maxRounds).', plan.maxRounds),
      });
      return;
    }
  }
}

/**
 * The edit tools' rules first, in one system message with the question's own (the settings'
 * prompts and the project's rules): some local chat templates read only one system message.
 */
export function withEditSystem(editSystem: string, history: readonly ChatMessage[]): ChatMessage[] {
  const first = history[0];
  if (first?.role === 'system' && typeof first.content === 'string') {
    return [{ role: 'system', content: `${editSystem}\n\n${first.content}` }, ...history.slice(1)];
  }
  return [{ role: 'system', content: editSystem }, ...history];
}

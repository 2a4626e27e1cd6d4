// One entry of the conversation, shared by the session that keeps the list and the units that
// stream into an entry (answerStream.ts, editRounds.ts): what it is, how it is sent and saved.
import type { ChatMessage } from '../endpoint/chatTypes';
import type { Translate } from '../l10n/translate';
import type { ErrorView, ViewMessage } from '../panel/protocol';
import type { StoredTurn } from './conversationStore';

export interface Turn {
  view: ViewMessage;
  /** The API message behind a user or assistant view message; errors have none. */
  api?: ChatMessage;
  /** Edit mode: the tool rounds before the final answer (assistant tool calls and tool results). */
  rounds?: ChatMessage[];
  /** Where the text after the last tool round starts: the final assistant message's content. */
  textFrom?: number;
  /** A question's system message: the settings' prompts and the rules that applied to it. */
  system?: string;
  /** A question's last parts that its @-mentions made (UserInput.mentionParts). */
  mentionParts?: number;
  /** The files a question is about (UserInput.files): Regenerate reads their rules again. */
  files?: string[];
}

/** A question's system message and mention parts, carried from its input (or an older turn) to a turn. */
export function questionExtras(from: {
  system?: string;
  mentionParts?: number;
  files?: string[];
}): Pick<Turn, 'system' | 'mentionParts' | 'files'> {
  return {
    ...(from.system ? { system: from.system } : {}),
    ...(from.mentionParts ? { mentionParts: from.mentionParts } : {}),
    ...(from.files?.length ? { files: [...from.files] } : {}),
  };
}

/** The system message of the last question: each question carries the rules that applied to it. */
export function systemOf(turns: readonly Turn[]): string | undefined {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i].view.role === 'user') return turns[i].system;
  return undefined;
}

/** An error as a message of its own; a compare answer's error stays with its model, beside the others. */
export function errorMessage(id: string, error: ErrorView, compare?: ViewMessage['compare']): ViewMessage {
  return { id, role: 'error', text: error.title, error, ...(compare ? { compare: { ...compare } } : {}) };
}

/** What the next request carries. Of a compare turn nobody picked from, its first answer. */
export function requestMessages(turns: readonly Turn[]): ChatMessage[] {
  const groups = new Set<string>();
  return turns.flatMap((t) => {
    const rounds = t.rounds ?? [];
    if (!t.api) return rounds;
    const group = t.view.compare?.group;
    if (group !== undefined) {
      if (groups.has(group)) return rounds;
      groups.add(group);
    }
    return [...rounds, t.api];
  });
}

/**
 * A finished answer as the next request sends it. Reasoning is kept with the message; the request
 * builder re-sends it only where the provider needs it (DeepSeek tool turns) and strips it
 * elsewhere. Tool calls stay in the view only: until the panel runs tools, a call without its tool
 * result would make the next request invalid.
 */
export function answerMessage(turn: Turn): ChatMessage {
  const view = turn.view;
  return {
    role: 'assistant',
    content: view.text.slice(turn.textFrom ?? 0),
    ...(view.reasoning ? { reasoning_content: view.reasoning } : {}),
  };
}

/**
 * A turn as saved. An answer still streaming is saved as what the user should find if VS Code
 * goes away now: what arrived, marked incomplete (Continue); or, if nothing has arrived yet, an
 * interrupted answer with Retry, never a question with nothing under it.
 */
export function storedTurn(turn: Turn, t: Translate): StoredTurn {
  const view = turn.view;
  if (view.status !== 'streaming') return { view, api: turn.api, ...questionExtras(turn) };
  if (view.text || view.reasoning || view.refusal || view.toolCalls?.length) {
    return { view: { ...view, status: 'incomplete' }, api: { role: 'assistant', content: view.text } };
  }
  const error: ErrorView = {
    title: t('No answer: it was interrupted before any of it arrived'),
    hint: t(
      'VS Code closed, or another conversation was opened, while this answer was on its way. Retry asks again.',
    ),
    retryable: true,
  };
  return { view: errorMessage(view.id, error, view.compare) };
}

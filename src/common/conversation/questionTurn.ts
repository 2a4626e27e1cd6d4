// A question as a turn of the conversation: built from what the user sent (with the rules read for
// it), edited, and read again before it is asked again. The session decides when; this is how.
import type { ChatSessionDeps, UserInput } from './sessionDeps';
import { questionExtras, type Turn } from './turn';

/** A new question, with the settings' prompts and the project's rules read now (an edit on disk applies). */
export async function questionTurn(input: UserInput, deps: ChatSessionDeps): Promise<Turn> {
  const rules = input.system === undefined ? await deps.instructions?.(input.files ?? []) : undefined;
  const context = [...(input.context ?? []), ...(rules?.chip ? [rules.chip] : [])];
  return {
    view: {
      id: deps.newId(),
      role: 'user',
      text: input.display,
      ...(context.length ? { context } : {}),
      ...(input.images?.length ? { images: input.images } : {}),
    },
    api: { role: 'user', content: input.content },
    ...questionExtras({ ...input, system: input.system ?? rules?.system }),
  };
}

/** A past question with new words; what was attached to it (a selection's code part, mentions) stays. */
export function editedQuestion(old: Turn, text: string, id: string): Turn {
  const oldContent = old.api?.role === 'user' ? old.api.content : text;
  const content =
    typeof oldContent === 'string'
      ? text
      : [{ type: 'text' as const, text }, ...oldContent.slice(oldContent[0]?.type === 'text' ? 1 : 0)];
  return { view: { ...old.view, id, text }, api: { role: 'user', content }, ...questionExtras(old) };
}

/**
 * The question with its @-mentions and rules read again (Regenerate, an edited resend), so the model
 * sees the files as they are now; undefined when there is nothing to read again. `turn` is not
 * changed: the caller applies the result if the question is still the one to ask.
 */
export async function rereadQuestion(turn: Turn, deps: ChatSessionDeps): Promise<Turn | undefined> {
  if (!deps.reread || turn.view.role !== 'user' || turn.api?.role !== 'user') return undefined;
  const content = turn.api.content;
  const fresh = await deps.reread(turn.view.context ?? [], turn.files ?? []);
  if (!fresh) return undefined;
  const kept = typeof content === 'string' ? [{ type: 'text' as const, text: content }] : content;
  return {
    ...turn,
    view: { ...turn.view, context: fresh.context },
    api: {
      role: 'user',
      content: [...kept.slice(0, kept.length - (turn.mentionParts ?? 0)), ...fresh.parts],
    },
    mentionParts: fresh.parts.length,
    ...(fresh.system ? { system: fresh.system } : { system: undefined }),
  };
}

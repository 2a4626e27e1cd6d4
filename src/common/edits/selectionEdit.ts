import type { ContentPart } from '../endpoint/chatTypes';
import { fencedCodePart, selectionCodePart, type SelectionContext } from '../conversation/selectionPrompt';

/** Lines shown above and below the selection, so the model sees where its code goes. */
export const SURROUNDING_LINES = 5;

/**
 * Edit Selection's question: the instruction, the selected code with its file, language and line
 * numbers, and a few lines around it (read-only context, not to be repeated in the replacement).
 */
export function buildSelectionEditParts(
  instruction: string,
  sel: SelectionContext,
  before: string,
  after: string,
): ContentPart[] {
  const parts: ContentPart[] = [
    {
      type: 'text',
      text: `${instruction.trim()}\n\nReplace the selected code by calling replace_selection.`,
    },
  ];
  if (before)
    parts.push(fencedCodePart(`Lines before the selection (context only):`, sel.languageId, before));
  parts.push(selectionCodePart(sel));
  if (after) parts.push(fencedCodePart(`Lines after the selection (context only):`, sel.languageId, after));
  return parts;
}

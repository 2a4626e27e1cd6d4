import type { ChatMessage, FunctionTool, ToolCall, ToolChoice } from '../endpoint/chatTypes';
import type { ToolResultView } from '../panel/protocol';

/** How a turn in edit mode asks: with tools, or (an endpoint without them) for edit blocks. */
export interface EditPlan {
  tools?: FunctionTool[];
  toolChoice?: ToolChoice;
  /** Goes first in the request: the rules of the tools, or the edit-block format. */
  system: string;
  /** Text fallback: the answer's fenced edit blocks are the calls. */
  blocks: boolean;
  /** Tool rounds in one turn at most (relayChat.edits.maxRounds). */
  maxRounds: number;
  /** Said on the answer (the text fallback, remembered from an earlier refusal or the doctor). */
  notice?: string;
}

export interface ToolRun extends ToolResultView {
  status: 'done' | 'applied' | 'refused';
  result: string;
}

/** One turn's edits, owned by the host: it validates, applies to the buffers, and keeps the review. */
export interface EditTurn {
  plan: EditPlan;
  /** The endpoint refused `tools` mid-turn: the plan for edit blocks instead (and remembered). */
  fallback(): EditPlan;
  /** A call's arguments grew: the host may show the new text growing in the editor. */
  onArguments(index: number, name: string, fragment: string): void;
  /** One whole call (at `index` of the message's calls), checked and, if an edit, applied for review. Never throws. */
  run(call: ToolCall, index: number, signal: AbortSignal): Promise<ToolRun>;
  /** A round's stream ended (or stopped): previews that no call made final are taken back. */
  endRound(): Promise<void>;
}

export const EDIT_SYSTEM_PROMPT = [
  // The first sentence is also the edit blocks' preamble (no tools there): the look-around tools come after it.
  "You can read and change files in the user's workspace with the tools read_file, list_files, replace_in_file and create_file.",
  'Find code with search_text; see the errors and warnings the editor reports with get_problems.',
  'Read a file before you change it, and copy old_text exactly from what read_file returned, without the line numbers.',
  'Make focused changes; each replace_in_file call changes one place. The user reviews every change and can undo it.',
  'After your changes, call get_problems without a path to see what they broke, and mend it.',
  'When a tool result says a call was refused, fix the call as it says instead of repeating it.',
].join(' ');

/** The assistant message of a tool round and the tool results that answer it. */
export function roundMessages(
  text: string,
  calls: readonly ToolCall[],
  results: readonly string[],
): ChatMessage[] {
  return [
    {
      role: 'assistant',
      content: text || null,
      tool_calls: calls.map((c) => ({ ...c, function: { ...c.function } })),
    },
    ...calls.map((c, i): ChatMessage => ({ role: 'tool', tool_call_id: c.id, content: results[i] })),
  ];
}

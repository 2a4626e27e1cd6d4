import type { FinishReason, ToolCall, Usage } from './chatTypes';

/** What the engine hands to the panel and the edit tools, whatever the relay sent. */
export type ChatEvent =
  | { type: 'meta'; id?: string; model?: string; systemFingerprint?: string }
  | { type: 'content'; choice: number; text: string }
  | { type: 'reasoning'; choice: number; text: string }
  | { type: 'refusal'; choice: number; text: string }
  | { type: 'toolCalls'; choice: number; calls: ToolCall[] }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; choice: number; reason: FinishReason };

import type { FinishReason, TokenLogprob, ToolCall, UrlCitation, Usage } from '../endpoint/chatTypes';
import type { Downgrade } from '../endpoint/paramDowngrade';

export type ReasoningSource = 'reasoning_content' | 'reasoning' | 'think-tags';

/** What the engine hands to the panel and the edit tools, whatever the relay sent. */
export type ChatEvent =
  | { type: 'meta'; id?: string; model?: string; systemFingerprint?: string }
  | { type: 'content'; choice: number; text: string }
  /** `source` says where the relay put it; the text is the same channel whichever it was. */
  | { type: 'reasoning'; choice: number; text: string; source?: ReasoningSource }
  /**
   * Everything this choice sent as `content` so far was reasoning: the stream began mid-thought
   * (the server's chat template opened `<think>` in the prompt) and has just closed it.
   */
  | { type: 'contentWasReasoning'; choice: number }
  | { type: 'refusal'; choice: number; text: string }
  | { type: 'toolCalls'; choice: number; calls: ToolCall[] }
  /** A piece of a tool call as it streams (edit mode shows it growing); the whole call follows as `toolCalls`. */
  | { type: 'toolCallDelta'; choice: number; index: number; name: string; arguments: string }
  | { type: 'annotations'; choice: number; annotations: UrlCitation[] }
  | { type: 'logprobs'; choice: number; content?: TokenLogprob[]; refusal?: TokenLogprob[] }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; choice: number; reason: FinishReason }
  /** The request was changed to suit the endpoint; `message` is one English line for logs. */
  | { type: 'notice'; code: 'downgraded'; downgrade: Downgrade; message: string }
  /** A 413: the request was sent again with smaller (and fewer) images. */
  | { type: 'notice'; code: 'imagesShrunk'; downgrade?: undefined; message: string }
  /** A failed attempt will be repeated after `delayMs`; nothing has been shown yet. */
  | { type: 'retrying'; attempt: number; delayMs: number; reason: string };

/** A choice's answer and reasoning text from its events, a `contentWasReasoning` rewind applied. */
export function choiceText(events: readonly ChatEvent[], choice = 0): { content: string; reasoning: string } {
  let content = '';
  let reasoning = '';
  for (const e of events) {
    if (!('choice' in e) || e.choice !== choice) continue;
    if (e.type === 'content') content += e.text;
    else if (e.type === 'reasoning') reasoning += e.text;
    else if (e.type === 'contentWasReasoning') {
      reasoning += content;
      content = '';
    }
  }
  return { content, reasoning };
}

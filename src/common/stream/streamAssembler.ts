import type { ChatEvent } from './chatEvents';
import type { TokenLogprob, UrlCitation, Usage } from '../endpoint/chatTypes';
import { ThinkTagSplitter, type ThinkPiece } from './thinkTagSplitter';
import { ToolCallAssembler } from './toolCallAssembler';

interface ChoiceState {
  index: number;
  tools: ToolCallAssembler;
  think: ThinkTagSplitter;
  finished: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Folds parsed `chat.completion.chunk` objects (or one whole `chat.completion`) into ChatEvents.
 * Holds per-choice state (tool-call fragments, a half-seen `<think>` tag) so callers see whole tool
 * calls once a choice finishes. Events go into a caller-owned array: the hot path allocates no
 * per-chunk containers.
 */
export class StreamAssembler {
  private readonly choices: ChoiceState[] = [];
  private metaSent = false;
  private out: ChatEvent[] = [];
  private current: ChoiceState | undefined;
  private readonly emitText = (kind: ThinkPiece, text: string) => {
    const choice = this.current!.index;
    this.out.push(
      kind === 'content'
        ? { type: 'content', choice, text }
        : kind === 'reasoning'
          ? { type: 'reasoning', choice, text, source: 'think-tags' }
          : { type: 'contentWasReasoning', choice },
    );
  };

  /** True once every choice that started has a finish_reason. */
  get finished(): boolean {
    if (!this.choices.length) return false;
    for (const state of this.choices) if (state && !state.finished) return false;
    return true;
  }

  push(chunk: unknown, out: ChatEvent[]): void {
    if (!isObject(chunk)) return;
    this.out = out;
    if (!this.metaSent && (chunk.id || chunk.model)) {
      this.metaSent = true;
      out.push({
        type: 'meta',
        id: typeof chunk.id === 'string' ? chunk.id : undefined,
        model: typeof chunk.model === 'string' ? chunk.model : undefined,
        systemFingerprint:
          typeof chunk.system_fingerprint === 'string' ? chunk.system_fingerprint : undefined,
      });
    }
    const choices = chunk.choices;
    // Azure's content-filter chunks and the final usage chunk carry an empty `choices`.
    if (Array.isArray(choices)) {
      for (const raw of choices) if (isObject(raw)) this.foldChoice(raw, out);
    }
    if (isObject(chunk.usage)) out.push({ type: 'usage', usage: chunk.usage as Usage });
  }

  /**
   * The choice whose `delta.content` is all this chunk would change, or -1: exactly one choice, with
   * no finish_reason, logprobs, usage or other delta field to fold (a `role` and nulls aside), and no
   * meta event still due. For such a chunk `pushContent(choice, content)` does what `push` does.
   */
  contentOnlyChoice(chunk: unknown): number {
    if (!isObject(chunk) || isObject(chunk.usage)) return -1;
    if (!this.metaSent && (chunk.id || chunk.model)) return -1;
    const choices = chunk.choices;
    if (!Array.isArray(choices) || choices.length !== 1) return -1;
    const raw: unknown = choices[0];
    if (
      !isObject(raw) ||
      isObject(raw.logprobs) ||
      (typeof raw.finish_reason === 'string' && raw.finish_reason)
    ) {
      return -1;
    }
    const index = raw.index ?? 0;
    const delta = raw.delta;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) return -1;
    if (!isObject(delta) || typeof delta.content !== 'string') return -1;
    for (const key in delta) {
      if (key !== 'content' && key !== 'role' && delta[key] !== null && delta[key] !== undefined) return -1;
    }
    return index;
  }

  /** The fold of a chunk that `contentOnlyChoice` accepted, given only its content. */
  pushContent(index: number, content: string, out: ChatEvent[]): void {
    if (!content) return;
    const state = this.choices[index] ?? this.addChoice(index);
    this.out = out;
    this.current = state;
    state.think.push(content, this.emitText);
  }

  /**
   * The stream ended: flushes held-back text of choices that never finished, and their tool calls
   * when `withToolCalls` (the caller knows the answer is whole).
   */
  end(out: ChatEvent[], withToolCalls = true): void {
    this.out = out;
    for (const state of this.choices) {
      if (!state || state.finished) continue;
      this.current = state;
      state.think.end(this.emitText);
      if (withToolCalls && state.tools.size) {
        out.push({ type: 'toolCalls', choice: state.index, calls: state.tools.result() });
      }
    }
  }

  private foldChoice(raw: Json, out: ChatEvent[]): void {
    const index = typeof raw.index === 'number' ? raw.index : 0;
    const state = this.choices[index] ?? this.addChoice(index);
    // `message` instead of `delta`: a non-streamed answer, or a relay sending whole messages.
    const delta = isObject(raw.delta) ? raw.delta : isObject(raw.message) ? raw.message : undefined;
    if (delta) this.foldDelta(state, delta, out);
    if (isObject(raw.logprobs)) {
      const { content, refusal } = raw.logprobs as { content?: unknown; refusal?: unknown };
      if (Array.isArray(content) || Array.isArray(refusal)) {
        out.push({
          type: 'logprobs',
          choice: index,
          content: Array.isArray(content) ? (content as TokenLogprob[]) : undefined,
          refusal: Array.isArray(refusal) ? (refusal as TokenLogprob[]) : undefined,
        });
      }
    }
    if (typeof raw.finish_reason === 'string' && raw.finish_reason && !state.finished) {
      state.finished = true;
      this.current = state;
      state.think.end(this.emitText);
      if (state.tools.size) out.push({ type: 'toolCalls', choice: index, calls: state.tools.result() });
      out.push({ type: 'finish', choice: index, reason: raw.finish_reason });
    }
  }

  private addChoice(index: number): ChoiceState {
    const state = { index, tools: new ToolCallAssembler(), think: new ThinkTagSplitter(), finished: false };
    this.choices[index] = state;
    return state;
  }

  private foldDelta(state: ChoiceState, delta: Json, out: ChatEvent[]): void {
    const index = state.index;
    const reasoningContent = delta.reasoning_content;
    const reasoning = delta.reasoning;
    // Some relays copy the same text into both fields; it counts once.
    let thinking = typeof reasoningContent === 'string' ? reasoningContent : '';
    const source = thinking ? 'reasoning_content' : 'reasoning';
    if (typeof reasoning === 'string' && reasoning !== thinking) thinking += reasoning;
    if (thinking) out.push({ type: 'reasoning', choice: index, text: thinking, source });
    const content = delta.content;
    if (typeof content === 'string' && content) {
      this.current = state;
      state.think.push(content, this.emitText);
    }
    if (typeof delta.refusal === 'string' && delta.refusal) {
      out.push({ type: 'refusal', choice: index, text: delta.refusal });
    }
    if (Array.isArray(delta.tool_calls)) {
      state.tools.push(delta.tool_calls, (call, name, args) => {
        if (args) out.push({ type: 'toolCallDelta', choice: index, index: call, name, arguments: args });
      });
    }
    if (isObject(delta.function_call)) state.tools.pushLegacy(delta.function_call);
    if (Array.isArray(delta.annotations) && delta.annotations.length) {
      out.push({ type: 'annotations', choice: index, annotations: delta.annotations as UrlCitation[] });
    }
  }
}

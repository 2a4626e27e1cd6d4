import type { ChatEvent } from './chatEvents';
import type { TokenLogprob, UrlCitation, Usage } from '../endpoint/chatTypes';
import { ThinkTagSplitter, type ThinkPiece } from './thinkTagSplitter';
import {
  ToolCallAssembler,
  toToolCallDelta,
  type FragmentListener,
  type ToolCallDelta,
} from './toolCallAssembler';

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

/** Whether `delta` has nothing to fold but `key` (a `role` and nulls fold to nothing). */
function onlyBesideRole(delta: Json, key: string): boolean {
  for (const k in delta) {
    if (k !== key && k !== 'role' && delta[k] !== null && delta[k] !== undefined) return false;
  }
  return true;
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
   * no finish_reason, logprobs, usage, error or other delta field to fold (a `role` and nulls aside),
   * and no meta event still due. For such a chunk `pushContent(choice, content)` does what `push` does.
   */
  contentOnlyChoice(chunk: unknown): number {
    const sole = this.soleChoice(chunk);
    if (!sole || typeof sole.delta.content !== 'string' || !onlyBesideRole(sole.delta, 'content')) return -1;
    return sole.index;
  }

  /**
   * The tool call whose argument fragment is all this chunk would change, or undefined: as for
   * `contentOnlyChoice`, but the delta's one field is `tool_calls`, one item with string
   * `arguments`. For such a chunk `pushArguments(choice, call, arguments)` does what `push` does
   * (`call` is the item as the tool-call assembler reads it, without its arguments).
   */
  argumentsOnlyCall(chunk: unknown): { choice: number; call: ToolCallDelta; arguments: string } | undefined {
    const sole = this.soleChoice(chunk);
    const items = sole?.delta.tool_calls;
    if (!sole || !Array.isArray(items) || items.length !== 1 || !onlyBesideRole(sole.delta, 'tool_calls')) {
      return undefined;
    }
    const item: unknown = items[0];
    const fn = isObject(item) ? item.function : undefined;
    const delta = toToolCallDelta(item);
    if (!delta || !isObject(fn) || typeof fn.arguments !== 'string') return undefined;
    const call: ToolCallDelta = {
      index: delta.index,
      id: delta.id,
      function: { name: delta.function?.name },
    };
    return { choice: sole.index, call, arguments: fn.arguments };
  }

  /** The fold of a chunk that `contentOnlyChoice` accepted, given only its content. */
  pushContent(index: number, content: string, out: ChatEvent[]): void {
    if (!content) return;
    const state = this.choices[index] ?? this.addChoice(index);
    this.out = out;
    this.current = state;
    state.think.push(content, this.emitText);
  }

  /** The fold of a chunk that `argumentsOnlyCall` accepted, given only its arguments. */
  pushArguments(index: number, call: ToolCallDelta, args: string, out: ChatEvent[]): void {
    const state = this.choices[index] ?? this.addChoice(index);
    state.tools.pushArguments(call, args, this.onFragment(index, out));
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

  /** A lone choice in a chunk that carries nothing else (the shortcuts' common conditions). */
  private soleChoice(chunk: unknown): { index: number; delta: Json } | undefined {
    if (!isObject(chunk) || isObject(chunk.usage) || chunk.error) return undefined;
    if (!this.metaSent && (chunk.id || chunk.model)) return undefined;
    const choices = chunk.choices;
    if (!Array.isArray(choices) || choices.length !== 1) return undefined;
    const raw: unknown = choices[0];
    if (
      !isObject(raw) ||
      isObject(raw.logprobs) ||
      (typeof raw.finish_reason === 'string' && raw.finish_reason)
    ) {
      return undefined;
    }
    const index = raw.index ?? 0;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) return undefined;
    return isObject(raw.delta) ? { index, delta: raw.delta } : undefined;
  }

  private onFragment(choice: number, out: ChatEvent[]): FragmentListener {
    return (index, name, args) => {
      if (args) out.push({ type: 'toolCallDelta', choice, index, name, arguments: args });
    };
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
      state.tools.push(delta.tool_calls, this.onFragment(index, out));
    }
    if (isObject(delta.function_call)) state.tools.pushLegacy(delta.function_call);
    if (Array.isArray(delta.annotations) && delta.annotations.length) {
      out.push({ type: 'annotations', choice: index, annotations: delta.annotations as UrlCitation[] });
    }
  }
}

import type { ChatEvent } from './chatEvents';
import type { Usage } from './chatTypes';
import { ToolCallAssembler } from './toolCallAssembler';

interface ChoiceState {
  tools: ToolCallAssembler;
  finished: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Folds parsed `chat.completion.chunk` objects into ChatEvents. Holds per-choice state (tool-call
 * fragments) so callers see whole tool calls once a choice finishes.
 */
export class StreamAssembler {
  private readonly choices = new Map<number, ChoiceState>();
  private metaSent = false;

  push(chunk: unknown): ChatEvent[] {
    if (!isObject(chunk)) return [];
    const events: ChatEvent[] = [];
    if (!this.metaSent && (chunk.id || chunk.model)) {
      this.metaSent = true;
      events.push({
        type: 'meta',
        id: typeof chunk.id === 'string' ? chunk.id : undefined,
        model: typeof chunk.model === 'string' ? chunk.model : undefined,
        systemFingerprint:
          typeof chunk.system_fingerprint === 'string' ? chunk.system_fingerprint : undefined,
      });
    }
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const raw of choices) {
      if (!isObject(raw)) continue;
      const index = typeof raw.index === 'number' ? raw.index : 0;
      const state = this.choice(index);
      // `message` instead of `delta`: some relays send whole messages in a stream.
      const delta = isObject(raw.delta) ? raw.delta : isObject(raw.message) ? raw.message : undefined;
      if (delta) this.foldDelta(index, state, delta, events);
      if (typeof raw.finish_reason === 'string' && raw.finish_reason) {
        this.finishChoice(index, state, raw.finish_reason, events);
      }
    }
    if (isObject(chunk.usage)) events.push({ type: 'usage', usage: chunk.usage as Usage });
    return events;
  }

  /** Called when the stream ends: flushes tool calls of choices that never sent finish_reason. */
  end(): ChatEvent[] {
    const events: ChatEvent[] = [];
    for (const [index, state] of this.choices) {
      if (!state.finished && state.tools.size) {
        events.push({ type: 'toolCalls', choice: index, calls: state.tools.result() });
        state.finished = true;
      }
    }
    return events;
  }

  private choice(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { tools: new ToolCallAssembler(), finished: false };
      this.choices.set(index, state);
    }
    return state;
  }

  private foldDelta(index: number, state: ChoiceState, delta: Json, events: ChatEvent[]): void {
    const reasoningContent = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : '';
    const reasoning = typeof delta.reasoning === 'string' ? delta.reasoning : '';
    // Some relays copy the same text into both fields; it counts once.
    const thinking =
      reasoningContent && reasoning === reasoningContent ? reasoningContent : reasoningContent + reasoning;
    if (thinking) events.push({ type: 'reasoning', choice: index, text: thinking });
    if (typeof delta.content === 'string' && delta.content) {
      events.push({ type: 'content', choice: index, text: delta.content });
    }
    if (typeof delta.refusal === 'string' && delta.refusal) {
      events.push({ type: 'refusal', choice: index, text: delta.refusal });
    }
    if (Array.isArray(delta.tool_calls)) state.tools.push(delta.tool_calls as never);
    if (isObject(delta.function_call)) state.tools.pushLegacy(delta.function_call as never);
  }

  private finishChoice(index: number, state: ChoiceState, reason: string, events: ChatEvent[]): void {
    if (state.finished) return;
    state.finished = true;
    if (state.tools.size) events.push({ type: 'toolCalls', choice: index, calls: state.tools.result() });
    events.push({ type: 'finish', choice: index, reason });
  }
}

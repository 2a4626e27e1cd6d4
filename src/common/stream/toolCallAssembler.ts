import type { ToolCall } from '../endpoint/chatTypes';

interface ToolCallDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

/**
 * Folds streamed tool-call fragments into whole calls: keyed by `index`, id and name taken from the
 * first delta that carries them, argument fragments appended in arrival order. Relays that omit
 * `index` get one by id (or position), and a call whose whole arguments arrive at once works too.
 */
export class ToolCallAssembler {
  private readonly calls = new Map<number, ToolCall>();

  push(deltas: ToolCallDelta[]): void {
    deltas.forEach((delta, position) => {
      const index = this.resolveIndex(delta, position);
      let call = this.calls.get(index);
      if (!call) {
        call = { id: '', type: 'function', function: { name: '', arguments: '' } };
        this.calls.set(index, call);
      }
      if (delta.id && !call.id) call.id = delta.id;
      if (delta.function?.name && !call.function.name) call.function.name = delta.function.name;
      if (typeof delta.function?.arguments === 'string') call.function.arguments += delta.function.arguments;
    });
  }

  /** A legacy `function_call` delta is a single tool call at index 0. */
  pushLegacy(delta: { name?: string; arguments?: string }): void {
    this.push([{ index: 0, function: delta }]);
  }

  get size(): number {
    return this.calls.size;
  }

  result(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ ...call, id: call.id || `call_${index}` }));
  }

  private resolveIndex(delta: ToolCallDelta, position: number): number {
    if (typeof delta.index === 'number') return delta.index;
    if (delta.id) {
      for (const [index, call] of this.calls) if (call.id === delta.id) return index;
      return delta.function?.name ? this.calls.size : Math.max(0, this.calls.size - 1);
    }
    // No index and no id: a continuation of the latest call, or the position in this delta.
    return this.calls.size ? Math.max(position, this.calls.size - 1) : position;
  }
}

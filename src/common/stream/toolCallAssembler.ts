import type { ToolCall } from '../endpoint/chatTypes';

export type FragmentListener = (index: number, name: string, args: string) => void;

export interface ToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/**
 * A tool-call fragment from the wire, or undefined for anything that cannot be one (null, a
 * string, an object with neither index, id nor function). Only fields of the right type are kept.
 */
export function toToolCallDelta(value: unknown): ToolCallDelta | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const fn =
    v.function && typeof v.function === 'object' ? (v.function as Record<string, unknown>) : undefined;
  const delta: ToolCallDelta = {
    ...(Number.isInteger(v.index) && (v.index as number) >= 0 ? { index: v.index as number } : {}),
    ...(typeof v.id === 'string' && v.id ? { id: v.id } : {}),
    ...(fn
      ? {
          function: {
            ...(typeof fn.name === 'string' ? { name: fn.name } : {}),
            ...(typeof fn.arguments === 'string' ? { arguments: fn.arguments } : {}),
          },
        }
      : {}),
  };
  return delta.index !== undefined || delta.id !== undefined || delta.function ? delta : undefined;
}

/**
 * Folds streamed tool-call fragments into whole calls: keyed by `index`, id and name taken from the
 * first delta that carries them, argument fragments appended in arrival order. Relays that omit
 * `index` get one by id (or position), and a call whose whole arguments arrive at once works too.
 */
export class ToolCallAssembler {
  private readonly calls = new Map<number, ToolCall>();

  /**
   * Fragments as they came off the wire; items that cannot be a tool call are skipped. `onFragment`
   * hears each argument fragment with the index and name of the call it belongs to.
   */
  push(items: readonly unknown[], onFragment?: FragmentListener): void {
    const deltas = items.map(toToolCallDelta);
    deltas.forEach((delta, position) => {
      if (delta) this.fold(delta, position, onFragment);
    });
  }

  /**
   * What `push([item])` does for a lone item (the decoder's shortcut for a chunk in a learnt
   * layout): `call` is the item as `toToolCallDelta` reads it without its arguments, `args` the
   * fragment.
   */
  pushArguments(call: ToolCallDelta, args: string, onFragment?: FragmentListener): void {
    this.fold(
      { index: call.index, id: call.id, function: { name: call.function?.name, arguments: args } },
      0,
      onFragment,
    );
  }

  /** A legacy `function_call` delta is a single tool call at index 0. */
  pushLegacy(delta: unknown): void {
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

  private fold(delta: ToolCallDelta, position: number, onFragment: FragmentListener | undefined): void {
    const index = this.resolveIndex(delta, position);
    let call = this.calls.get(index);
    if (!call) {
      call = { id: '', type: 'function', function: { name: '', arguments: '' } };
      this.calls.set(index, call);
    }
    if (delta.id && !call.id) call.id = delta.id;
    if (delta.function?.name && !call.function.name) call.function.name = delta.function.name;
    if (typeof delta.function?.arguments === 'string') {
      call.function.arguments += delta.function.arguments;
      onFragment?.(index, call.function.name, delta.function.arguments);
    }
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

/** SSE streams of tool calls, their arguments in fragments, as relays send them. */

export interface ScriptedCall {
  name: string;
  /** The arguments: an object (sent as JSON) or raw text (to send broken JSON). */
  arguments: Record<string, unknown> | string;
  id?: string;
}

/**
 * A chat.completion.chunk stream: optional text first, then each call (id and name in its first
 * delta, arguments in `pieceSize`-character fragments), finish_reason `tool_calls`. `done: false`
 * leaves the stream without its end (for a test that stops it mid-arguments).
 */
export function toolCallSse(
  calls: ScriptedCall[],
  options: { pieceSize?: number; text?: string; model?: string; done?: boolean } = {},
): string {
  const { pieceSize = 8, text, model = 'fake-model', done = true } = options;
  const base = { id: 'chatcmpl-tools', object: 'chat.completion.chunk', created: 1700000000, model };
  const lines: string[] = [];
  const push = (delta: object, finish: string | null = null) =>
    lines.push(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
    );
  push({ role: 'assistant', content: text ? '' : null });
  if (text) push({ content: text });
  calls.forEach((call, index) => {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    push({
      tool_calls: [
        {
          index,
          id: call.id ?? `call_${index}_${call.name}`,
          type: 'function',
          function: { name: call.name, arguments: '' },
        },
      ],
    });
    for (let i = 0; i < args.length; i += pieceSize) {
      push({ tool_calls: [{ index, function: { arguments: args.slice(i, i + pieceSize) } }] });
    }
  });
  if (!done) return lines.join('');
  push({}, 'tool_calls');
  lines.push('data: [DONE]\n\n');
  return lines.join('');
}

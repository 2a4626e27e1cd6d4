/**
 * VS Code's language-model messages ↔ Chat Completions messages, without importing `vscode`: the
 * parts are recognised by shape (the host hands in VS Code's own part classes, tests plain objects).
 */
import type { ChatMessage, ContentPart, FunctionTool, ToolCall, ToolChoice } from '../endpoint/chatTypes';

/** `vscode.LanguageModelChatMessageRole`: User 1, Assistant 2, System 3 (proposed). */
export const LM_ROLE = { user: 1, assistant: 2, system: 3 } as const;

/** `vscode.LanguageModelChatToolMode`: Auto 1, Required 2. */
export const LM_TOOL_MODE = { auto: 1, required: 2 } as const;

export interface LmMessage {
  readonly role: number;
  readonly content: readonly unknown[];
  readonly name?: string | undefined;
}

export interface LmTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object | undefined;
}

export interface LmToolCall {
  callId: string;
  name: string;
  input: object;
}

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'image'; url: string }
  | { kind: 'toolCall'; call: LmToolCall }
  | { kind: 'toolResult'; callId: string; text: string }
  | { kind: 'other' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Text of a tool result's content, or of a prompt-tsx part: text as is, anything else as JSON. */
function textOf(parts: readonly unknown[]): string {
  return parts
    .map((p) => {
      if (isObject(p) && typeof p.value === 'string') return p.value;
      if (isObject(p) && p.mimeType !== undefined && p.data instanceof Uint8Array) {
        return String(p.mimeType).startsWith('text/') || String(p.mimeType).includes('json')
          ? new TextDecoder().decode(p.data)
          : '';
      }
      return isObject(p) && 'value' in p ? JSON.stringify(p.value) : '';
    })
    .join('');
}

function classify(part: unknown): Part {
  if (!isObject(part)) return typeof part === 'string' ? { kind: 'text', text: part } : { kind: 'other' };
  if (typeof part.callId === 'string' && typeof part.name === 'string') {
    return {
      kind: 'toolCall',
      call: { callId: part.callId, name: part.name, input: isObject(part.input) ? part.input : {} },
    };
  }
  if (typeof part.callId === 'string' && Array.isArray(part.content)) {
    return { kind: 'toolResult', callId: part.callId, text: textOf(part.content) };
  }
  if (typeof part.value === 'string') return { kind: 'text', text: part.value };
  if (typeof part.mimeType === 'string' && part.data instanceof Uint8Array) {
    if (part.mimeType.startsWith('image/')) {
      return { kind: 'image', url: `data:${part.mimeType};base64,${base64(part.data)}` };
    }
    if (part.mimeType.startsWith('text/')) return { kind: 'text', text: new TextDecoder().decode(part.data) };
    // Other data (cache-control markers, stateful markers) means nothing to a Chat Completions server.
    return { kind: 'other' };
  }
  if ('value' in part) return { kind: 'text', text: JSON.stringify(part.value) };
  return { kind: 'other' };
}

/**
 * One LM message can become several Chat Completions messages: tool results go first, each as its
 * own `role: tool` message (they must follow the assistant's tool calls directly), then the rest.
 */
export function toChatMessages(messages: readonly LmMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const parts = message.content.map(classify);
    const name = message.name || undefined;
    for (const p of parts) {
      if (p.kind === 'toolResult') out.push({ role: 'tool', tool_call_id: p.callId, content: p.text });
    }
    const text = parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('');
    if (message.role === LM_ROLE.assistant) {
      const calls: ToolCall[] = parts.flatMap((p) =>
        p.kind === 'toolCall'
          ? [
              {
                id: p.call.callId,
                type: 'function' as const,
                function: { name: p.call.name, arguments: JSON.stringify(p.call.input) },
              },
            ]
          : [],
      );
      if (!text && !calls.length) continue;
      out.push({
        role: 'assistant',
        content: text || null,
        ...(calls.length ? { tool_calls: calls } : {}),
        ...(name ? { name } : {}),
      });
      continue;
    }
    if (message.role === LM_ROLE.system) {
      if (text) out.push({ role: 'system', content: text, ...(name ? { name } : {}) });
      continue;
    }
    const content: ContentPart[] = parts.flatMap((p): ContentPart[] =>
      p.kind === 'text'
        ? [{ type: 'text', text: p.text }]
        : p.kind === 'image'
          ? [{ type: 'image_url', image_url: { url: p.url } }]
          : [],
    );
    if (!content.length) continue;
    // Plain text stays one string; the request builder would flatten it anyway.
    const joined = content.every((c) => c.type === 'text') ? text : content;
    out.push({ role: 'user', content: joined, ...(name ? { name } : {}) });
  }
  return out;
}

export function toChatTools(tools: readonly LmTool[] | undefined): FunctionTool[] | undefined {
  if (!tools?.length) return undefined;
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? {
        type: 'object',
        properties: {},
      },
    },
  }));
}

/** Required with one tool names it, as VS Code's docs ask; with several, any of them. */
export function toToolChoice(
  toolMode: number | undefined,
  tools: readonly LmTool[] | undefined,
): ToolChoice | undefined {
  if (!tools?.length || toolMode !== LM_TOOL_MODE.required) return undefined;
  return tools.length === 1 ? { type: 'function', function: { name: tools[0].name } } : 'required';
}

/** A finished tool call from the stream as VS Code wants it: the arguments parsed into an object. */
export function toLmToolCall(call: ToolCall): LmToolCall {
  let input: unknown;
  try {
    input = call.function.arguments.trim() ? JSON.parse(call.function.arguments) : {};
  } catch {
    // VS Code needs an object; the raw text is kept so the caller can see what the model sent.
    input = { arguments: call.function.arguments };
  }
  return { callId: call.id, name: call.function.name, input: isObject(input) ? input : { value: input } };
}

/** The token estimate of one LM message: its text, tool calls and results, a little per message. */
export function messageText(message: LmMessage): string {
  return message.content
    .map(classify)
    .map((p) =>
      p.kind === 'text'
        ? p.text
        : p.kind === 'toolCall'
          ? `${p.call.name}${JSON.stringify(p.call.input)}`
          : p.kind === 'toolResult'
            ? p.text
            : '',
    )
    .join('\n');
}

/**
 * The messages between the extension host and the chat webview, one discriminated union per
 * direction. Streaming text travels as deltas tagged with the request id, never the whole
 * conversation; the full state is sent only when the webview (re)connects or a chat is replaced.
 */

export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'incomplete';

export interface ErrorView {
  /** One line: what went wrong, with status and host. */
  title: string;
  /** The server's own words. */
  detail?: string;
  /** What to do next. */
  hint?: string;
  requestId?: string;
  retryable: boolean;
}

export interface ContextChip {
  label: string;
}

export interface ViewMessage {
  id: string;
  role: 'user' | 'assistant' | 'error';
  text: string;
  reasoning?: string;
  status?: MessageStatus;
  context?: ContextChip[];
  error?: ErrorView;
  /** The request that produced an assistant message. */
  requestId?: string;
}

export interface ViewState {
  messages: ViewMessage[];
  model: string;
}

export type HostToWebview =
  | { type: 'state'; state: ViewState }
  | { type: 'append'; message: ViewMessage }
  | { type: 'delta'; requestId: string; messageId: string; content?: string; reasoning?: string }
  | { type: 'end'; requestId: string; messageId: string; status: Exclude<MessageStatus, 'streaming'> }
  | { type: 'remove'; messageId: string }
  | { type: 'focusComposer' };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'newChat' }
  | { type: 'retry' };

const WEBVIEW_TO_HOST_TYPES: ReadonlySet<string> = new Set(['ready', 'send', 'stop', 'newChat', 'retry']);

/** Anything can arrive over postMessage; only well-formed messages get through. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!value || typeof value !== 'object') return false;
  const msg = value as { type?: unknown; text?: unknown };
  if (typeof msg.type !== 'string' || !WEBVIEW_TO_HOST_TYPES.has(msg.type)) return false;
  return msg.type !== 'send' || typeof msg.text === 'string';
}

const HOST_TO_WEBVIEW_TYPES: ReadonlySet<string> = new Set([
  'state',
  'append',
  'delta',
  'end',
  'remove',
  'focusComposer',
]);

export function isHostToWebview(value: unknown): value is HostToWebview {
  return (
    !!value && typeof value === 'object' && HOST_TO_WEBVIEW_TYPES.has((value as { type?: string }).type ?? '')
  );
}

/**
 * The panel's copy of the conversation, folded from the host's messages with the same reducer the
 * host uses on its own copy. Free of the DOM: the webview renders what `receive` says changed, and
 * the unit tests run it beside a real ChatSession to check both copies stay equal.
 */
import { applyOps, type Applied } from './messageReducer';
import type { HostToWebview, ViewMessage } from './protocol';

export type PanelChange =
  /** Everything was replaced (a snapshot): render all again. */
  | { kind: 'reset' }
  | { kind: 'append'; message: ViewMessage }
  | { kind: 'update'; message: ViewMessage; applied: Applied }
  /** One message was replaced whole. */
  | { kind: 'replace'; message: ViewMessage }
  | { kind: 'remove'; messageId: string }
  /** Not about the conversation, or about a message this panel does not hold. */
  | { kind: 'none' };

type ConversationMessage = Extract<
  HostToWebview,
  { type: 'state' | 'append' | 'update' | 'message' | 'remove' }
>;

export function isConversationMessage(message: HostToWebview): message is ConversationMessage {
  return (
    message.type === 'state' ||
    message.type === 'append' ||
    message.type === 'update' ||
    message.type === 'message' ||
    message.type === 'remove'
  );
}

/** A copy the panel owns; text is always a string, whatever arrived. */
function copyOf(message: ViewMessage): ViewMessage {
  const copy = structuredClone(message);
  if (typeof copy.text !== 'string') copy.text = '';
  return copy;
}

export class PanelConversation {
  private list: ViewMessage[] = [];
  private readonly byId = new Map<string, ViewMessage>();

  /** Called with a message id when the panel's copy missed an update and needs it again. */
  constructor(private readonly requestResync: (messageId: string) => void) {}

  get messages(): readonly ViewMessage[] {
    return this.list;
  }

  get(id: string): ViewMessage | undefined {
    return this.byId.get(id);
  }

  receive(message: ConversationMessage): PanelChange {
    switch (message.type) {
      case 'state':
        this.list = message.state.messages.map(copyOf);
        this.byId.clear();
        for (const m of this.list) this.byId.set(m.id, m);
        return { kind: 'reset' };
      case 'append': {
        // A snapshot taken after the message was created already holds it.
        if (this.byId.has(message.message.id)) return { kind: 'none' };
        const copy = copyOf(message.message);
        this.list.push(copy);
        this.byId.set(copy.id, copy);
        return { kind: 'append', message: copy };
      }
      case 'update': {
        const target = this.byId.get(message.messageId);
        // A message of another conversation (the answer of a chat that was left) is not shown here.
        if (!target) return { kind: 'none' };
        const applied = applyOps(target, message.ops);
        if (applied.gap) this.requestResync(target.id);
        return { kind: 'update', message: target, applied };
      }
      case 'message': {
        const index = this.list.findIndex((m) => m.id === message.message.id);
        if (index < 0) return { kind: 'none' };
        const copy = copyOf(message.message);
        this.list[index] = copy;
        this.byId.set(copy.id, copy);
        return { kind: 'replace', message: copy };
      }
      case 'remove': {
        if (!this.byId.delete(message.messageId)) return { kind: 'none' };
        this.list = this.list.filter((m) => m.id !== message.messageId);
        return { kind: 'remove', messageId: message.messageId };
      }
    }
  }
}

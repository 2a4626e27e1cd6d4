/**
 * Host updates for the webview tests, as the session posts them: text names its channel and the
 * offset it starts at. `Script` keeps each message's offsets, so a test writes only the text.
 */
import type { MessageOp, TextChannel } from '../../src/common/panel/protocol';
import type { HostToWebview, MessageStatus } from '../../src/common/panel/protocol';

export const update = (messageId: string, ...ops: MessageOp[]): HostToWebview => ({
  type: 'update',
  messageId,
  ops,
});

export const end = (messageId: string, status: Exclude<MessageStatus, 'streaming'> = 'complete') =>
  update(messageId, { op: 'status', status });

export class Script {
  private readonly lengths = new Map<string, number>();

  /** Text appended to a channel of a message, at the offset the previous pieces reached. */
  text(messageId: string, text: string, channel: TextChannel = 'content'): HostToWebview {
    const key = `${messageId}\u0000${channel}`;
    const at = this.lengths.get(key) ?? 0;
    this.lengths.set(key, at + text.length);
    return update(messageId, { op: 'text', channel, at, text });
  }

  /** The offset a message's channel starts from (a message that arrived with text). */
  startAt(messageId: string, at: number, channel: TextChannel = 'content'): void {
    this.lengths.set(`${messageId}\u0000${channel}`, at);
  }
}

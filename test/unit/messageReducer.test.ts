import assert from 'node:assert/strict';
import { applyOps, pushOp } from '../../src/common/panel/messageReducer';
import type { MessageOp } from '../../src/common/panel/protocol';
import { PanelConversation } from '../../src/common/panel/panelConversation';
import type { ViewMessage } from '../../src/common/panel/protocol';

const answer = (text = ''): ViewMessage => ({ id: 'a', role: 'assistant', text, status: 'streaming' });
const text = (at: number, t: string, channel: 'content' | 'reasoning' | 'alt:1' = 'content'): MessageOp => ({
  op: 'text',
  channel,
  at,
  text: t,
});

describe('message reducer', () => {
  it('appends text at its offset, skips what it has, and keeps only the new part of an overlap', () => {
    const m = answer();
    assert.deepEqual(applyOps(m, [text(0, 'Hello ')]).appended, [{ channel: 'content', text: 'Hello ' }]);
    // The same piece again (a snapshot already had it): nothing changes.
    const again = applyOps(m, [text(0, 'Hello ')]);
    assert.deepEqual(again.appended, []);
    assert.equal(again.gap, false);
    // A piece that starts inside what is there: only its new end is added.
    assert.deepEqual(applyOps(m, [text(3, 'lo world')]).appended, [{ channel: 'content', text: 'world' }]);
    assert.equal(m.text, 'Hello world');
  });

  it('refuses a piece that would leave a hole, and says so', () => {
    const m = answer('abc');
    const result = applyOps(m, [text(5, 'xyz')]);
    assert.equal(result.gap, true);
    assert.equal(m.text, 'abc');
  });

  it('keeps alternatives without holes and channels apart', () => {
    const m = answer();
    applyOps(m, [text(0, 'second choice', 'alt:1'), text(0, 'why', 'reasoning'), text(0, 'first')]);
    assert.deepEqual(m.alternatives, ['', 'second choice']);
    assert.equal(m.reasoning, 'why');
    assert.equal(m.text, 'first');
  });

  it('moves a thought into the reasoning once, however often the move arrives', () => {
    const m = answer('kept: thought');
    const move: MessageOp = { op: 'contentWasReasoning', from: 6, contentLength: 13, reasoningLength: 0 };
    applyOps(m, [move]);
    assert.equal(m.text, 'kept: ');
    assert.equal(m.reasoning, 'thought');
    const again = applyOps(m, [move]);
    assert.equal(again.gap, false);
    assert.equal(m.text, 'kept: ');
    assert.equal(m.reasoning, 'thought');
  });

  it('asks again when a move finds lengths it did not expect', () => {
    const m = answer('kept: though');
    const result = applyOps(m, [
      { op: 'contentWasReasoning', from: 6, contentLength: 13, reasoningLength: 0 },
    ]);
    assert.equal(result.gap, true);
    assert.equal(m.text, 'kept: though');
  });

  it('sets notices by position, status and usage idempotently', () => {
    const m = answer();
    applyOps(m, [{ op: 'notice', index: 0, text: 'one' }]);
    applyOps(m, [{ op: 'notice', index: 0, text: 'one' }]);
    assert.deepEqual(m.notices, ['one']);
    assert.equal(applyOps(m, [{ op: 'notice', index: 2, text: 'three' }]).gap, true);
    const done: MessageOp = { op: 'status', status: 'complete' };
    assert.deepEqual([...applyOps(m, [done]).changed], ['status']);
    assert.deepEqual([...applyOps(m, [done]).changed], []);
  });

  it('merges consecutive pieces of one channel in a batch, and nothing else', () => {
    const batch: MessageOp[] = [];
    pushOp(batch, text(0, 'ab'));
    pushOp(batch, text(2, 'cd'));
    pushOp(batch, text(0, 'r', 'reasoning'));
    pushOp(batch, text(4, 'e'));
    assert.deepEqual(batch, [text(0, 'abcd'), text(0, 'r', 'reasoning'), text(4, 'e')]);
  });
});

describe('panel conversation', () => {
  it('ignores updates for messages it does not hold and appends it already has', () => {
    const resyncs: string[] = [];
    const panel = new PanelConversation((id) => resyncs.push(id));
    panel.receive({ type: 'state', state: { messages: [answer('hi')], model: 'm' } });
    assert.equal(panel.receive({ type: 'append', message: answer('') }).kind, 'none');
    assert.equal(panel.get('a')!.text, 'hi');
    assert.equal(panel.receive({ type: 'update', messageId: 'gone', ops: [text(0, 'x')] }).kind, 'none');
    panel.receive({ type: 'update', messageId: 'a', ops: [text(9, 'x')] });
    assert.deepEqual(resyncs, ['a']);
    panel.receive({ type: 'message', message: answer('hi there') });
    assert.equal(panel.get('a')!.text, 'hi there');
  });
});

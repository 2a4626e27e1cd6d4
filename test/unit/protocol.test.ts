import assert from 'node:assert/strict';
import { isHostToWebview, isWebviewToHost } from '../../src/common/panel/protocolGuards';

describe('webview protocol guards', () => {
  it('accepts well-formed webview messages', () => {
    for (const msg of [
      { type: 'ready' },
      { type: 'send', text: 'hi' },
      { type: 'stop' },
      { type: 'newChat' },
      { type: 'retry' },
    ]) {
      assert.ok(isWebviewToHost(msg), JSON.stringify(msg));
    }
  });

  it('rejects anything else that arrives over postMessage', () => {
    for (const msg of [
      null,
      'send',
      42,
      {},
      { type: 'eval' },
      { type: 'send' },
      { type: 'send', text: 5 },
      [],
    ]) {
      assert.ok(!isWebviewToHost(msg), JSON.stringify(msg));
    }
  });

  it('recognises host messages', () => {
    assert.ok(
      isHostToWebview({
        type: 'update',
        messageId: 'm',
        ops: [{ op: 'text', channel: 'content', at: 0, text: 'x' }],
      }),
    );
    assert.ok(!isHostToWebview({ type: 'nope' }));
    assert.ok(!isHostToWebview(undefined));
  });
});

describe('webview protocol guards: conversation and code actions', () => {
  it('accepts the action messages with their fields', () => {
    for (const msg of [
      { type: 'regenerate' },
      { type: 'edit', messageId: 'm', text: 'new' },
      { type: 'delete', messageId: 'm' },
      { type: 'openLink', url: 'https://example.com' },
      { type: 'code', action: 'insert', code: 'x' },
      { type: 'code', action: 'apply', code: 'x', language: 'ts' },
      { type: 'showHistory' },
      { type: 'export' },
    ]) {
      assert.ok(isWebviewToHost(msg), JSON.stringify(msg));
    }
  });

  it('rejects them without their fields, or with an unknown code action', () => {
    for (const msg of [
      { type: 'edit', messageId: 'm' },
      { type: 'delete' },
      { type: 'openLink', url: 1 },
      { type: 'code', action: 'run', code: 'rm -rf /' },
      { type: 'code', action: 'insert' },
      { type: 'toString' },
      { type: '__proto__' },
    ]) {
      assert.ok(!isWebviewToHost(msg), JSON.stringify(msg));
    }
  });
});

describe('webview protocol guards: per-chat options', () => {
  it('accepts valid options and rejects malformed ones', () => {
    assert.ok(isWebviewToHost({ type: 'setOptions', options: {} }));
    assert.ok(
      isWebviewToHost({
        type: 'setOptions',
        options: { temperature: 0.2, maxTokens: 100, reasoningEffort: 'high', jsonMode: true },
      }),
    );
    assert.ok(!isWebviewToHost({ type: 'setOptions' }));
    assert.ok(!isWebviewToHost({ type: 'setOptions', options: { temperature: 'hot' } }));
    assert.ok(!isWebviewToHost({ type: 'setOptions', options: { reasoningEffort: 'extreme' } }));
    assert.ok(!isWebviewToHost({ type: 'setOptions', options: { temperature: Infinity } }));
  });
});

describe('webview protocol guards: attachments', () => {
  it('accepts image data URLs and file references', () => {
    assert.ok(
      isWebviewToHost({
        type: 'send',
        text: 'look',
        includeSelection: true,
        attachments: [
          { kind: 'image', name: 'a.png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
          { kind: 'file', name: 'b.ts', uri: 'file:///w/b.ts' },
        ],
      }),
    );
  });

  it('rejects other schemes and malformed attachments', () => {
    for (const attachments of [
      [{ kind: 'image', name: 'x', dataUrl: 'https://evil.example/x.png' }],
      [{ kind: 'image', name: 'x', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' }],
      [{ kind: 'image', name: 'x', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' }],
      [{ kind: 'file', name: 'x' }],
      [{ kind: 'exe', name: 'x' }],
      'nope',
    ]) {
      assert.ok(!isWebviewToHost({ type: 'send', text: 'x', attachments }), JSON.stringify(attachments));
    }
  });
});

describe('host protocol guard covers every host message', () => {
  it('lets each host message type through', () => {
    for (const type of [
      'state',
      'append',
      'update',
      'message',
      'remove',
      'focusComposer',
      'config',
      'selection',
    ]) {
      assert.ok(isHostToWebview({ type }), type);
    }
    assert.ok(!isHostToWebview({ type: 'hasOwnProperty' }));
  });
});

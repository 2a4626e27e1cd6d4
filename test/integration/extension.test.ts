// Inside VS Code's extension host (desktop, via @vscode/test-electron).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('extension host integration', () => {
  it('contributes its commands and activates on them', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['relayChat.askAboutSelection', 'relayChat.setApiKey', 'relayChat.newChat']) {
      assert.ok(commands.includes(id), id);
    }
    await vscode.commands.executeCommand('relayChat.newChat');
    const extension = vscode.extensions.getExtension('relay-chat.relay-chat');
    assert.ok(extension?.isActive);
  });

  it('keeps the key out of settings', () => {
    const config = vscode.workspace.getConfiguration('relayChat');
    assert.equal(config.inspect('apiKey'), undefined);
  });
});

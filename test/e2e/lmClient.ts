/**
 * A tiny second extension, written by the test, that uses the relay's models the way any extension
 * would: `vscode.lm.selectChatModels({ vendor: 'relay-chat' })`, `sendRequest`, `countTokens`. It
 * writes what it got into the workspace, where the test reads it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLIENT_COMMAND_TITLE = 'LM Client: Run Request';

const MAIN = String.raw`
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

function folder() {
  return vscode.workspace.workspaceFolders[0].uri.fsPath;
}

async function writeModels() {
  const models = await vscode.lm.selectChatModels({ vendor: 'relay-chat' });
  const list = models.map((m) => ({
    id: m.id, name: m.name, vendor: m.vendor, family: m.family,
    maxInputTokens: m.maxInputTokens,
  }));
  fs.writeFileSync(path.join(folder(), 'lm-models.json'), JSON.stringify(list));
}

function toMessage(m) {
  const parts = m.parts.map((p) => {
    if (p.text !== undefined) return new vscode.LanguageModelTextPart(p.text);
    if (p.toolResult) return new vscode.LanguageModelToolResultPart(p.toolResult, [new vscode.LanguageModelTextPart(p.content)]);
    return new vscode.LanguageModelToolCallPart(p.callId, p.name, p.input);
  });
  return m.role === 'assistant'
    ? vscode.LanguageModelChatMessage.Assistant(parts)
    : vscode.LanguageModelChatMessage.User(parts);
}

async function run() {
  const spec = JSON.parse(fs.readFileSync(path.join(folder(), 'lm-request.json'), 'utf8'));
  const out = { parts: [] };
  try {
    const [model] = await vscode.lm.selectChatModels({ vendor: 'relay-chat', id: spec.model });
    if (!model) throw new Error('no model ' + spec.model);
    out.tokens = await model.countTokens(spec.countTokensOf);
    const cts = new vscode.CancellationTokenSource();
    const response = await model.sendRequest(
      spec.messages.map(toMessage),
      { tools: spec.tools, toolMode: spec.tools ? vscode.LanguageModelChatToolMode.Required : undefined },
      cts.token,
    );
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) out.parts.push({ text: part.value });
      else if (part instanceof vscode.LanguageModelToolCallPart) out.parts.push({ callId: part.callId, name: part.name, input: part.input });
      if (spec.cancelAfterParts && out.parts.length >= spec.cancelAfterParts) cts.cancel();
    }
    out.ended = 'done';
  } catch (err) {
    out.ended = 'error';
    out.error = { name: err && err.name, message: err && err.message };
  }
  fs.writeFileSync(path.join(folder(), 'lm-result-' + spec.id + '.json'), JSON.stringify(out));
}

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand('lmClient.run', run),
    vscode.lm.onDidChangeChatModels(() => void writeModels()),
  );
  void writeModels();
};
`;

/** Writes the client extension into a temp folder named as an installed extension; returns it. */
export function buildLmClient(): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'relay-lm-client-')), 'test.lm-client-0.0.1');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({
      name: 'lm-client',
      publisher: 'test',
      version: '0.0.1',
      engines: { vscode: '^1.104.0' },
      main: './main.js',
      activationEvents: ['onStartupFinished'],
      contributes: { commands: [{ command: 'lmClient.run', title: CLIENT_COMMAND_TITLE }] },
    }),
  );
  writeFileSync(join(folder, 'main.js'), MAIN);
  return folder;
}

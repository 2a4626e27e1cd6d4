import * as vscode from 'vscode';
import { buildSelectionParts, DEFAULT_QUESTION, selectionLabel } from '../common/selectionPrompt';
import { ChatViewProvider, CHAT_VIEW_ID } from './chatViewProvider';
import { selectionContext } from './selection';
import { EndpointSettings } from './settings';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Relay Chat', { log: true });
  const settings = new EndpointSettings(context.secrets);
  const provider = new ChatViewProvider(context.extensionUri, settings, log);

  context.subscriptions.push(
    log,
    provider,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider),
    vscode.commands.registerCommand('relayChat.askAboutSelection', () => askAboutSelection(provider)),
    vscode.commands.registerCommand('relayChat.setApiKey', () => setApiKey(settings)),
    vscode.commands.registerCommand('relayChat.clearApiKey', async () => {
      await settings.clearApiKey();
      void vscode.window.showInformationMessage(vscode.l10n.t('Relay Chat: the API key was removed.'));
    }),
    vscode.commands.registerCommand('relayChat.newChat', () => provider.newChat()),
  );
}

async function askAboutSelection(provider: ChatViewProvider): Promise<void> {
  const selection = selectionContext(vscode.window.activeTextEditor);
  if (!selection) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Select some code first, then run "Ask About Selection".'),
    );
    return;
  }
  const label = selectionLabel(selection);
  const question = await vscode.window.showInputBox({
    title: vscode.l10n.t('Ask about {0}', label),
    prompt: vscode.l10n.t('Your question about the selected code. Leave empty to ask: {0}', DEFAULT_QUESTION),
    placeHolder: DEFAULT_QUESTION,
    ignoreFocusOut: true,
  });
  if (question === undefined) return;
  await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  const text = question.trim() || DEFAULT_QUESTION;
  await provider.ask({ display: text, content: buildSelectionParts(text, selection), context: [{ label }] });
}

async function setApiKey(settings: EndpointSettings): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Relay Chat: API key'),
    prompt: vscode.l10n.t(
      'Stored in VS Code Secret Storage, never in settings. Leave empty for endpoints without a key.',
    ),
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim()) {
    await settings.setApiKey(key.trim());
    void vscode.window.showInformationMessage(vscode.l10n.t('Relay Chat: the API key was saved.'));
  } else {
    await settings.clearApiKey();
    void vscode.window.showInformationMessage(vscode.l10n.t('Relay Chat: the API key was removed.'));
  }
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}

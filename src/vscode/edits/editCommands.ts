import * as vscode from 'vscode';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import { editSelection } from './editSelection';
import { ORIGINAL_SCHEME } from './pendingEdits';

/** The commands, CodeLens and diff documents of edit mode. */
export function registerEditCommands(context: vscode.ExtensionContext, provider: ChatViewProvider): void {
  const pending = provider.edits.pending;
  context.subscriptions.push(
    vscode.commands.registerCommand('relayChat.editSelection', () => editSelection(provider)),
    vscode.commands.registerCommand('relayChat.acceptAllEdits', () => pending.review(true)),
    vscode.commands.registerCommand('relayChat.rejectAllEdits', () => pending.review(false)),
    vscode.commands.registerCommand('relayChat.keepEdit', (id: number) => pending.reviewById(id, true)),
    vscode.commands.registerCommand('relayChat.undoEdit', (id: number) => pending.reviewById(id, false)),
    vscode.commands.registerCommand('relayChat.keepFileEdits', (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      return target && pending.reviewUri(target, true);
    }),
    vscode.commands.registerCommand('relayChat.undoFileEdits', (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      return target && pending.reviewUri(target, false);
    }),
    vscode.commands.registerCommand('relayChat.showEditDiff', (path: string) => pending.openDiff(path)),
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, pending),
    vscode.workspace.registerTextDocumentContentProvider(ORIGINAL_SCHEME, pending),
    pending.onDidChangeCount((count) =>
      vscode.commands.executeCommand('setContext', 'relayChat.hasPendingEdits', count > 0),
    ),
  );
}

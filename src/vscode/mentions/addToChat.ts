import * as vscode from 'vscode';
import type { Mention } from '../../common/mentions/mentionTypes';

/** What Add to Chat needs: a workspace file or folder as a mention, and the panel to add them to. */
export interface AddToChatDeps {
  mentionFor(uri: vscode.Uri, isFolder: boolean): Mention | undefined;
  addMentions(mentions: Mention[]): Promise<void>;
  focusPanel(): Thenable<unknown>;
}

/**
 * "Relay Chat: Add to Chat" from the Explorer (every selected file and folder), an editor tab, or
 * the palette (the active editor's file): each becomes a chip in the composer. Something outside
 * the workspace cannot be mentioned, and says so.
 */
export async function addToChat(
  deps: AddToChatDeps,
  clicked?: vscode.Uri,
  selected?: readonly vscode.Uri[],
): Promise<void> {
  const uris = selected?.length ? selected : clicked ? [clicked] : activeFile();
  if (!uris.length) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Open a file, or pick files and folders in the Explorer, to add them to the chat.'),
    );
    return;
  }
  const mentions: Mention[] = [];
  const outside: string[] = [];
  for (const uri of uris) {
    const isFolder = await vscode.workspace.fs.stat(uri).then(
      (s) => (s.type & vscode.FileType.Directory) !== 0,
      () => false,
    );
    const mention = deps.mentionFor(uri, isFolder);
    if (mention) mentions.push(mention);
    else outside.push(uri.scheme === 'file' ? uri.fsPath : uri.toString());
  }
  if (outside.length) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Not added to the chat, outside the workspace: {0}', outside.join(', ')),
    );
  }
  if (!mentions.length) return;
  await deps.focusPanel();
  await deps.addMentions(mentions);
}

function activeFile(): vscode.Uri[] {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' ? [uri] : [];
}

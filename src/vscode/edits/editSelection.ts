import * as vscode from 'vscode';
import { selectionLabel } from '../../common/conversation/selectionPrompt';
import { buildSelectionEditParts, SURROUNDING_LINES } from '../../common/edits/selectionEdit';
import { toSlashes } from '../../common/edits/workspacePath';
import { selectionContext } from '../chat/selection';
import type { ChatViewProvider } from '../chat/chatViewProvider';

/** "Relay Chat: Edit Selection": an instruction, then the model's replacement streams into the range. */
export async function editSelection(provider: ChatViewProvider): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selection = selectionContext(editor);
  if (!editor || !selection) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Select some code first, then run "Edit Selection".'),
    );
    return;
  }
  if (editor.document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Edit Selection works on files saved in the workspace.'),
    );
    return;
  }
  const doc = editor.document;
  const range = editor.selection;
  const version = doc.version;
  const label = selectionLabel(selection);
  const instruction = await vscode.window.showInputBox({
    title: vscode.l10n.t('Edit {0}', label),
    prompt: vscode.l10n.t('How should the selected code change?'),
    ignoreFocusOut: true,
  });
  if (!instruction?.trim()) return;
  const firstLine = Math.max(0, range.start.line - SURROUNDING_LINES);
  const lastLine = Math.min(doc.lineCount - 1, range.end.line + SURROUNDING_LINES);
  const before = doc.getText(new vscode.Range(firstLine, 0, range.start.line, 0));
  const after = doc.getText(new vscode.Range(range.end.line + 1, 0, lastLine + 1, 0));
  const display = vscode.workspace.asRelativePath(
    doc.uri,
    (vscode.workspace.workspaceFolders?.length ?? 0) > 1,
  );
  await vscode.commands.executeCommand('relayChat.chatView.focus');
  await provider.editSelection(
    {
      display: instruction.trim(),
      content: buildSelectionEditParts(instruction, selection, before, after),
      context: [{ label }],
      files: [doc.uri.fsPath],
    },
    {
      absolute: toSlashes(doc.uri.fsPath),
      display: toSlashes(display),
      start: doc.offsetAt(range.start),
      end: doc.offsetAt(range.end),
      version,
    },
  );
}

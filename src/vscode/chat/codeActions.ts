import * as vscode from 'vscode';
import type { CodeAction } from '../../common/panel/protocol';

/** What a code block's buttons do: insert at the cursor, preview as a diff, or open in an editor. */
export async function runCodeAction(action: CodeAction, code: string, language?: string): Promise<void> {
  switch (action) {
    case 'insert':
      return insertAtCursor(code);
    case 'apply':
      return previewApply(code, language);
    case 'open':
      return openInEditor(code, language);
  }
}

function targetEditor(): vscode.TextEditor | undefined {
  // With focus in the panel, the last text editor is still the active one; fall back to any visible.
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
}

async function insertAtCursor(code: string): Promise<void> {
  const editor = targetEditor();
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a file to insert the code into.'));
    return;
  }
  // One edit, so one Undo takes it back.
  await editor.edit((builder) => {
    for (const selection of editor.selections) builder.replace(selection, code);
  });
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
}

/** Until tool-call edits land, "apply" shows the change as a diff the user can copy from. */
async function previewApply(code: string, language?: string): Promise<void> {
  const editor = targetEditor();
  if (!editor) return openInEditor(code, language);
  const proposed = await vscode.workspace.openTextDocument({
    content: code,
    language: editor.document.languageId,
  });
  const name = vscode.workspace.asRelativePath(editor.document.uri, false);
  await vscode.commands.executeCommand(
    'vscode.diff',
    editor.document.uri,
    proposed.uri,
    vscode.l10n.t('{0} ↔ suggested code', name),
  );
}

async function openInEditor(code: string, language?: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content: code, language: language || undefined });
  await vscode.window.showTextDocument(doc, { preview: false });
}

const SAFE_LINK = /^(https?:|mailto:)/i;

/** Links from model output open only after a check: http(s) and mailto, through VS Code. */
export async function openLink(url: string, log: vscode.LogOutputChannel): Promise<void> {
  if (!SAFE_LINK.test(url)) {
    log.warn(`Refused to open a link with an unsafe scheme: ${url.slice(0, 80)}`);
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
}

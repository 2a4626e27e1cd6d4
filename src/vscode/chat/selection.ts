import * as vscode from 'vscode';
import type { SelectionContext } from '../../common/conversation/selectionPrompt';

/** The active editor's selection as prompt context; undefined when nothing is selected. */
export function selectionContext(editor: vscode.TextEditor | undefined): SelectionContext | undefined {
  if (!editor || editor.selection.isEmpty) return undefined;
  const { selection, document } = editor;
  // A selection ending at column 0 of a line does not include that line.
  const endLine =
    selection.end.character === 0 && selection.end.line > selection.start.line
      ? selection.end.line - 1
      : selection.end.line;
  return {
    path: vscode.workspace.asRelativePath(document.uri, false).replace(/\\/g, '/'),
    languageId: document.languageId,
    startLine: selection.start.line + 1,
    endLine: endLine + 1,
    text: document.getText(selection),
  };
}

import * as vscode from 'vscode';

/** `@open`: the text files open in editor tabs (a diff tab counts as its modified side), each once. */
export function openEditorUris(): vscode.Uri[] {
  const seen = new Map<string, vscode.Uri>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const uri =
        tab.input instanceof vscode.TabInputText
          ? tab.input.uri
          : tab.input instanceof vscode.TabInputTextDiff
            ? tab.input.modified
            : undefined;
      // Untitled and virtual documents are read through their open document.
      if (uri && !seen.has(uri.toString())) seen.set(uri.toString(), uri);
    }
  }
  return [...seen.values()];
}

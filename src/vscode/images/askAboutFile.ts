import * as vscode from 'vscode';

/** All Ask About File needs of the chat view; narrower than the provider, which imports from images/. */
export interface FileQuestions {
  askAboutFile(uri: string, question: string): Promise<void>;
}

/** Explorer → "Ask About File" on a WAV, MP3 or PDF: a question, then the file as its own part. */
export async function askAboutFile(
  chat: FileQuestions,
  focusPanel: () => Thenable<unknown>,
  uri?: vscode.Uri,
): Promise<void> {
  if (!uri) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Right-click a WAV, MP3 or PDF file in the Explorer to ask about it.'),
    );
    return;
  }
  const fallback = vscode.l10n.t('What is in this file?');
  const question = await vscode.window.showInputBox({
    title: vscode.l10n.t('Ask about {0}', vscode.workspace.asRelativePath(uri, false)),
    prompt: vscode.l10n.t('Your question about the file. Leave empty to ask: {0}', fallback),
    placeHolder: fallback,
    ignoreFocusOut: true,
  });
  if (question === undefined) return;
  await focusPanel();
  await chat.askAboutFile(uri.toString(), question.trim() || fallback);
}

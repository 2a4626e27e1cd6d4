import * as vscode from 'vscode';
import { toSlashes } from '../../common/edits/workspacePath';
import { problemInput, type ProblemAction } from '../../common/problems/problemPrompt';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import { diagnosticProblem } from './diagnosticProblem';

const COMMANDS: Record<ProblemAction, string> = {
  fix: 'relayChat.fixProblem',
  explain: 'relayChat.explainProblem',
};

/** "Fix with Relay Chat" and "Explain with Relay Chat" on every diagnostic, in the Quick Fix menu. */
class ProblemCodeActions implements vscode.CodeActionProvider {
  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    // Several diagnostics in the range: each pair names its own.
    const named = context.diagnostics.length > 1;
    return context.diagnostics.flatMap((diagnostic) =>
      (['fix', 'explain'] as const).map((action) => {
        const title =
          action === 'fix' ? vscode.l10n.t('Fix with Relay Chat') : vscode.l10n.t('Explain with Relay Chat');
        const item = new vscode.CodeAction(
          named ? `${title}: ${shorten(diagnostic.message)}` : title,
          vscode.CodeActionKind.QuickFix,
        );
        item.diagnostics = [diagnostic];
        item.command = { command: COMMANDS[action], title, arguments: [document.uri, diagnostic] };
        return item;
      }),
    );
  }
}

function shorten(message: string): string {
  const line = message.split('\n')[0];
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** From the palette: the most severe diagnostic under the cursor of the active editor. */
function atCursor(): [vscode.Uri, vscode.Diagnostic] | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const cursor = editor.selection.active;
  const all = vscode.languages.getDiagnostics(editor.document.uri);
  const under = all.filter((d) => d.range.contains(cursor));
  const onLine = under.length ? under : all.filter((d) => d.range.start.line === cursor.line);
  const first = onLine.sort((a, b) => a.severity - b.severity)[0];
  return first && [editor.document.uri, first];
}

async function run(
  provider: ChatViewProvider,
  action: ProblemAction,
  uri?: vscode.Uri,
  diagnostic?: vscode.Diagnostic,
): Promise<void> {
  const target = uri && diagnostic ? ([uri, diagnostic] as const) : atCursor();
  if (!target) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Put the cursor on a problem (a squiggle) first, or use its Quick Fix menu (Ctrl+.).'),
    );
    return;
  }
  const [file, problem] = target;
  const folder = vscode.workspace.getWorkspaceFolder(file);
  if (action === 'fix' && (file.scheme !== 'file' || !folder)) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Relay Chat fixes problems in files of the workspace folders.'),
    );
    return;
  }
  const document = await vscode.workspace.openTextDocument(file);
  const path = toSlashes(
    vscode.workspace.asRelativePath(file, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
  );
  const input = problemInput(action, {
    problem: diagnosticProblem(path, problem),
    languageId: document.languageId,
    text: document.getText(),
  });
  await vscode.commands.executeCommand('relayChat.chatView.focus');
  if (action === 'fix' && provider.edits.mode !== 'edit') {
    // A fix comes back as edits to review: the panel shows Edit mode, and stays in it.
    await provider.edits.setMode('edit');
    provider.settingsChanged();
    vscode.window.setStatusBarMessage(
      vscode.l10n.t('Relay Chat: switched to Edit mode to fix the problem.'),
      8000,
    );
  }
  // The project's rules for this file (its nearest AGENTS.md, applyTo rules) apply to the question.
  await provider.askInMode({ ...input, files: [file.fsPath] }, action === 'fix' ? 'edit' : 'ask');
}

/** The Quick Fixes and their two commands (from the palette: the problem under the cursor). */
export function registerProblemActions(context: vscode.ExtensionContext, provider: ChatViewProvider): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new ProblemCodeActions(), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    ...(Object.keys(COMMANDS) as ProblemAction[]).map((action) =>
      vscode.commands.registerCommand(COMMANDS[action], (uri?: vscode.Uri, diagnostic?: vscode.Diagnostic) =>
        run(provider, action, uri, diagnostic),
      ),
    ),
  );
}

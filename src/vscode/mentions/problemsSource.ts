import * as vscode from 'vscode';
import { diagnosticProblem } from '../problems/diagnosticProblem';
import { problemsText, selectProblems, type Problem } from '../../common/mentions/problemsText';
import { locateUri } from './workspacePaths';

/**
 * `@problems`: the diagnostics of the active editor's file, or of the whole workspace when no file
 * editor is active, with the lines around each (read from the open document, else from disk).
 */

export async function problemsMentionText(): Promise<string> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const file = active && active.scheme !== 'output' ? active : undefined;
  const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] = file
    ? [[file, vscode.languages.getDiagnostics(file)]]
    : vscode.languages.getDiagnostics();
  const uris = new Map<string, vscode.Uri>();
  const problems: Problem[] = [];
  for (const [uri, diagnostics] of entries) {
    const path = pathOf(uri);
    uris.set(path, uri);
    for (const d of diagnostics) problems.push(diagnosticProblem(path, d));
  }
  const selection = selectProblems(problems);
  const lines = new Map<string, readonly string[] | undefined>();
  await Promise.all(
    [...new Set(selection.shown.map((p) => p.path))].map(async (path) => {
      lines.set(path, await linesOf(uris.get(path)!));
    }),
  );
  const scope = file ? `the active file ${pathOf(file)}` : 'the workspace';
  return problemsText(selection, scope, (path) => lines.get(path));
}

function pathOf(uri: vscode.Uri): string {
  return locateUri(uri)?.shown ?? (uri.scheme === 'file' ? uri.fsPath : uri.toString());
}

async function linesOf(uri: vscode.Uri): Promise<readonly string[] | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText().split('\n');
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).split('\n');
  } catch {
    return undefined;
  }
}

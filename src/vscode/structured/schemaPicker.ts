import * as vscode from 'vscode';
import { describeSchemaProblem, readSchema } from '../../common/structured/schemaSource';
import type { StructuredSchema } from '../../common/structured/structuredTypes';

type Choice = vscode.QuickPickItem & { source?: 'paste' | 'browse' | vscode.Uri };

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}';
const MAX_FILES = 500;

/**
 * Structured output from the panel's menu: a workspace `.json` file (a Quick Pick of them, or the
 * open dialog) or a pasted schema. A schema that is not JSON, not an object or cannot check
 * anything is said before anything is sent: in the input box as it is typed, or as an error for a file.
 */
export async function pickSchema(): Promise<StructuredSchema | undefined> {
  const t = vscode.l10n.t;
  const files = await vscode.workspace.findFiles('**/*.json', EXCLUDE, MAX_FILES);
  const choices: Choice[] = [
    { label: `$(clippy) ${t('Paste a JSON Schema…')}`, source: 'paste' },
    { label: `$(folder-opened) ${t('Choose a file…')}`, source: 'browse' },
  ];
  if (files.length) {
    choices.push({ label: t('Workspace .json files'), kind: vscode.QuickPickItemKind.Separator });
    const named = files.map((uri) => ({ uri, path: vscode.workspace.asRelativePath(uri) }));
    named.sort((a, b) => a.path.localeCompare(b.path));
    for (const { uri, path } of named) choices.push({ label: path, source: uri });
  }
  const picked = await vscode.window.showQuickPick(choices, {
    title: t('Structured output: pick a JSON Schema'),
    placeHolder: t('A .json file from the workspace, or paste a schema'),
  });
  if (!picked?.source) return undefined;
  if (picked.source === 'paste') return pasteSchema();
  const uri =
    picked.source === 'browse'
      ? (
          await vscode.window.showOpenDialog({
            canSelectMany: false,
            filters: { [t('JSON Schema')]: ['json'] },
            title: t('Structured output: pick a JSON Schema'),
          })
        )?.[0]
      : picked.source;
  return uri && schemaFromFile(uri);
}

async function schemaFromFile(uri: vscode.Uri): Promise<StructuredSchema | undefined> {
  const t = vscode.l10n.t;
  const shown = vscode.workspace.asRelativePath(uri);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    void vscode.window.showErrorMessage(
      t('Relay Chat could not read {0}: {1}', shown, err instanceof Error ? err.message : String(err)),
    );
    return undefined;
  }
  const source = readSchema(text, uri.path.split('/').pop() ?? 'schema');
  if (source.ok) return source.schema;
  void vscode.window.showErrorMessage(
    t('{0} cannot be used for structured output. {1}', shown, describeSchemaProblem(source, t)),
  );
  return undefined;
}

async function pasteSchema(): Promise<StructuredSchema | undefined> {
  const t = vscode.l10n.t;
  const text = await vscode.window.showInputBox({
    title: t('Structured output: paste a JSON Schema'),
    prompt: t('The schema object, or {"name": …, "schema": …} as the API takes it.'),
    placeHolder: '{"type": "object", "properties": {…}, "required": […]}',
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (!value.trim()) return undefined;
      const source = readSchema(value, 'pasted_schema');
      return source.ok ? undefined : describeSchemaProblem(source, t);
    },
  });
  if (!text?.trim()) return undefined;
  const source = readSchema(text, 'pasted_schema');
  return source.ok ? source.schema : undefined;
}

import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import type { EditWorkspace, FileSnapshot } from '../../common/edits/editToolRunner';
import { MAX_EDIT_BYTES } from '../../common/edits/toolSchemas';
import {
  DEFAULT_PROTECTED,
  protectedBy,
  toSlashes,
  type WorkspaceFolderInfo,
} from '../../common/edits/workspacePath';

/** The edit tools' view of the workspace: open documents' unsaved text first, then the disk. */
export class VscodeEditWorkspace implements EditWorkspace {
  readonly caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

  folders(): WorkspaceFolderInfo[] {
    return (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => ({ name: f.name, path: toSlashes(f.uri.fsPath) }));
  }

  async realPath(absolute: string): Promise<string | undefined> {
    try {
      return toSlashes(await fs.realpath(absolute));
    } catch {
      return undefined;
    }
  }

  async read(absolute: string): Promise<FileSnapshot | undefined> {
    const uri = vscode.Uri.file(absolute);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc && !doc.isClosed) {
      const text = doc.getText();
      return { text, version: doc.version, size: text.length };
    }
    let stat;
    try {
      stat = await fs.stat(absolute);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_EDIT_BYTES) return { text: '', version: stat.mtimeMs, size: stat.size };
    const bytes = await fs.readFile(absolute);
    if (bytes.subarray(0, 8000).includes(0))
      return { text: '', version: stat.mtimeMs, size: stat.size, binary: true };
    // As an editor would open it: the BOM is the encoding's, not the text's.
    return { text: new TextDecoder('utf-8').decode(bytes), version: stat.mtimeMs, size: stat.size };
  }

  async list(
    folder: WorkspaceFolderInfo,
    under: string,
    glob: string | undefined,
    limit: number,
  ): Promise<string[]> {
    const base = vscode.Uri.file(folder.path);
    const pattern = new vscode.RelativePattern(base, `${under ? `${under}/` : ''}${glob ?? '**/*'}`);
    // files.exclude applies by default; .gitignore is read here (findFiles leaves it to search).
    const ignored = await this.gitignore(folder.path);
    const found = await vscode.workspace.findFiles(pattern, undefined, limit * 2);
    return found
      .map((uri) => toSlashes(uri.fsPath).slice(folder.path.replace(/\/+$/, '').length + 1))
      .filter((p) => !protectedBy(p, ignored))
      .sort()
      .slice(0, limit);
  }

  private async gitignore(root: string): Promise<string[]> {
    try {
      const text = await fs.readFile(`${root}/.gitignore`, 'utf8');
      return text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
        .map((l) => (l.endsWith('/') ? `${l}**` : l));
    } catch {
      return ['node_modules/**'];
    }
  }

  autoSaves(absolute: string): boolean {
    const mode = vscode.workspace
      .getConfiguration('files', vscode.Uri.file(absolute))
      .get<string>('autoSave');
    return mode !== undefined && mode !== 'off';
  }

  protectedPatterns(): readonly string[] {
    const set = vscode.workspace.getConfiguration('relayChat').get<unknown>('edits.protectedFiles');
    return Array.isArray(set) ? set.filter((p): p is string => typeof p === 'string') : DEFAULT_PROTECTED;
  }
}

import * as vscode from 'vscode';
import { formatBytes } from '../../common/mentions/folderFiles';
import type { FileContent } from '../../common/mentions/mentionTypes';
import type { OutlineSymbol } from '../../common/mentions/outlineText';
import { decodeFileBytes } from '../../common/mentions/textDecode';

/**
 * A mentioned file's content as it is now: the editor's text where the file is open with unsaved
 * changes (what the user sees), else the bytes on disk. A large text file also gets its outline, for
 * when only a small part of it fits the request. Never throws: a failure is `unreadable` with why.
 */

/** Text over this many characters gets its outline too. */
export const OUTLINE_OVER = 100 * 1024;
/** A single file larger than this is not read: no request could carry a useful share of it. */
export const READ_CAP = 16 * 1024 * 1024;

export async function readFileContent(
  uri: vscode.Uri,
  options: { outline?: boolean } = {},
): Promise<FileContent> {
  const content = await readContent(uri);
  if (content.type === 'text' && options.outline !== false && content.text.length > OUTLINE_OVER) {
    const outline = await outlineOf(uri);
    if (outline.length) return { ...content, outline };
  }
  return content;
}

async function readContent(uri: vscode.Uri): Promise<FileContent> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open && (open.isDirty || open.isUntitled)) return { type: 'text', text: open.getText() };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory)
      return { type: 'unreadable', reason: 'it is a folder, not a file' };
    if (stat.size > READ_CAP)
      return {
        type: 'unreadable',
        reason: `it is too large to read (${formatBytes(stat.size)}; files over ${formatBytes(READ_CAP)} are not read)`,
      };
    return decodeFileBytes(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    return { type: 'unreadable', reason: readError(error) };
  }
}

export function readError(error: unknown): string {
  if (error instanceof vscode.FileSystemError) {
    if (error.code === 'FileNotFound' || error.code === 'EntryNotFound') return 'it no longer exists';
    if (error.code === 'NoPermissions') return 'permission denied';
  }
  return error instanceof Error ? error.message : String(error);
}

/** The document symbols the language's extension reports, or none (no provider, or it failed). */
async function outlineOf(uri: vscode.Uri): Promise<OutlineSymbol[]> {
  try {
    const symbols = await vscode.commands.executeCommand<
      (vscode.DocumentSymbol | vscode.SymbolInformation)[]
    >('vscode.executeDocumentSymbolProvider', uri);
    return (symbols ?? []).map(toOutline);
  } catch {
    return [];
  }
}

function toOutline(symbol: vscode.DocumentSymbol | vscode.SymbolInformation): OutlineSymbol {
  const line = ('range' in symbol ? symbol.range : symbol.location.range).start.line + 1;
  const children = 'children' in symbol ? symbol.children.map(toOutline) : [];
  return {
    name: symbol.name,
    kind: vscode.SymbolKind[symbol.kind]?.toLowerCase() ?? 'symbol',
    line,
    ...(children.length ? { children } : {}),
  };
}

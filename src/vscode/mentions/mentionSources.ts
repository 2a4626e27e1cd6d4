import * as vscode from 'vscode';
import type { Mention, MentionFile, ResolvedMention } from '../../common/mentions/mentionTypes';
import type { MentionItem } from '../../common/panel/protocol';
import { changesMentionText } from './changesSource';
import { readFileContent } from './fileReader';
import { FileIndex } from './fileIndex';
import { resolveFolder } from './folderSource';
import { openEditorUris } from './openEditors';
import { namedItems, pathItem } from './pickerItems';
import { problemsMentionText } from './problemsSource';
import { TerminalTracker } from './terminalTracker';
import { locate, locateUri } from './workspacePaths';

/**
 * What the `@` mentions can name, for the chat: the picker's rows per keystroke, and what each
 * mention names read now. One source per file in this folder; this class only routes. Build it at
 * activation: the terminal tracker can only read a command's output from its start.
 */

/** Rows the picker shows at most. */
export const PICKER_ROWS = 50;

export class MentionSources implements vscode.Disposable {
  private readonly files: FileIndex;
  private readonly terminals: TerminalTracker;
  private latestId = -1;
  /** The file each MentionFile this class returned was read from. */
  private readonly uris = new WeakMap<MentionFile, vscode.Uri>();
  private readonly remember = (file: MentionFile, uri: vscode.Uri): MentionFile => {
    this.uris.set(file, uri);
    return file;
  };

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.files = new FileIndex(log);
    this.terminals = new TerminalTracker(log);
  }

  /** The picker's rows for the text after `@`; undefined when a newer query superseded this one. */
  async query(id: number, query: string): Promise<{ items: MentionItem[]; more: boolean } | undefined> {
    this.latestId = id;
    const named = namedItems(query);
    const room = Math.max(0, PICKER_ROWS - named.length);
    const found = await this.files.query(query, room + 1);
    if (!found || id !== this.latestId) return undefined;
    return { items: [...named, ...found.slice(0, room).map(pathItem)], more: found.length > room };
  }

  /** Reads what the mentions name, now. Never throws. */
  resolve(mentions: readonly Mention[]): Promise<ResolvedMention[]> {
    return Promise.all(mentions.map((m) => this.resolveOne(m)));
  }

  /**
   * Absolute paths of the files the resolved mentions carry: the rules' request files. A file this
   * class read is known by the object it returned; a copy (cloned, restored) is located by its path.
   */
  filesOf(resolved: readonly ResolvedMention[]): string[] {
    const files = resolved.flatMap((m): readonly MentionFile[] =>
      m.kind === 'file' ? [m.file] : m.kind === 'folder' || m.kind === 'open' ? m.files : [],
    );
    const out = new Set<string>();
    for (const file of files) {
      if (file.content.type === 'unreadable') continue;
      const located = locate(file.path);
      const uri = this.uris.get(file) ?? ('uri' in located ? located.uri : undefined);
      if (uri?.scheme === 'file') out.add(uri.fsPath);
    }
    return [...out];
  }

  /** The mention for a file or folder in the workspace (Add to Chat), or undefined outside it. */
  mentionFor(uri: vscode.Uri, isFolder: boolean): Mention | undefined {
    const at = locateUri(uri);
    if (!at) return undefined;
    return { kind: isFolder ? 'folder' : 'file', path: at.shown };
  }

  private async resolveOne(mention: Mention): Promise<ResolvedMention> {
    try {
      switch (mention.kind) {
        case 'file':
          return { kind: 'file', file: await this.readFile(mention.path) };
        case 'folder': {
          const at = locate(mention.path);
          if ('reason' in at)
            return {
              kind: 'folder',
              path: mention.path,
              tree: [],
              files: [unreadable(mention.path, at.reason)],
            };
          return await resolveFolder(this.files, at, this.remember);
        }
        case 'open':
          return {
            kind: 'open',
            files: await Promise.all(openEditorUris().map((uri) => this.readOpen(uri))),
          };
        case 'problems':
          return { kind: 'problems', text: await problemsMentionText() };
        case 'terminal':
          return { kind: 'terminal', ...(await this.terminals.activeText()) };
        case 'changes':
          return { kind: 'changes', text: await changesMentionText() };
      }
    } catch (error) {
      // The sources catch what they expect; this is the promise that resolve never throws.
      const reason = error instanceof Error ? error.message : String(error);
      this.log.warn(`@${mention.kind}: ${reason}`);
      if (mention.kind === 'file') return { kind: 'file', file: unreadable(mention.path, reason) };
      if (mention.kind === 'folder')
        return { kind: 'folder', path: mention.path, tree: [], files: [unreadable(mention.path, reason)] };
      if (mention.kind === 'open') return { kind: 'open', files: [] };
      if (mention.kind === 'terminal')
        return { kind: 'terminal', name: '', text: `The terminal could not be read: ${reason}` };
      return { kind: mention.kind, text: `This could not be read: ${reason}` };
    }
  }

  private async readFile(path: string): Promise<MentionFile> {
    const at = locate(path);
    if ('reason' in at) return unreadable(path, at.reason);
    if (!at.relative) return unreadable(path, 'it is a workspace folder, not a file');
    return this.remember({ path: at.shown, content: await readFileContent(at.uri) }, at.uri);
  }

  private async readOpen(uri: vscode.Uri): Promise<MentionFile> {
    const at = locateUri(uri);
    if (at) return this.remember({ path: at.shown, content: await readFileContent(uri) }, uri);
    if (uri.scheme === 'untitled')
      return this.remember({ path: uri.path, content: await readFileContent(uri) }, uri);
    const shown = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    return unreadable(shown, 'it is outside the workspace folders');
  }

  dispose(): void {
    this.files.dispose();
    this.terminals.dispose();
  }
}

function unreadable(path: string, reason: string): MentionFile {
  return { path, content: { type: 'unreadable', reason } };
}

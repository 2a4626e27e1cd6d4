import * as vscode from 'vscode';
import { PartialArguments } from '../../common/edits/partialJson';
import { detectEol, findAndReplace, withEol } from '../../common/edits/textMatcher';
import {
  protectedBy,
  resolveWorkspacePath,
  type WorkspaceFolderInfo,
} from '../../common/edits/workspacePath';
import type { SelectionTarget } from '../../common/edits/editToolRunner';

/** About one frame: the editor is written at most this often while arguments stream. */
const FRAME_MS = 16;

interface Preview {
  name: string;
  args: PartialArguments;
  /** The key whose value grows into the editor. */
  key: string;
  located?: { editor: vscode.TextEditor; start: number; original: string; eol: '\n' | '\r\n' };
  locating?: boolean;
  /** How much of the new text is in the editor now. */
  written: number;
  shownText: string;
  done: boolean;
}

/**
 * While a call's arguments stream, its new text grows in the editor at the place it will replace.
 * This is a preview only: before the call runs (and when the stream stops) it is taken back, so the
 * checked, final edit is applied to the original text as one WorkspaceEdit, and a stop leaves
 * nothing half-applied. Preview steps share one undo group, which the take-back closes.
 */
export class StreamPreview {
  private readonly previews = new Map<number, Preview>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Editor writes go one after another. */
  private queue: Promise<void> = Promise.resolve();
  private flushing = false;
  /** Text arrived while a write was in flight: write again once it is done. */
  private flushAgain = false;

  constructor(
    private readonly folders: () => readonly WorkspaceFolderInfo[],
    private readonly protectedPatterns: () => readonly string[],
    private readonly selection?: SelectionTarget,
  ) {}

  onArguments(index: number, name: string, fragment: string): void {
    let preview = this.previews.get(index);
    if (!preview) {
      // One preview per round: a second one's offsets would go stale as the first is taken back.
      const busy = [...this.previews.values()].some((p) => p.located || p.locating);
      const key = busy
        ? ''
        : name === 'replace_in_file'
          ? 'new_text'
          : name === 'replace_selection'
            ? 'text'
            : '';
      preview = { name, args: new PartialArguments(), key, written: 0, shownText: '', done: false };
      this.previews.set(index, preview);
    }
    if (!preview.key || preview.done) return;
    preview.args.push(fragment);
    if (!preview.located && !preview.locating) this.locate(preview);
    if (preview.located) this.schedule();
  }

  private locate(preview: Preview): void {
    let target: { absolute: string; start?: number; end?: number; oldText?: string } | undefined;
    if (preview.name === 'replace_selection' && this.selection) {
      target = { absolute: this.selection.absolute, start: this.selection.start, end: this.selection.end };
    } else if (preview.args.has('path') && preview.args.has('old_text')) {
      const where = resolveWorkspacePath(preview.args.string('path') ?? '', this.folders());
      // Only what the call may touch is shown; the checks proper come when it runs.
      if (!where.ok || protectedBy(where.relative, this.protectedPatterns()))
        return void (preview.done = true);
      target = { absolute: where.absolute, oldText: preview.args.string('old_text') };
    }
    if (!target) return;
    preview.locating = true;
    const found = target;
    this.queue = this.queue
      .then(async () => {
        const uri = vscode.Uri.file(found.absolute);
        const doc = await vscode.workspace.openTextDocument(uri);
        const text = doc.getText();
        let start = found.start;
        let end = found.end;
        if (found.oldText !== undefined) {
          const match = findAndReplace(text, found.oldText, '');
          if (match.kind !== 'match') return void (preview.done = true);
          start = match.start;
          end = match.end;
        }
        const editor = await vscode.window.showTextDocument(doc, { preserveFocus: true, preview: false });
        preview.located = { editor, start: start!, original: text.slice(start, end), eol: detectEol(text) };
        preview.written = end! - start!;
        preview.shownText = preview.located.original;
        this.schedule();
      })
      .catch(() => {
        preview.done = true;
      });
  }

  /**
   * One write at a time, at most one a frame: text that arrives while the editor applies the last
   * write waits for it, and then goes in as one write. A write can take longer than a frame (the
   * editor may be a round trip away), and timers chained behind it would only queue up.
   */
  private schedule(): void {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushing = true;
      this.queue = this.queue
        .then(() => this.flush())
        .catch(() => undefined)
        .then(() => {
          this.flushing = false;
          if (!this.flushAgain) return;
          this.flushAgain = false;
          this.schedule();
        });
    }, FRAME_MS);
  }

  private async flush(): Promise<void> {
    for (const preview of this.previews.values()) {
      const at = preview.located;
      if (!at || preview.done) continue;
      const text = withEol(preview.args.string(preview.key) ?? '', at.eol);
      if (text === preview.shownText) continue;
      await this.write(preview, text);
    }
  }

  private async write(preview: Preview, text: string): Promise<void> {
    const at = preview.located!;
    const doc = at.editor.document;
    const range = new vscode.Range(doc.positionAt(at.start), doc.positionAt(at.start + preview.written));
    const first = preview.shownText === at.original;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc) ?? at.editor;
    const ok = await editor
      .edit((e) => e.replace(range, text), { undoStopBefore: first, undoStopAfter: false })
      .then(
        (done) => done,
        () => false,
      );
    if (!ok) {
      preview.done = true;
      return;
    }
    preview.written = text.length;
    preview.shownText = text;
  }

  /** Takes the preview of one call back (it is about to run), or of all (the round ended). */
  async takeBack(index?: number): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.queue.catch(() => undefined);
    for (const [i, preview] of this.previews) {
      if (index !== undefined && i !== index) continue;
      preview.done = true;
      const at = preview.located;
      if (at && preview.shownText !== at.original) {
        const doc = at.editor.document;
        const range = new vscode.Range(doc.positionAt(at.start), doc.positionAt(at.start + preview.written));
        const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc) ?? at.editor;
        const undone = await editor
          .edit((b) => b.replace(range, at.original), { undoStopBefore: false, undoStopAfter: true })
          .then(
            (ok) => ok,
            () => false,
          );
        if (!undone) {
          // The editor went away: the text is put back all the same, so nothing half-applied stays.
          const edit = new vscode.WorkspaceEdit();
          edit.replace(doc.uri, range, at.original);
          await vscode.workspace.applyEdit(edit);
        }
        preview.shownText = at.original;
        preview.written = at.original.length;
      }
    }
    if (index === undefined) this.previews.clear();
  }
}

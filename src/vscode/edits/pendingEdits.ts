import * as vscode from 'vscode';
import type { PlannedEdit } from '../../common/edits/editToolRunner';

/** One applied change that waits for Keep or Undo. */
interface Change {
  id: number;
  /** Which tool call made it: the message and the call's position. */
  messageId: string;
  index: number;
  /** Offsets of the new text in the document now (tracked through later edits). */
  start: number;
  end: number;
  /** What was there before. */
  removed: string;
}

interface FileReview {
  uri: vscode.Uri;
  /** The document's text before the first change, and whether it had unsaved changes then. */
  original: string;
  wasDirty: boolean;
  /**
   * The file's bytes on disk before the first change. VS Code's auto save (on by default in the
   * browser) writes a change that waits for review; undoing every change puts these back.
   */
  originalBytes: Uint8Array | undefined;
  /** Made by create_file: undoing it deletes the file. */
  created: boolean;
  /** Some change of this file was kept: undoing the others leaves the file as the user has it. */
  kept: boolean;
  changes: Change[];
}

/** Who hears that a call's changes were kept or undone (the panel's tool block). */
export type ReviewListener = (messageId: string, index: number, outcome: 'kept' | 'undone') => void;

export const ORIGINAL_SCHEME = 'relay-chat-original';

/**
 * The edits the model made and the user has not yet reviewed. Each call is applied to its document
 * as one WorkspaceEdit (one undo step); nothing is saved. Added text is highlighted, a CodeLens
 * over each change offers Keep, Undo and the diff against the original.
 */
export class PendingEdits
  implements vscode.CodeLensProvider, vscode.TextDocumentContentProvider, vscode.Disposable
{
  private readonly files = new Map<string, FileReview>();
  private nextId = 1;
  private readonly added = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    isWholeLine: true,
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly countChanged = new vscode.EventEmitter<number>();
  /** How many changes wait for review, whenever that changes. */
  readonly onDidChangeCount = this.countChanged.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly onReviewed: ReviewListener) {
    this.disposables.push(
      this.added,
      this.lensChanged,
      this.countChanged,
      vscode.workspace.onDidChangeTextDocument((e) => this.track(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateAll()),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        // Closed, the document's changes are gone unless they were saved (by the user or by auto
        // save): then they are on disk, kept; otherwise undone. Nothing is left to review there.
        const review = this.files.get(doc.uri.toString());
        if (review && !review.created) {
          void this.onDisk(review).then((same) => this.drop(review, same ? 'undone' : 'kept'));
        }
      }),
    );
  }

  get count(): number {
    let n = 0;
    for (const review of this.files.values()) n += review.changes.length;
    return n;
  }

  /** Applies a checked plan to its document: one WorkspaceEdit. Returns the document's new version. */
  async apply(plan: PlannedEdit, messageId: string, index: number): Promise<number> {
    const uri = vscode.Uri.file(plan.absolute);
    const key = uri.toString();
    if (plan.kind === 'create') {
      const edit = new vscode.WorkspaceEdit();
      edit.createFile(uri, { overwrite: false, ignoreIfExists: false });
      edit.insert(uri, new vscode.Position(0, 0), plan.after);
      await this.run(edit);
      const doc = await vscode.workspace.openTextDocument(uri);
      const review: FileReview = {
        uri,
        original: '',
        wasDirty: false,
        originalBytes: undefined,
        created: true,
        kept: false,
        changes: [],
      };
      this.files.set(key, review);
      review.changes.push({
        id: this.nextId++,
        messageId,
        index,
        start: 0,
        end: doc.getText().length,
        removed: '',
      });
      await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true });
      this.changed();
      return doc.version;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    if (plan.version !== undefined && doc.version !== plan.version && doc.getText() !== plan.before) {
      throw new Error(`${plan.display} changed while the edit was prepared.`);
    }
    let review = this.files.get(key);
    if (!review) {
      review = {
        uri,
        original: doc.getText(),
        wasDirty: doc.isDirty,
        originalBytes: await readBytes(uri),
        created: false,
        kept: false,
        changes: [],
      };
      this.files.set(key, review);
    }
    const range = new vscode.Range(doc.positionAt(plan.start), doc.positionAt(plan.end));
    const removed = doc.getText(range);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, range, plan.replacement);
    await this.run(edit);
    const end = plan.start + plan.replacement.length;
    review.changes.push({ id: this.nextId++, messageId, index, start: plan.start, end, removed });
    this.changed();
    return doc.version;
  }

  /** Keep or undo every pending change, or those of one message. */
  async review(accept: boolean, messageId?: string): Promise<void> {
    for (const review of [...this.files.values()]) {
      const changes = review.changes.filter((c) => !messageId || c.messageId === messageId);
      if (changes.length === review.changes.length) await this.reviewFile(review, accept);
      else for (const change of changes) await this.reviewChange(review, change, accept);
    }
  }

  /** Keep or undo the changes of one file. */
  async reviewFile(review: FileReview, accept: boolean): Promise<void> {
    if (accept) return this.drop(review, 'kept');
    await this.restore(review);
    this.drop(review, 'undone');
  }

  async reviewChange(review: FileReview, change: Change, accept: boolean): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(review.uri);
    if (!accept) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(review.uri, rangeOf(doc, change), change.removed);
      await this.run(edit);
    } else {
      review.kept = true;
    }
    review.changes = review.changes.filter((c) => c !== change);
    // The last change undone and the text is the original again (none kept, nothing typed since):
    // the file is as before the answer, on disk too.
    const back = !review.changes.length && !review.kept && doc.getText() === review.original;
    if (back) await this.restore(review);
    this.onReviewed(change.messageId, change.index, accept ? 'kept' : 'undone');
    if (!review.changes.length) this.files.delete(review.uri.toString());
    this.changed();
  }

  /**
   * Puts a file back as it was before the answer: the document's text (unsaved typing included) and
   * the bytes on disk, which auto save may have overwritten with a change that was waiting for
   * review. A document that had no unsaved changes is reverted to the disk, so it is not left dirty.
   * A file the answer created is deleted.
   */
  private async restore(review: FileReview): Promise<void> {
    if (review.created) {
      const edit = new vscode.WorkspaceEdit();
      edit.deleteFile(review.uri, { ignoreIfNotExists: true });
      return this.run(edit);
    }
    const doc = await vscode.workspace.openTextDocument(review.uri);
    if (doc.getText() !== review.original) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(
        review.uri,
        new vscode.Range(new vscode.Position(0, 0), doc.positionAt(doc.getText().length)),
        review.original,
      );
      await this.run(edit);
    }
    await this.restoreDisk(review);
    if (!review.wasDirty && doc.isDirty) {
      // The text is the original again; reverting makes the buffer the disk's bytes, not dirty.
      await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
      // An auto save that ran between the edit and the revert wrote the text through VS Code's save
      // participants (trimming, a final newline); the bytes are put back once more.
      await this.restoreDisk(review);
    }
  }

  /** Writes the bytes the file had before the answer, when the disk holds anything else. */
  private async restoreDisk(review: FileReview): Promise<void> {
    if (review.originalBytes && !(await this.onDisk(review))) {
      await vscode.workspace.fs.writeFile(review.uri, review.originalBytes);
    }
  }

  /** Whether the disk holds the bytes from before the answer. */
  private async onDisk(review: FileReview): Promise<boolean> {
    const now = await readBytes(review.uri);
    return !review.originalBytes || (!!now && sameBytes(now, review.originalBytes));
  }

  /** By id, for the CodeLens commands. */
  async reviewById(id: number, accept: boolean): Promise<void> {
    for (const review of this.files.values()) {
      const change = review.changes.find((c) => c.id === id);
      if (change) return this.reviewChange(review, change, accept);
    }
  }

  async reviewUri(uri: vscode.Uri, accept: boolean): Promise<void> {
    const review = this.files.get(uri.toString());
    if (review) await this.reviewFile(review, accept);
  }

  /** The diff of a file against its text before the model's changes. */
  async openDiff(absolute: string): Promise<void> {
    const uri = vscode.Uri.file(absolute);
    if (!this.files.has(uri.toString())) {
      await vscode.window.showTextDocument(uri, { preview: false });
      return;
    }
    const original = uri.with({ scheme: ORIGINAL_SCHEME });
    await vscode.commands.executeCommand(
      'vscode.diff',
      original,
      uri,
      vscode.l10n.t('{0} (changes by Relay Chat)', vscode.workspace.asRelativePath(uri)),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.files.get(uri.with({ scheme: 'file' }).toString())?.original ?? '';
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const review = this.files.get(doc.uri.toString());
    if (!review) return [];
    return review.changes.flatMap((change) => {
      const start = doc.positionAt(change.start);
      const at = new vscode.Range(start, start);
      return [
        new vscode.CodeLens(at, {
          title: vscode.l10n.t('Keep'),
          command: 'relayChat.keepEdit',
          arguments: [change.id],
        }),
        new vscode.CodeLens(at, {
          title: vscode.l10n.t('Undo'),
          command: 'relayChat.undoEdit',
          arguments: [change.id],
        }),
        new vscode.CodeLens(at, {
          title: vscode.l10n.t('Show Diff'),
          command: 'relayChat.showEditDiff',
          arguments: [doc.uri.fsPath],
        }),
      ];
    });
  }

  private drop(review: FileReview, outcome: 'kept' | 'undone'): void {
    this.files.delete(review.uri.toString());
    for (const change of review.changes) this.onReviewed(change.messageId, change.index, outcome);
    review.changes = [];
    this.changed();
  }

  private async run(edit: vscode.WorkspaceEdit): Promise<void> {
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code did not apply the edit.');
  }

  private changed(): void {
    this.decorateAll();
    this.lensChanged.fire();
    this.countChanged.fire(this.count);
  }

  private decorateAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const review = this.files.get(editor.document.uri.toString());
      editor.setDecorations(this.added, review?.changes.map((c) => addedLines(editor.document, c)) ?? []);
    }
  }

  /** Keeps each change's offsets on its text while the document changes around it. */
  private track(e: vscode.TextDocumentChangeEvent): void {
    const review = this.files.get(e.document.uri.toString());
    if (!review || !e.contentChanges.length) return;
    // Offsets in an event refer to the text before it; the last one first keeps them valid.
    const events = [...e.contentChanges].sort((a, b) => b.rangeOffset - a.rangeOffset);
    for (const change of review.changes) {
      for (const c of events) {
        const delta = c.text.length - c.rangeLength;
        const cEnd = c.rangeOffset + c.rangeLength;
        if (cEnd <= change.start) {
          change.start += delta;
          change.end += delta;
        } else if (c.rangeOffset < change.end) {
          change.start = Math.min(change.start, c.rangeOffset);
          change.end = Math.max(change.start, change.end + delta);
        }
      }
    }
    this.decorateAll();
    this.lensChanged.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

async function readBytes(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function rangeOf(doc: vscode.TextDocument, change: { start: number; end: number }): vscode.Range {
  return new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end));
}

/** The lines a change added, for the whole-line highlight: a final line break does not add the next line. */
function addedLines(doc: vscode.TextDocument, change: { start: number; end: number }): vscode.Range {
  const range = rangeOf(doc, change);
  if (range.end.character === 0 && range.end.line > range.start.line) {
    return new vscode.Range(range.start, doc.lineAt(range.end.line - 1).range.end);
  }
  return range;
}

import * as vscode from 'vscode';
import type { Mention } from '../../common/mentions/mentionTypes';
import type { HostToWebview } from '../../common/panel/protocol';
import type { QuestionContext } from './questionContext';

/** How long the composer's mentions stay still before they are measured. */
const SETTLE_MS = 120;

/**
 * What the composer's chips would carry, told to the panel as it changes: each mention's tokens and
 * notes, and the `rules` chip for the files the question would be about (the mentions' and the
 * active editor's). Only the newest measurement is posted.
 */
export class MentionPreview implements vscode.Disposable {
  private mentions: Mention[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(
    private readonly question: QuestionContext,
    private readonly post: (message: HostToWebview) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  set(mentions: Mention[]): void {
    this.mentions = mentions;
    this.refresh();
  }

  /** Measures again soon (a setting, a rule file or the active editor changed). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.measure(), SETTLE_MS);
  }

  private async measure(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    const active = editor?.document.uri.scheme === 'file' ? [editor.document.uri.fsPath] : [];
    try {
      const info = await this.question.preview(this.mentions, active, 0);
      if (generation === this.generation) this.post({ type: 'mentionInfo', ...info });
    } catch (err) {
      this.log.warn(`Measuring the composer's mentions failed: ${String(err)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.generation++;
  }
}

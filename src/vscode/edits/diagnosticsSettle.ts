import * as vscode from 'vscode';

/** How long to wait, in ms. */
export interface SettleTimes {
  /** Diagnostics reported after the last change count once no more came for this long. */
  quiet: number;
  /** A file no language service reports on (or whose diagnostics did not change) counts as settled after this. */
  afterEdit: number;
  /** Never longer than this in all. */
  most: number;
}

const TIMES: SettleTimes = { quiet: 600, afterEdit: 2500, most: 5000 };

/**
 * When a just-edited document's diagnostics are current. A language service checks a file a moment
 * after it changes, often in steps (TypeScript: syntax, then types), so get_problems right after an
 * edit would read the diagnostics of the text before it. This keeps the time of each document's last
 * change and last diagnostics, and waits until the diagnostics are newer and quiet.
 */
export class DiagnosticsSettle implements vscode.Disposable {
  private readonly edited = new Map<string, number>();
  private readonly reported = new Map<string, number>();
  /** Settles waiting for the next diagnostics. */
  private readonly waiting = new Set<() => void>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly times: SettleTimes = TIMES) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.edited.set(e.document.uri.toString(), Date.now());
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const now = Date.now();
        for (const uri of e.uris) this.reported.set(uri.toString(), now);
        for (const wake of [...this.waiting]) wake();
      }),
    ];
  }

  /** Milliseconds until `uri` counts as settled; 0 when it does. */
  private remaining(uri: string, now: number): number {
    const edited = this.edited.get(uri);
    if (edited === undefined) return 0;
    const sinceEdit = now - edited;
    if (sinceEdit >= this.times.afterEdit) {
      this.edited.delete(uri);
      return 0;
    }
    const reported = this.reported.get(uri);
    if (reported !== undefined && reported > edited) return Math.max(0, this.times.quiet - (now - reported));
    return this.times.afterEdit - sinceEdit;
  }

  async settle(uris: readonly vscode.Uri[]): Promise<void> {
    const keys = uris.map((u) => u.toString());
    const deadline = Date.now() + this.times.most;
    for (;;) {
      const now = Date.now();
      const wait = Math.min(deadline - now, Math.max(0, ...keys.map((k) => this.remaining(k, now))));
      if (wait <= 0) return;
      // Woken early by new diagnostics: the quiet time starts again from them.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        this.waiting.add(done);
      });
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const wake of [...this.waiting]) wake();
  }
}

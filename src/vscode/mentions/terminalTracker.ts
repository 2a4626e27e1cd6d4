import * as vscode from 'vscode';
import { AnsiStripper } from '../../common/mentions/ansiText';
import { HeadTailBuffer } from '../../common/mentions/outputBuffer';
import {
  NO_COMMAND_YET,
  NO_SHELL_INTEGRATION,
  NO_TERMINAL,
  terminalText,
} from '../../common/mentions/terminalText';

/**
 * `@terminal`: each terminal's last command, recorded as it runs through VS Code's shell
 * integration. Output can only be read from a command's start (`execution.read()`), so the tracker
 * subscribes when it is built and keeps, per terminal, the last command started: its command line,
 * working folder, exit code once it ends, and its output within a head+tail cap.
 */

interface Run {
  execution: vscode.TerminalShellExecution;
  commandLine: string;
  cwd?: string;
  exitCode?: number;
  ended: boolean;
  output: HeadTailBuffer;
  /** Settles when the output stream has been read to its end (it may trail the end event). */
  reading?: Promise<void>;
}

/** How long a mention waits for a finished command's output still on its way. */
const OUTPUT_SETTLE_MS = 1_500;

export class TerminalTracker implements vscode.Disposable {
  private readonly runs = new Map<vscode.Terminal, Run>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables = [
      vscode.window.onDidStartTerminalShellExecution((e) => this.started(e.terminal, e.execution)),
      vscode.window.onDidEndTerminalShellExecution((e) => this.ended(e.terminal, e.execution, e.exitCode)),
      vscode.window.onDidCloseTerminal((t) => this.runs.delete(t)),
    ];
  }

  /** The active terminal's last command as the request's text, or what stands in its way. */
  async activeText(): Promise<{ name: string; text: string; note?: string }> {
    const t = vscode.l10n.t;
    const terminal = vscode.window.activeTerminal;
    if (!terminal) return { name: '', text: NO_TERMINAL, note: t('no terminal is open') };
    const run = this.runs.get(terminal);
    if (!run) {
      return terminal.shellIntegration
        ? { name: terminal.name, text: NO_COMMAND_YET, note: t('no command has run in it yet') }
        : {
            name: terminal.name,
            text: NO_SHELL_INTEGRATION,
            note: t('no shell integration: its output cannot be read'),
          };
    }
    // The end event can come before the last of the output has been read: give the stream a moment.
    if (run.ended && run.reading) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([run.reading, new Promise((r) => (timer = setTimeout(r, OUTPUT_SETTLE_MS)))]);
      clearTimeout(timer);
    }
    return {
      name: terminal.name,
      text: terminalText({
        commandLine: run.commandLine,
        cwd: run.cwd,
        exitCode: run.exitCode,
        running: !run.ended,
        output: run.output.text(),
      }),
    };
  }

  private started(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): void {
    const run: Run = {
      execution,
      commandLine: execution.commandLine.value,
      cwd: execution.cwd
        ? execution.cwd.scheme === 'file'
          ? execution.cwd.fsPath
          : execution.cwd.toString()
        : undefined,
      ended: false,
      output: new HeadTailBuffer(),
    };
    this.runs.set(terminal, run);
    run.reading = this.read(run);
  }

  private async read(run: Run): Promise<void> {
    const stripper = new AnsiStripper();
    try {
      for await (const chunk of run.execution.read()) run.output.push(stripper.push(chunk));
    } catch (error) {
      this.log.warn(`@terminal: reading ${run.commandLine} failed: ${String(error)}`);
    }
    run.output.push(stripper.flush());
  }

  private ended(
    terminal: vscode.Terminal,
    execution: vscode.TerminalShellExecution,
    exitCode: number | undefined,
  ): void {
    const run = this.runs.get(terminal);
    if (run?.execution !== execution) return;
    run.ended = true;
    run.exitCode = exitCode;
    // The command line is often only known for certain at the end (the shell reports it late).
    if (execution.commandLine.value) run.commandLine = execution.commandLine.value;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.runs.clear();
  }
}

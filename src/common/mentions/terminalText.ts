import { applyCarriageReturns } from './ansiText';

/**
 * `@terminal` as the model reads it: the last command run in the active terminal, where it ran, how
 * it ended, then its output. What the extension could not see is said, never guessed.
 */

export interface TerminalRun {
  commandLine: string;
  cwd?: string;
  /** undefined while it runs, or when the shell did not report one. */
  exitCode?: number;
  running: boolean;
  /** Escape sequences already stripped; may hold a "left out" line from the buffer's cap. */
  output: string;
}

export function terminalText(run: TerminalRun): string {
  const exit = run.running
    ? 'still running'
    : run.exitCode === undefined
      ? 'exit code: not reported by the shell'
      : `exit code: ${run.exitCode}`;
  const output = applyCarriageReturns(run.output).replace(/\s+$/, '');
  return [
    `$ ${run.commandLine || '(the shell did not report the command line)'}`,
    `cwd: ${run.cwd ?? 'not reported by the shell'}`,
    exit,
    // VS Code hands an extension a command's output only from when it starts listening: a command
    // that ends within moments may have printed before that. "none" would claim it printed nothing.
    output
      ? `output:\n${output}`
      : 'output: none was received (a command that ends within moments of starting can print before it can be read; the terminal itself shows what it printed)',
  ].join('\n');
}

/** The terminal has no shell integration: its output cannot be read. */
export const NO_SHELL_INTEGRATION =
  "This terminal has no shell integration, so its commands and output cannot be read. (VS Code's shell integration works in bash, zsh, fish and PowerShell; it may be turned off by terminal.integrated.shellIntegration.enabled.)";

/** Shell integration is on, but nothing ran since Relay Chat started watching. */
export const NO_COMMAND_YET = 'No command has run in this terminal since Relay Chat started.';

export const NO_TERMINAL = 'No terminal is open.';

import * as vscode from 'vscode';
import type { Problem, ProblemSeverity } from '../../common/problems/problemLines';

const SEVERITY: Record<vscode.DiagnosticSeverity, ProblemSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** A VS Code diagnostic as the common layer reads it, under `path` (how the reader names the file). */
export function diagnosticProblem(path: string, d: vscode.Diagnostic): Problem {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return {
    path,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    severity: SEVERITY[d.severity],
    ...(d.source ? { source: d.source } : {}),
    ...(code !== undefined && code !== '' ? { code: String(code) } : {}),
    message: d.message,
  };
}

import * as vscode from 'vscode';
import type { ExportFormat } from '../../common/conversation/exportConversation';

/** Asks which format to export in; undefined when the user closes the pick. */
export async function pickExportFormat(): Promise<ExportFormat | undefined> {
  const items: (vscode.QuickPickItem & { format: ExportFormat })[] = [
    {
      label: vscode.l10n.t('Markdown'),
      description: vscode.l10n.t('to read: each answer with its tokens and cost, compare turns in full'),
      format: 'markdown',
    },
    {
      label: vscode.l10n.t('JSON'),
      description: vscode.l10n.t('for other tools: relay-chat.conversation, version 1'),
      format: 'json',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Export Conversation'),
    placeHolder: vscode.l10n.t('Export as Markdown or JSON'),
  });
  return picked?.format;
}

import * as vscode from 'vscode';
import type { CompletionService } from './completionService';

/**
 * Ghost text as you type: VS Code asks at each keystroke (and cancels the last ask); the service's
 * engine decides whether that costs a request. Tab accepts, as for any inline suggestion.
 */
export class RelayInlineCompletions implements vscode.InlineCompletionItemProvider {
  constructor(private readonly service: CompletionService) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (!this.service.enabled || token.isCancellationRequested) return undefined;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const text = await this.service.complete(
        {
          documentKey: document.uri.toString(),
          path: vscode.workspace.asRelativePath(document.uri, false).replace(/\\/g, '/'),
          languageId: document.languageId,
          text: document.getText(),
          offset: document.offsetAt(position),
          cursors: editor?.selections.length ?? 1,
        },
        controller.signal,
      );
      if (!text || token.isCancellationRequested) return undefined;
      return [new vscode.InlineCompletionItem(text, new vscode.Range(position, position))];
    } finally {
      cancel.dispose();
    }
  }
}

/** The provider, its service and the toggle, for every file language. */
export function registerCompletion(context: vscode.ExtensionContext, service: CompletionService): void {
  context.subscriptions.push(
    service,
    vscode.languages.registerInlineCompletionItemProvider(
      [{ scheme: 'file' }, { scheme: 'untitled' }],
      new RelayInlineCompletions(service),
    ),
    vscode.commands.registerCommand('relayChat.toggleAutocomplete', () => service.toggle()),
  );
}

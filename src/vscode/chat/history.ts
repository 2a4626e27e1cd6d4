import * as vscode from 'vscode';
import type { ConversationStore, ConversationSummary } from '../../common/conversation/conversationStore';

interface HistoryItem extends vscode.QuickPickItem {
  id: string;
}

const renameButton: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('edit'),
  tooltip: vscode.l10n.t('Rename'),
};
const deleteButton: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('trash'),
  tooltip: vscode.l10n.t('Delete'),
};

function toItem(c: ConversationSummary): HistoryItem {
  return {
    id: c.id,
    label: c.title,
    description: new Date(c.updatedAt).toLocaleString(),
    detail: c.searchText.split('\n')[0]?.slice(0, 120),
    buttons: [renameButton, deleteButton],
    // The list is already filtered by the store's full-text search.
    alwaysShow: true,
  };
}

/**
 * Past conversations in a quick pick: type to search titles and messages, Enter to open, the
 * buttons rename or delete. Resolves with the chosen id.
 */
export function pickConversation(store: ConversationStore): Promise<string | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<HistoryItem>();
    pick.title = vscode.l10n.t('Relay Chat: Conversations');
    pick.placeholder = vscode.l10n.t('Search conversations');
    pick.matchOnDescription = false;
    let done = false;
    // The rename box hides the pick for a moment; that is not the user closing it.
    let renaming = false;
    const refresh = async () => {
      pick.busy = true;
      pick.items = (await store.list(pick.value)).map(toItem);
      pick.busy = false;
    };
    pick.onDidChangeValue(() => void refresh());
    pick.onDidAccept(() => {
      done = true;
      resolve(pick.selectedItems[0]?.id);
      pick.hide();
    });
    pick.onDidTriggerItemButton(async ({ item, button }) => {
      if (button === deleteButton) {
        await store.delete(item.id);
      } else {
        renaming = true;
        const title = await vscode.window.showInputBox({
          value: item.label,
          prompt: vscode.l10n.t('New name'),
        });
        renaming = false;
        if (title?.trim()) await store.rename(item.id, title);
        pick.show();
      }
      await refresh();
    });
    pick.onDidHide(() => {
      if (renaming) return;
      if (!done) resolve(undefined);
      pick.dispose();
    });
    void refresh();
    pick.show();
  });
}

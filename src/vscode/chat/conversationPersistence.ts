import * as vscode from 'vscode';
import type { ChatSession } from '../../common/conversation/chatSession';
import type { ConversationStore } from '../../common/conversation/conversationStore';

/** The session's conversation in the store: the last one restored, changes saved, the open one remembered. */
export class ConversationPersistence {
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ConversationStore,
    private readonly session: ChatSession,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Settles once every write asked for so far has. */
  get settled(): Promise<void> {
    return this.saving;
  }

  async restoreLast(): Promise<void> {
    const id = await this.store.current();
    if (!id) return;
    try {
      const record = await this.store.load(id);
      if (record) this.session.restore(record);
    } catch (err) {
      this.log.warn(`Could not restore the last conversation: ${String(err)}`);
    }
  }

  remember(id: string): Promise<void> {
    this.saving = this.saving
      .then(() => this.store.setCurrent(id))
      .catch((err: unknown) => this.log.warn(`Could not remember the open conversation: ${String(err)}`));
    return this.saving;
  }

  /** Writes are chained, so a later save never lands before an earlier one. */
  save(): Promise<void> {
    if (this.session.isEmpty) {
      // Every message was deleted: the conversation goes from the history too.
      const id = this.session.conversationId;
      this.saving = this.saving.then(() => this.store.delete(id)).catch(() => undefined);
      return this.saving;
    }
    const record = this.session.toRecord();
    this.saving = this.saving
      .then(async () => {
        const result = await this.store.save(record);
        await this.store.setCurrent(record.id);
        if (result.evicted.length) {
          void vscode.window.showInformationMessage(
            vscode.l10n.t(
              'Relay Chat removed {0} oldest conversation(s) to stay under the history limit (relayChat.history.maxMegabytes).',
              result.evicted.length,
            ),
          );
        }
        if (result.oversized) {
          this.log.warn(
            `Conversation ${record.id} alone exceeds the history limit; it is kept, older ones were removed.`,
          );
        }
      })
      .catch((err: unknown) => {
        this.log.error(`Could not save the conversation: ${String(err)}`);
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Relay Chat could not save this conversation: {0}', String(err)),
        );
      });
    return this.saving;
  }
}

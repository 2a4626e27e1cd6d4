import * as vscode from 'vscode';
import type { ChatSession } from '../../common/conversation/chatSession';
import type { Mention } from '../../common/mentions/mentionTypes';
import type { HostToWebview, MentionItem, WebviewToHost } from '../../common/panel/protocol';
import type { CompareModels } from '../compare/compareModels';
import type { ContextMeterHost } from '../context/contextMeterHost';
import type { EditController } from '../edits/editController';
import { openSetting } from '../endpoint/settingsNotices';
import { readDroppedImages } from '../images/readImages';
import { pickSchema } from '../structured/schemaPicker';
import { pickAttachments } from './attachFile';
import { openLink, runCodeAction } from './codeActions';
import { sendFromComposer, type ComposerSendDeps } from './composerSend';
import { COMPARE_KEY, LOGPROBS_KEY, STRUCTURED_KEY } from './panelChoices';

type MessageOf = { [M in WebviewToHost as M['type']]: M };

/** One handler per message the panel sends: a type added to the protocol and not here fails to compile. */
export type WebviewHandlers = {
  [K in keyof MessageOf]: (message: MessageOf[K]) => Promise<void> | void;
};

/** What the panel's messages reach besides the session: the provider's ready gate, and its commands. */
export interface PanelHost {
  /** The webview said `ready`: the provider's gate opens and it sends the whole state. */
  ready(): Promise<void>;
  newChat(): void;
  showHistory(): Promise<void>;
  exportConversation(): Promise<void>;
  settingsChanged(): void;
  runSetup(action: 'baseUrl' | 'apiKey' | 'check'): Thenable<unknown>;
  /** The composer's mentions changed: their chips are measured again. */
  mentionsChanged(mentions: Mention[]): void;
}

/** What answers the `@` picker (MentionSources). */
export interface MentionPicker {
  query(id: number, query: string): Promise<{ items: MentionItem[]; more: boolean } | undefined>;
}

export interface WebviewMessageDeps extends ComposerSendDeps {
  session: ChatSession;
  /** The `@` picker's rows. */
  mentions: MentionPicker;
  edits: EditController;
  meter: ContextMeterHost;
  compareModels: CompareModels;
  context: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState'>;
  log: vscode.LogOutputChannel;
  pickers: { pickModel(): Promise<void>; pickProfile(): Promise<void> };
  post(message: HostToWebview): void;
  panel: PanelHost;
}

export function webviewHandlers({
  session,
  gate,
  variants,
  question,
  mentions,
  edits,
  meter,
  compareModels,
  context,
  log,
  pickers,
  post,
  panel,
}: WebviewMessageDeps): WebviewHandlers {
  return {
    ready: () => panel.ready(),
    resync: (message) => {
      const whole = session.message(message.messageId);
      if (whole) post({ type: 'message', message: whole });
    },
    send: (message) =>
      sendFromComposer(
        { session, gate, variants, question },
        {
          text: message.text,
          attachments: message.attachments ?? [],
          includeSelection: message.includeSelection ?? false,
          mentions: message.mentions ?? [],
        },
      ),
    mentionQuery: async (message) => {
      const found = await mentions.query(message.id, message.query);
      if (found) post({ type: 'mentionResults', id: message.id, ...found });
    },
    mentionsChanged: (message) => panel.mentionsChanged(message.mentions),
    pickModel: () => pickers.pickModel(),
    pickProfile: () => pickers.pickProfile(),
    stop: () => session.stop(),
    newChat: () => panel.newChat(),
    retry: () => session.retry(),
    regenerate: () => session.regenerate(),
    continue: () => session.continueAnswer(),
    edit: (message) => session.edit(message.messageId, message.text),
    delete: (message) => session.deleteMessage(message.messageId),
    openLink: (message) => openLink(message.url, log),
    code: (message) => runCodeAction(message.action, message.code, message.language),
    showHistory: () => panel.showHistory(),
    export: () => panel.exportConversation(),
    setOptions: async (message) => {
      session.setOptions(message.options);
      meter.setMaxTokens(message.options.maxTokens);
      await context.globalState.update(LOGPROBS_KEY, message.options.logprobs === true);
    },
    openSettings: (message) => openSetting(message.setting),
    showLog: () => log.show(),
    sendWithoutAttachments: () => session.sendWithoutAttachments(),
    setMode: async (message) => {
      await edits.setMode(message.mode);
      panel.settingsChanged();
    },
    reviewEdits: (message) => edits.pending.review(message.accept, message.messageId),
    openEdit: async (message) => {
      const call = session.message(message.messageId)?.toolCalls?.[message.index];
      const path = call && edits.absolutePathOf(call);
      if (path) await edits.pending.openDiff(path);
    },
    compareList: async () => {
      post({
        type: 'compareModels',
        models: await compareModels.list(),
        selected: [...session.compare],
      });
    },
    setCompare: async (message) => {
      session.setCompare(message.models);
      await context.globalState.update(COMPARE_KEY, [...session.compare]);
    },
    stopAnswer: (message) => session.stopAnswer(message.messageId),
    pickAnswer: (message) => session.pickAnswer(message.messageId),
    setup: async (message) => {
      await panel.runSetup(message.action);
    },
    readImages: async (message) => {
      const { images, problems } = await readDroppedImages(message.uris);
      if (problems.length) void vscode.window.showWarningMessage(problems.join(' '));
      if (images.length) post({ type: 'addImages', images });
    },
    pickFiles: () => pickAttachments(post),
    pickSchema: async () => {
      const schema = await pickSchema();
      if (!schema) return;
      session.setStructured(schema);
      post({ type: 'structured', name: schema.name });
      await context.workspaceState.update(STRUCTURED_KEY, schema);
    },
    clearSchema: async () => {
      session.setStructured(undefined);
      post({ type: 'structured' });
      await context.workspaceState.update(STRUCTURED_KEY, undefined);
    },
  };
}

/** Async, so a handler that throws at once rejects like one that fails later: one catch covers both. */
export async function dispatch(handlers: WebviewHandlers, message: WebviewToHost): Promise<void> {
  await runHandler(handlers, message.type, message);
}

function runHandler<K extends keyof MessageOf>(
  handlers: WebviewHandlers,
  type: K,
  message: MessageOf[K],
): Promise<void> | void {
  return handlers[type](message);
}

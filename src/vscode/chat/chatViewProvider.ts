import * as vscode from 'vscode';
import { capabilityKey } from '../../common/endpoint/capabilities';
import { modelOverrideFor } from '../../common/endpoint/profile';
import type { ChatSession, UserInput } from '../../common/conversation/chatSession';
import { composeUserInput } from '../../common/conversation/composerInput';
import type { ConversationStore } from '../../common/conversation/conversationStore';
import { exportConversation } from '../../common/conversation/exportConversation';
import { selectionLabel, type SelectionContext } from '../../common/conversation/selectionPrompt';
import type { PriceOf } from '../../common/context/askFirst';
import type { SelectionTarget } from '../../common/edits/editToolRunner';
import { describeError } from '../../common/panel/errorView';
import { type HostToWebview, type PanelConfig, type RawImage } from '../../common/panel/protocol';
import type { ChatMode } from '../../common/panel/protocol';
import { isWebviewToHost } from '../../common/panel/protocolGuards';
import { ViewScopes } from '../../common/panel/viewScopes';
import type { ContextGate } from '../context/contextGate';
import type { ContextMeterHost } from '../context/contextMeterHost';
import type { EditController } from '../edits/editController';
import type { EndpointSettings } from '../endpoint/settings';
import { panelImages, seesImages } from '../images/imageSettings';
import { readDroppedFile } from './attachments';
import type { Mention } from '../../common/mentions/mentionTypes';
import type { MentionPreview } from '../mentions/mentionPreview';
import { wireChatView, type ChatNetwork, type ChatViewServices } from './chatViewWiring';
import { ConversationPersistence } from './conversationPersistence';
import { pickExportFormat } from './exportFormat';
import { pickConversation } from './history';
import { selectionContext } from './selection';
import { webviewHtml } from './webviewHtml';
import { dispatch, webviewHandlers, type WebviewHandlers } from './webviewMessages';

export const CHAT_VIEW_ID = 'relayChat.chatView';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** Posts wait until the webview says it is ready; it then receives the whole state once. */
  private ready = false;
  private readonly session: ChatSession;
  /** The listeners of the view resolved last; disposed with it, or when another replaces it. */
  private readonly viewScopes = new ViewScopes();
  private disposed = false;
  private readonly persistence: ConversationPersistence;
  private readonly restored: Promise<void>;
  private readonly redact: (text: string) => string;
  private readonly gate: ContextGate;
  private readonly meter: ContextMeterHost;
  private readonly preview: MentionPreview;
  /** Edit mode: tools, the changes they made, and their review. */
  readonly edits: EditController;
  /** What each message from the panel does. */
  private readonly handlers: WebviewHandlers;
  /** Posts that must reach the panel even when it is not ready yet (images from a command). */
  private queued: HostToWebview[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly settings: EndpointSettings,
    private readonly store: ConversationStore,
    private readonly log: vscode.LogOutputChannel,
    network: ChatNetwork,
    /** What the @-mentions name, and the `@` picker's rows. */
    mentions: ChatViewServices['mentions'],
    pickers: { pickModel(): Promise<void>; pickProfile(): Promise<void> },
    /** Prices per model (issue 12); until they are wired, no price is known and cost never asks. */
    priceOf: PriceOf = () => undefined,
  ) {
    const chat = wireChatView(
      { context, settings, log, network, priceOf, mentions },
      {
        post: (message) => this.post(message),
        conversationChanged: () => this.conversationChanged(),
        settingsChanged: () => this.settingsChanged(),
      },
    );
    this.session = chat.session;
    this.edits = chat.edits;
    this.gate = chat.gate;
    this.meter = chat.meter;
    this.redact = chat.redact;
    this.handlers = webviewHandlers({
      session: this.session,
      edits: this.edits,
      meter: this.meter,
      gate: this.gate,
      variants: chat.variants,
      question: chat.question,
      mentions,
      compareModels: chat.compareModels,
      context,
      log,
      pickers,
      post: (message) => this.post(message),
      panel: {
        ready: () => this.onReady(),
        newChat: () => this.newChat(),
        showHistory: () => this.showHistory(),
        exportConversation: () => this.exportConversation(),
        settingsChanged: () => this.settingsChanged(),
        runSetup: (action) => this.runSetup(action),
        mentionsChanged: (list) => this.preview.set(list),
      },
    });
    this.preview = chat.preview;
    this.persistence = new ConversationPersistence(store, this.session, log);
    this.restored = this.persistence.restoreLast();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    // A view is resolved again each time it is shown after being hidden, and when it moves: each
    // resolved view owns its listeners, and they go with it (or when the next view replaces it).
    this.view = view;
    this.ready = false;
    const extensionUri = this.context.extensionUri;
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    view.webview.html = webviewHtml(view.webview, extensionUri);
    const close = this.viewScopes.open([
      view.webview.onDidReceiveMessage((raw: unknown) => {
        if (this.view === view && isWebviewToHost(raw)) {
          dispatch(this.handlers, raw).catch((err: unknown) => this.unexpected(err));
        }
      }),
      // A hidden view's page is gone; shown again, it loads anew and says `ready` again. Until
      // then posts wait (images from Explain Image are queued, not lost to the old page).
      view.onDidChangeVisibility(() => {
        if (!view.visible && this.view === view) this.ready = false;
      }),
      vscode.window.onDidChangeTextEditorSelection(() => this.scheduleSelectionPost()),
      vscode.window.onDidChangeActiveTextEditor(() => {
        this.scheduleSelectionPost();
        // The rules that would apply follow the file the question would be about.
        this.preview.refresh();
      }),
    ]);
    const onDispose = view.onDidDispose(() => {
      close();
      onDispose.dispose();
      if (this.view !== view) return;
      this.view = undefined;
      this.ready = false;
      clearTimeout(this.selectionTimer);
    });
  }

  private selectionTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSelectionLabel: string | undefined;
  /** A selection already sent by "Ask About Selection" is not offered again until it changes. */
  private consumedSelection: string | undefined;

  /** The composer offers the editor's selection as a chip; told only when it changes. */
  private scheduleSelectionPost(): void {
    clearTimeout(this.selectionTimer);
    this.selectionTimer = setTimeout(() => this.postSelection(), 150);
  }

  private postSelection(force = false): void {
    const sel = selectionContext(vscode.window.activeTextEditor);
    let label = sel ? selectionLabel(sel) : undefined;
    if (label !== this.consumedSelection) this.consumedSelection = undefined;
    else label = undefined;
    if (!force && label === this.lastSelectionLabel) return;
    this.lastSelectionLabel = label;
    this.post({ type: 'selection', ...(label ? { label } : {}) });
    this.meter.setSelection(label ? sel?.text : undefined);
  }

  private panelConfig(): PanelConfig {
    const profile = this.settings.activeProfile();
    const model = this.settings.currentModel();
    const caps = this.settings.capabilities.get(capabilityKey(profile.id, model));
    const override = modelOverrideFor(profile, model);
    const vision = seesImages(model, caps, override);
    return {
      model,
      profile: profile.name || profile.id,
      sendOn: this.settings.sendOn(),
      compare: [...this.session.compare],
      ...(vision !== undefined ? { vision } : {}),
      images: panelImages(this.settings, model, caps, override),
      mode: this.edits.mode,
      pendingEdits: this.edits.pending.count,
      ...(this.needsSetup() ? { setup: true } : {}),
    };
  }

  /** Set by the walkthrough's setup state; the panel then offers the setup steps while empty. */
  needsSetup: () => boolean = () => false;
  runSetup: (action: 'baseUrl' | 'apiKey' | 'check') => Thenable<unknown> = () => Promise.resolve();

  /**
   * "Ask About Selection": the selection is in the question, so the composer stops offering it.
   * `build` makes the question from the selection, or from the part of it that fits the window.
   */
  async ask(build: (selection?: SelectionContext) => UserInput, selection: SelectionContext): Promise<void> {
    await this.restored;
    this.consumedSelection = selectionLabel(selection);
    this.postSelection(true);
    const input = await this.gate.check(build, selection);
    if (input) await this.session.send(input);
  }

  /** Add to Chat: files and folders as mentions in the composer (queued until the panel is ready). */
  async addMentions(mentions: Mention[]): Promise<void> {
    await this.restored;
    const message: HostToWebview = { type: 'addMentions', mentions };
    if (this.view && this.ready) this.post(message);
    else this.queued.push(message);
  }

  /** Edit Selection: the question is about the selected range, which the answer replaces. */
  async editSelection(input: UserInput, target: SelectionTarget): Promise<void> {
    await this.restored;
    this.edits.forSelection(target);
    await this.session.send(input);
  }

  /** A question answered in `mode` whatever the panel's (the Quick Fixes: Explain asks, Fix edits). */
  async askInMode(input: UserInput, mode: ChatMode): Promise<void> {
    await this.restored;
    const checked = await this.gate.check(() => input);
    if (!checked) return;
    const takeBack = this.edits.forNextTurn(mode);
    await this.session.send(checked).finally(takeBack);
  }

  /**
   * Images for the composer (Explain Image, Capture Screenshot): the panel sizes and encodes them
   * like a paste, shows them with `prompt`, and sends at once when `send`.
   */
  async addImages(images: RawImage[], prompt: string, send: boolean): Promise<void> {
    await this.restored;
    const message: HostToWebview = { type: 'addImages', images, prompt, send };
    if (this.view && this.ready) this.post(message);
    else this.queued.push(message);
  }

  /** Sends a file (an image from the explorer) with a question, as if dropped into the composer. */
  async askAboutFile(uri: string, question: string): Promise<void> {
    await this.restored;
    const file = await readDroppedFile(uri);
    if (file.kind === 'unreadable') {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Relay Chat could not read {0}: {1}', file.path, file.reason),
      );
      return;
    }
    await this.session.send(composeUserInput({ text: question, images: [], files: [file] }));
  }

  newChat(): void {
    this.session.clear();
    this.meter.refresh();
    void this.persistence.remember(this.session.conversationId);
  }

  async showHistory(): Promise<void> {
    await this.persistence.settled;
    const id = await pickConversation(this.store);
    if (!id) return;
    const record = await this.store.load(id);
    if (!record) {
      void vscode.window.showWarningMessage(vscode.l10n.t('That conversation could not be read.'));
      return;
    }
    this.session.restore(record);
    this.meter.refresh();
    await this.persistence.remember(id);
  }

  async exportConversation(): Promise<void> {
    if (this.session.isEmpty) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This conversation is empty.'));
      return;
    }
    const format = await pickExportFormat();
    if (!format) return;
    const doc = await vscode.workspace.openTextDocument(exportConversation(this.session.toRecord(), format));
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  /** The webview's `ready`: the gate opens, the whole state goes first, then what waited for it. */
  private async onReady(): Promise<void> {
    await this.restored;
    this.ready = true;
    this.post({ type: 'config', config: this.panelConfig() });
    // state() sends what the session still held first (to a panel that ignores it, since it
    // knows no message yet), so every update after the snapshot is newer than the snapshot.
    this.post({ type: 'state', state: { ...this.session.state(), model: this.settings.currentModel() } });
    this.postSelection(true);
    this.post({ type: 'structured', name: this.session.structured?.name });
    this.meter.refresh();
    this.preview.refresh();
    for (const queued of this.queued.splice(0)) this.post(queued);
  }

  private post(message: HostToWebview): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  /** The last line of defence outside a turn: a plain sentence and Show Log; the stack only in the log. */
  private unexpected(err: unknown): void {
    this.log.error(this.redact(err instanceof Error ? (err.stack ?? String(err)) : String(err)));
    const view = describeError(err, vscode.l10n.t);
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window
      .showErrorMessage([view.title, view.detail].filter(Boolean).join(' '), showLog)
      .then((choice) => (choice === showLog ? this.log.show() : undefined));
  }

  // Saved at once: onChange fires as an answer begins and as it ends (and every few seconds
  // while it streams), never per token, and a user who quits right after must find it again.
  private conversationChanged(): void {
    if (!this.disposed) void this.persistence.save();
    this.meter.refresh();
  }

  /** The header shows the model and profile; a settings change updates it at once. */
  settingsChanged(): void {
    this.post({ type: 'config', config: this.panelConfig() });
    this.preview.refresh();
    this.meter.refresh();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return this.persistence.settled;
    // Saved as it stands: an answer still streaming is kept, marked incomplete, with Continue (or,
    // if nothing of it came yet, as interrupted, with Retry). The stop that follows is VS Code going
    // away, not the user's: it is not saved over that.
    const saved = this.persistence.save();
    this.disposed = true;
    this.session.stop();
    this.viewScopes.dispose();
    await saved;
    await this.persistence.settled;
  }
}

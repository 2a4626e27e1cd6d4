import * as vscode from 'vscode';
import { ChatSession, type UserInput } from '../common/chatSession';
import { describeError } from '../common/errorView';
import { isWebviewToHost, type HostToWebview, type WebviewToHost } from '../common/protocol';
import type { EndpointSettings } from './settings';
import { webviewHtml } from './webviewHtml';

export const CHAT_VIEW_ID = 'relayChat.chatView';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** Posts wait until the webview says it is ready; it then receives the whole state once. */
  private ready = false;
  private readonly session: ChatSession;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settings: EndpointSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    let counter = 0;
    this.session = new ChatSession({
      fetch: (input, init) => this.loggedFetch(input, init),
      post: (message) => this.post(message),
      resolveEndpoint: () => this.settings.resolve(),
      describeError: (err) => describeError(err, vscode.l10n.t),
      newId: () => `${Date.now().toString(36)}-${(counter++).toString(36)}`,
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    view.webview.html = webviewHtml(view.webview, this.extensionUri);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        if (isWebviewToHost(raw)) void this.handle(raw);
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  async ask(input: UserInput): Promise<void> {
    await this.session.send(input);
  }

  newChat(): void {
    this.session.clear();
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'state', state: { ...this.session.state(), model: this.settings.currentModel() } });
        return;
      case 'send':
        if (message.text.trim()) await this.session.send({ display: message.text, content: message.text });
        return;
      case 'stop':
        this.session.stop();
        return;
      case 'newChat':
        this.session.clear();
        return;
      case 'retry':
        await this.session.retry();
        return;
    }
  }

  private post(message: HostToWebview): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  /** Request metadata and timings for the log; never headers or bodies (they hold the key). */
  private async loggedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const started = Date.now();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    try {
      const response = await fetch(input, init);
      this.log.info(`${init?.method ?? 'GET'} ${url} → ${response.status} in ${Date.now() - started} ms`);
      return response;
    } catch (err) {
      this.log.warn(
        `${init?.method ?? 'GET'} ${url} failed after ${Date.now() - started} ms: ${String(err)}`,
      );
      throw err;
    }
  }

  dispose(): void {
    this.session.stop();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

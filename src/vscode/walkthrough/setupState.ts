/**
 * Whether the user still has to set Relay Chat up, for the walkthrough's completion events (context
 * keys) and the panel's empty state; and the walkthrough itself, opened once on a fresh install.
 */
import * as vscode from 'vscode';
import type { EndpointSettings } from '../endpoint/settings';
import { DEFAULT_PROFILE_ID } from '../endpoint/settings';

export const WALKTHROUGH_ID = 'relay-chat.relay-chat#relayChat.gettingStarted';
const SHOWN_KEY = 'relayChat.walkthroughShown';
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** The edits helper's command; the walkthrough's last step shows only once it exists. */
const EDIT_SELECTION = 'relayChat.editSelection';

export type SetupAction = 'baseUrl' | 'apiKey' | 'check';

export class SetupState implements vscode.Disposable {
  private hasKey = false;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fired when `needsSetup` may have changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly settings: EndpointSettings,
  ) {
    this.subscriptions.push(
      this.changed,
      context.secrets.onDidChange((e) => {
        if (e.key.startsWith('relayChat.apiKey.')) void this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('relayChat')) void this.refresh();
      }),
    );
  }

  /** The default base URL on the default profile, and no key stored: nothing has been set up. */
  needsSetup(): boolean {
    if (this.hasKey) return false;
    const read = this.settings.read();
    return read.activeId === DEFAULT_PROFILE_ID && baseUrlIsDefault(read.values['relayChat.baseUrl']);
  }

  async refresh(): Promise<void> {
    this.hasKey = await this.settings.hasApiKey();
    await vscode.commands.executeCommand('setContext', 'relayChat.hasApiKey', this.hasKey);
    this.changed.fire();
  }

  /** After activation, off its path: context keys, and the walkthrough once on a fresh install. */
  async start(): Promise<void> {
    await this.refresh();
    const commands = await vscode.commands.getCommands(true);
    await vscode.commands.executeCommand(
      'setContext',
      'relayChat.canEditSelection',
      commands.includes(EDIT_SELECTION),
    );
    if (this.context.globalState.get<boolean>(SHOWN_KEY)) return;
    await this.context.globalState.update(SHOWN_KEY, true);
    const openOnInstall = vscode.workspace
      .getConfiguration()
      .get<boolean>('workbench.welcomePage.walkthroughs.openOnInstall', true);
    // Someone who already set Relay Chat up (an upgrade, settings sync) needs no introduction.
    if (openOnInstall && this.needsSetup()) {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
    }
  }

  /** The panel's inline setup buttons. */
  run(action: SetupAction): Thenable<unknown> {
    switch (action) {
      case 'baseUrl':
        return vscode.commands.executeCommand('workbench.action.openSettings', 'relayChat.baseUrl');
      case 'apiKey':
        return vscode.commands.executeCommand('relayChat.setApiKey');
      case 'check':
        return vscode.commands.executeCommand('relayChat.checkEndpoint');
    }
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

function baseUrlIsDefault(value: unknown): boolean {
  return typeof value !== 'string' || value.trim().replace(/\/+$/, '') === DEFAULT_BASE_URL;
}

import * as vscode from 'vscode';
import { ConversationStore } from '../common/conversation/conversationStore';
import {
  buildSelectionParts,
  DEFAULT_QUESTION,
  selectionLabel,
} from '../common/conversation/selectionPrompt';
import { AtomicFileStore } from './chat/atomicFileStore';
import { ChatViewProvider, CHAT_VIEW_ID } from './chat/chatViewProvider';
import { EndpointCommands } from './endpoint/endpointCommands';
import { createNodeFetch } from './endpoint/nodeFetch';
import { loggingFetch } from './endpoint/requestLog';
import { registerLanguageModels } from './lm/registerLanguageModels';
import { SetupState } from './walkthrough/setupState';
import { selectionContext } from './chat/selection';
import { EndpointSettings, GlobalStateCapabilityStore } from './endpoint/settings';
import { checkActiveProfile, showSettingsProblem, warnCredentialHeaders } from './endpoint/settingsNotices';
import type { SettingSchema } from '../common/settings/settingSchema';
import { SettingsError } from '../common/settings/settingsError';
import { registerEditCommands } from './edits/editCommands';
import { RelayBilling } from './billing/relayBilling';
import { captureScreenshot } from './images/captureScreenshot';
import { explainImage } from './images/explainImage';
import { CompletionService } from './completion/completionService';
import { registerCompletion } from './completion/completionProvider';
import { addToChat } from './mentions/addToChat';
import { MentionSources } from './mentions/mentionSources';
import { askAboutFile } from './images/askAboutFile';
import { registerProblemActions } from './problems/problemActions';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Relay Chat', { log: true });
  // The manifest's schema is the one description of the settings; every read is checked against it.
  const schema = (
    context.extension.packageJSON as {
      contributes: { configuration: { properties: Record<string, SettingSchema> } };
    }
  ).contributes.configuration.properties;
  const settings = new EndpointSettings(
    context.secrets,
    new GlobalStateCapabilityStore(context.globalState),
    schema,
  );
  // Keys seen this session, so the log and error messages can mask them wherever they appear.
  const knownKeys = new Set<string>();
  const resolveAndRemember = async () => {
    const resolved = await settings.resolve(true);
    if (resolved.config.apiKey) knownKeys.add(resolved.config.apiKey);
    return resolved;
  };
  // node:http underneath, so VS Code's proxy settings and certificates apply.
  const fetchWithLog = loggingFetch(log, () => [...knownKeys], createNodeFetch());
  const store = new ConversationStore(
    new AtomicFileStore(vscode.Uri.joinPath(context.globalStorageUri, 'conversations').fsPath),
    () => ({ maxBytes: settings.historyMaxBytes() }),
  );
  const endpoints = new EndpointCommands(settings, fetchWithLog);
  const billing = new RelayBilling({ settings, fetch: fetchWithLog, log, memento: context.globalState });
  // At activation: the terminal tracker reads each command's output from its start.
  const mentions = new MentionSources(log);
  context.subscriptions.push(mentions);
  const provider = new ChatViewProvider(
    context,
    settings,
    store,
    log,
    {
      fetch: fetchWithLog,
      resolveEndpoint: resolveAndRemember,
      knownKeys: () => [...knownKeys],
      pricing: (profileId, model) => billing.pricing(profileId, model),
      onAnswerEnd: (profileId) => billing.answered(profileId),
      rememberKey: (key) => knownKeys.add(key),
    },
    mentions,
    { pickModel: () => endpoints.selectModel(), pickProfile: () => endpoints.selectProfile() },
    // The relay's price table (or relayChat.prices) for the "costs more than…" question.
    (model) => billing.priceOf(settings.activeProfile().id, model),
  );

  const languageModels = registerLanguageModels(context, settings, fetchWithLog, log, knownKeys);
  const setup = new SetupState(context, settings);
  provider.needsSetup = () => setup.needsSetup();
  provider.runSetup = (action) => setup.run(action);
  context.subscriptions.push(
    setup,
    setup.onDidChange(() => provider.settingsChanged()),
  );
  void setup.start();

  activeProvider = provider;
  context.subscriptions.push(
    log,
    provider,
    billing,
    vscode.commands.registerCommand(RelayBilling.command, () => billing.refresh()),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider),
    vscode.commands.registerCommand('relayChat.askAboutSelection', () => askAboutSelection(provider)),
    vscode.commands.registerCommand('relayChat.setApiKey', () => setApiKey(settings)),
    vscode.commands.registerCommand('relayChat.clearApiKey', async () => {
      await settings.clearApiKey();
      void vscode.window.showInformationMessage(vscode.l10n.t('Relay Chat: the API key was removed.'));
    }),
    vscode.commands.registerCommand('relayChat.newChat', () => provider.newChat()),
    vscode.commands.registerCommand('relayChat.showHistory', () => provider.showHistory()),
    vscode.commands.registerCommand('relayChat.exportConversation', () => provider.exportConversation()),
    vscode.commands.registerCommand('relayChat.selectModel', () => endpoints.selectModel()),
    vscode.commands.registerCommand('relayChat.selectProfile', () => endpoints.selectProfile()),
    vscode.commands.registerCommand('relayChat.checkEndpoint', async () => {
      try {
        await endpoints.checkEndpoint();
        provider.settingsChanged();
        languageModels.refresh();
      } catch (err) {
        if (err instanceof SettingsError) return showSettingsProblem(err.problems);
        log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Relay Chat: the endpoint check failed: {0}', String(err)),
        );
      }
    }),
    vscode.commands.registerCommand('relayChat.showLog', () => log.show()),
    vscode.commands.registerCommand('relayChat.addToChat', (uri?: vscode.Uri, selected?: vscode.Uri[]) =>
      addToChat(
        {
          mentionFor: (u, isFolder) => mentions.mentionFor(u, isFolder),
          addMentions: (list) => provider.addMentions(list),
          focusPanel,
        },
        uri,
        selected,
      ),
    ),
    vscode.commands.registerCommand('relayChat.explainImage', (uri?: vscode.Uri, selected?: vscode.Uri[]) =>
      explainImage(provider, settings, focusPanel, uri, selected),
    ),
    vscode.commands.registerCommand('relayChat.captureScreenshot', () =>
      captureScreenshot(provider, focusPanel),
    ),
    vscode.commands.registerCommand('relayChat.askAboutFile', (uri?: vscode.Uri) =>
      askAboutFile(provider, focusPanel, uri),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('relayChat')) return;
      provider.settingsChanged();
      billing.settingsChanged();
      void warnCredentialHeaders(settings, context.globalState);
    }),
  );
  registerEditCommands(context, provider);
  registerProblemActions(context, provider);
  const completion = new CompletionService({
    context,
    settings,
    fetch: fetchWithLog,
    log,
    pricing: (profileId, model) => billing.pricing(profileId, model),
  });
  registerCompletion(context, completion);
  endpoints.completionReport = async () => (completion.enabled ? completion.describe() : []);
  checkActiveProfile(settings);
  void billing.refresh();
  void warnCredentialHeaders(settings, context.globalState);
}

async function askAboutSelection(provider: ChatViewProvider): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selection = selectionContext(editor);
  if (!selection) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Select some code first, then run "Ask About Selection".'),
    );
    return;
  }
  const label = selectionLabel(selection);
  const question = await vscode.window.showInputBox({
    title: vscode.l10n.t('Ask about {0}', label),
    prompt: vscode.l10n.t('Your question about the selected code. Leave empty to ask: {0}', DEFAULT_QUESTION),
    placeHolder: DEFAULT_QUESTION,
    ignoreFocusOut: true,
  });
  if (question === undefined) return;
  await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  const text = question.trim() || DEFAULT_QUESTION;
  // The question is built again from the part of the selection that fits, if the user picks that.
  await provider.ask(
    (sel = selection) => ({
      display: text,
      content: buildSelectionParts(text, sel),
      context: [{ label: selectionLabel(sel) }],
      ...(editor?.document.uri.scheme === 'file' ? { files: [editor.document.uri.fsPath] } : {}),
    }),
    selection,
  );
}

const focusPanel = () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);

async function setApiKey(settings: EndpointSettings): Promise<void> {
  const profile = settings.activeProfile();
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Relay Chat: API key for {0}', profile.name || profile.id),
    prompt: vscode.l10n.t(
      'Stored in VS Code Secret Storage, never in settings. Empty keeps the current key; "Relay Chat: Remove API Key" removes it.',
    ),
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim()) {
    await settings.setApiKey(key.trim(), profile.id);
    void vscode.window.showInformationMessage(vscode.l10n.t('Relay Chat: the API key was saved.'));
  } else if (await settings.hasApiKey(profile.id)) {
    // An Enter on an empty box (or after keys typed too early were lost) must not delete a key.
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Relay Chat: the API key was kept. Run "Relay Chat: Remove API Key" to remove it.'),
    );
  }
}

/** The provider of the running extension: deactivate waits for its last save. */
let activeProvider: ChatViewProvider | undefined;

export function deactivate(): Promise<void> | undefined {
  // Everything else is owned by context.subscriptions. The conversation is saved first, with an
  // answer still streaming kept as incomplete (or interrupted, if nothing of it came yet): VS Code
  // waits for this promise, not for disposals.
  const provider = activeProvider;
  activeProvider = undefined;
  return provider?.dispose();
}

import * as vscode from 'vscode';
import {
  ChatSession,
  type ChatSessionDeps,
  type ResolvedEndpoint,
} from '../../common/conversation/chatSession';
import type { PriceOf } from '../../common/context/askFirst';
import { redactSecrets } from '../../common/endpoint/redact';
import { ImageVariantStore } from '../../common/images/imageVariants';
import { describeError, isUnexpectedError } from '../../common/panel/errorView';
import type { ErrorView, HostToWebview } from '../../common/panel/protocol';
import { CompareModels, splitQualified } from '../compare/compareModels';
import { ContextGate } from '../context/contextGate';
import { ContextMeterHost } from '../context/contextMeterHost';
import { WindowDiscovery } from '../context/windowDiscovery';
import { EditController } from '../edits/editController';
import type { ReviewListener } from '../edits/pendingEdits';
import type { EndpointSettings, ResolvedWithNotices } from '../endpoint/settings';
import { LeftOutNotifier } from '../endpoint/settingsNotices';
import { imageBudget } from '../images/imageSettings';
import { mentionBudget } from '../../common/mentions/mentionBudget';
import { MentionPreview } from '../mentions/mentionPreview';
import { QuestionContext, type MentionReader } from '../mentions/questionContext';
import { ProjectRules } from '../rules/projectRules';
import { restorePanelChoices } from './panelChoices';
import type { MentionPicker } from './webviewMessages';

/** How the chat reaches the network, and what it tells billing and the log about it. */
export interface ChatNetwork {
  fetch: typeof fetch;
  resolveEndpoint(): Promise<ResolvedWithNotices>;
  knownKeys(): string[];
  /** Billing (vscode/billing): how a model is priced, and a hook when a request ends. */
  pricing?: ChatSessionDeps['pricing'];
  onAnswerEnd?: ChatSessionDeps['onAnswerEnd'];
  /** A key used for a compare answer, so the log masks it too. */
  rememberKey?(key: string): void;
}

/** What the extension hands the chat view. */
export interface ChatViewServices {
  context: vscode.ExtensionContext;
  settings: EndpointSettings;
  log: vscode.LogOutputChannel;
  network: ChatNetwork;
  /** Prices per model (issue 12); until they are wired, no price is known and cost never asks. */
  priceOf: PriceOf;
  /** What the @-mentions name, read from the workspace, and the `@` picker's rows. */
  mentions: MentionReader & MentionPicker;
}

/** The provider's side: its gated post, and what it does when the conversation or the settings change. */
export interface ChatViewHooks {
  post(message: HostToWebview): void;
  conversationChanged(): void;
  settingsChanged(): void;
}

/** Everything the chat view works with, built once per provider. */
export interface ChatViewParts {
  session: ChatSession;
  /** Edit mode: tools, the changes they made, and their review. */
  edits: EditController;
  gate: ContextGate;
  meter: ContextMeterHost;
  compareModels: CompareModels;
  /** The images' PNG/JPEG and smaller copies, for a WebP refusal or a 413. */
  variants: ImageVariantStore;
  /** A question's @-mentions and rules. */
  question: QuestionContext;
  /** The composer's chips measured as they change. */
  preview: MentionPreview;
  redact(text: string): string;
}

type Redact = (text: string | undefined) => string | undefined;

/** The session and its collaborators; each callback that needs a later part reads it when called. */
export function wireChatView(services: ChatViewServices, hooks: ChatViewHooks): ChatViewParts {
  const discovery = new WindowDiscovery(services.network.fetch, services.settings.capabilities);
  const redact = redactorFor(services.network);
  const variants = new ImageVariantStore();
  const edits = editControllerFor(services, hooks, (messageId, index, outcome) =>
    session.setToolStatus(messageId, index, outcome),
  );
  const rules = new ProjectRules(services.settings);
  const question: QuestionContext = new QuestionContext({
    reader: services.mentions,
    rules,
    apiKeys: () => services.network.knownKeys(),
    budget: (questionTokens): number => mentionBudget(meter.current(), questionTokens),
  });
  const session = new ChatSession({
    ...sessionDeps(services, hooks, { discovery, redact, variants, edits }),
    ...questionDeps(question),
  });
  const gate = contextGateFor(services, discovery, session);
  const meter = new ContextMeterHost(
    services.settings,
    // The last question's system message is not the next one's: the composer's rules chip counts that.
    () => session.apiMessages().filter((m) => m.role !== 'system'),
    (message) => hooks.post(message),
  );
  const preview = new MentionPreview(question, (message) => hooks.post(message), services.log);
  services.context.subscriptions.push(rules, preview);
  restorePanelChoices(session, services.context);
  const compareModels = new CompareModels(services.settings, services.network.fetch, services.log);
  return {
    session,
    edits,
    gate,
    meter,
    compareModels,
    variants,
    question,
    preview,
    redact: (text) => redact(text)!,
  };
}

/** The rules for every question, and a question's mentions read again for Regenerate. */
function questionDeps(question: QuestionContext): Pick<ChatSessionDeps, 'instructions' | 'reread'> {
  return {
    instructions: (files) => question.rules(files),
    reread: async (context, files) => {
      const mentions = context.flatMap((chip) => (chip.mention ? [chip.mention] : []));
      const read = await question.read(mentions, 0);
      const rules = await question.rules([...files, ...read.files]);
      const kept = context.filter((chip) => !chip.mention && chip.kind !== 'rules');
      return {
        parts: read.parts,
        context: [...kept, ...read.chips, ...(rules.chip ? [rules.chip] : [])],
        system: rules.system,
      };
    },
  };
}

function redactorFor(network: ChatNetwork): Redact {
  return (text) => (text === undefined ? undefined : redactSecrets(text, network.knownKeys()));
}

function editControllerFor(
  { context, settings }: ChatViewServices,
  hooks: ChatViewHooks,
  setToolStatus: ReviewListener,
): EditController {
  const edits = new EditController(
    context,
    () => ({
      profileId: settings.activeProfile().id,
      model: settings.currentModel(),
      capabilities: settings.capabilities,
    }),
    setToolStatus,
  );
  context.subscriptions.push(
    edits,
    edits.pending.onDidChangeCount(() => hooks.settingsChanged()),
  );
  return edits;
}

function sessionDeps(
  { settings, log, network }: ChatViewServices,
  hooks: ChatViewHooks,
  parts: { discovery: WindowDiscovery; redact: Redact; variants: ImageVariantStore; edits: EditController },
): ChatSessionDeps {
  const { discovery, redact, variants, edits } = parts;
  /** The answer being streamed, so a settings notice for its request lands on it. */
  const leftOut = new LeftOutNotifier();
  let counter = 0;
  return {
    beginEdit: (messageId) => edits.begin(messageId),
    fetch: network.fetch,
    imageVariants: variants.lookup,
    post: (message) => hooks.post(message),
    resolveEndpoint: async (): Promise<ResolvedEndpoint> => {
      const resolved = await discovery.complete(await network.resolveEndpoint(), settings.activeProfile());
      leftOut.notify(resolved.settingsNotices);
      // Settings left out of this request are named on the answer they shaped.
      return {
        ...resolved,
        notices: resolved.settingsNotices.map((p) => p.message),
        imageBudget: imageBudget(settings),
      };
    },
    resolveEndpointFor: async (qualified): Promise<ResolvedEndpoint> => {
      const resolved = await settings.resolve(true, splitQualified(qualified));
      if (resolved.config.apiKey) network.rememberKey?.(resolved.config.apiKey);
      return { ...resolved, notices: resolved.settingsNotices.map((p) => p.message) };
    },
    // A relay may echo the key back in its error; the panel never shows it.
    describeError: (err): ErrorView => {
      const view = describeError(err, vscode.l10n.t);
      // The panel says something plain; the stack is for the log only.
      if (isUnexpectedError(err)) {
        log.error(redact(err instanceof Error ? (err.stack ?? String(err)) : String(err))!);
      }
      log.error(
        redact(
          `${view.title}: ${view.detail ?? ''}${view.requestId ? ` (request id ${view.requestId})` : ''}`,
        )!,
      );
      return { ...view, title: redact(view.title)!, detail: redact(view.detail) };
    },
    t: vscode.l10n.t,
    newId: () => `${Date.now().toString(36)}-${(counter++).toString(36)}`,
    onChange: () => hooks.conversationChanged(),
    pricing: network.pricing,
    onAnswerEnd: network.onAnswerEnd,
  };
}

function contextGateFor(
  { settings, network, priceOf }: ChatViewServices,
  discovery: WindowDiscovery,
  session: ChatSession,
): ContextGate {
  return new ContextGate({
    resolve: async () => discovery.complete(await network.resolveEndpoint(), settings.activeProfile()),
    history: () => session.apiMessages(),
    priceOf,
    confirmAboveCost: () => settings.confirmAboveCost(),
  });
}

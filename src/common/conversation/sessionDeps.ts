// What a conversation needs from its host, in a leaf of its own: the session and the units that
// stream its answers (answerStream.ts, editRounds.ts) all read it, and none of them imports another
// to get it.
import type { ClientDeps, EndpointConfig } from '../endpoint/chatClient';
import type { ChatOptions } from '../endpoint/requestBuilder';
import type { EditTurn } from '../edits/editTurn';
import type { ImageBudget } from '../images/imageBudget';
import type { KnownWindow } from '../context/modelLimits';
import type { ModelPricing } from '../billing/pricing';
import type { ContentPart, TextPart } from '../endpoint/chatTypes';
import type { ContextChip, ErrorView, HostToWebview } from '../panel/protocol';
import type { Translate } from '../l10n/translate';

export interface ResolvedEndpoint {
  config: EndpointConfig;
  model: string;
  /** Request parameters from settings and the profile's per-model overrides. */
  options?: ChatOptions;
  profileId?: string;
  /** One line each about how the settings shaped this request (an option left out, …). */
  notices?: string[];
  /** The model's context window, when anything says: the history is fitted to it. */
  window?: KnownWindow;
  /** Limits on re-sent and total image bytes (imageBudget.ts). */
  imageBudget?: ImageBudget;
}

export interface ChatSessionDeps extends ClientDeps {
  post(message: HostToWebview): void;
  /** Read at every send, so a changed setting applies to the next message without a reload. */
  resolveEndpoint(): Promise<ResolvedEndpoint>;
  describeError(err: unknown): ErrorView;
  /** vscode.l10n.t on the host, for notices about retries and adapted requests. */
  t?: Translate;
  newId(): string;
  /** Edit mode: the host's tools for the turn that answers in `messageId`; undefined in ask mode. */
  beginEdit?(messageId: string): Promise<EditTurn | undefined>;
  /** Called when a turn completes or history changes: the host persists then. */
  onChange?(): void;
  now?(): number;
  /** How the model is billed (the relay's price table, `relayChat.prices`); asked once per request. */
  pricing?(profileId: string | undefined, model: string): Promise<ModelPricing | undefined>;
  /** The endpoint for `<profile id>/<model id>`: one answer of a compare turn. */
  resolveEndpointFor?(model: string): Promise<ResolvedEndpoint>;
  /**
   * Regenerate and an edited resend: the question's mentions (its context chips) read again, with
   * the rules that apply now. Undefined when nothing is to be read again.
   */
  reread?(context: readonly ContextChip[], files: readonly string[]): Promise<RereadContext | undefined>;
  /**
   * The system message for a question about `files` (absolute paths): the settings' prompts and the
   * project's rules, read now, with the `rules` chip that shows them.
   */
  instructions?(files: readonly string[]): Promise<{ system: string; chip?: ContextChip } | undefined>;
  /** A request ended, however it ended: the host reads the balance again then. */
  onAnswerEnd?(profileId: string | undefined): void;
}

/** A question's mentions and rules as they read now (ChatSessionDeps.reread). */
export interface RereadContext {
  /** The mentions' parts, replacing the old ones at the end of the question. */
  parts: TextPart[];
  /** The question's chips: those that are not mentions kept, the mentions' and the rules' new. */
  context: ContextChip[];
  system?: string;
}

/** A question as the panel, a command or the composer sends it. */
export interface UserInput {
  /** What the panel shows for the user message. */
  display: string;
  /** What the model receives. */
  content: string | ContentPart[];
  context?: ContextChip[];
  /** Attached images (data URLs), shown as thumbnails. */
  images?: string[];
  /** The system message for this question: the settings' prompts and the project's rules that applied. */
  system?: string;
  /** How many of `content`'s parts, at its end, the @-mentions made: Regenerate reads them again. */
  mentionParts?: number;
  /** Absolute paths of the files the question is about (mentions, the selection's, attachments): the rules follow. */
  files?: string[];
}

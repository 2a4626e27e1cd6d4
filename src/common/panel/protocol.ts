/**
 * The messages between the extension host and the chat webview, one discriminated union per
 * direction. Streaming text travels as deltas tagged with the request id, never the whole
 * conversation; the full state is sent only when the webview (re)connects or a chat is replaced.
 */

import type { ToolCall, Usage } from '../endpoint/chatTypes';
import type { ImagePolicy } from '../images/imagePolicy';
import type { ImageDetail } from '../images/imageTokens';
import type { LogprobsOp, TokenProbability } from '../logprobs/tokenLogprobs';
import type { AnswerBilling, Currency } from '../billing/money';
import type { StructuredResult } from '../structured/structuredTypes';
import type { ChipKind, Mention } from '../mentions/mentionTypes';

export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'incomplete';

export interface ErrorView {
  /** One line: what went wrong, with status and host. */
  title: string;
  /** The server's own words. */
  detail?: string;
  /** What to do next. */
  hint?: string;
  requestId?: string;
  retryable: boolean;
  /**
   * `settings`: a setting is wrong (the panel offers Open Settings); `unexpected`: a bug (Show Log);
   * `textOnly`: the model takes no images or files (the panel offers to send without them);
   * `context`: the question does not fit the model's context window (the panel offers New Chat).
   */
  kind?: 'settings' | 'unexpected' | 'textOnly' | 'context';
  /** The setting to open, e.g. `relayChat.profiles`. */
  setting?: string;
}

/**
 * What a question carried, shown as chips under it (and in the composer before it is sent). Chips
 * saved before @-mentions existed have only a label.
 */
export interface ContextChip {
  label: string;
  /** The chip's `data-kind`. */
  kind?: ChipKind;
  /** Estimated tokens of what it put into the request. */
  tokens?: number;
  /** Why it was sent other than whole ("lines 1–1,200 of 9,000 sent", "binary: not sent"), in the user's language. */
  notes?: string[];
  /** The mention it stands for: Regenerate and an edited resend read it again. */
  mention?: Mention;
  /** A `rules` chip: the rule files that applied, in the order the model reads them. */
  paths?: string[];
}

/** One row of the `@` picker. */
export interface MentionItem {
  mention: Mention;
  /** The workspace path (folder-prefixed in a multi-root workspace), or the item's name. */
  label: string;
  /** A second, dimmer line: what the item sends ("errors and warnings of the active file"). */
  detail?: string;
  /** Offsets in `label` the query matched, for bold. */
  matches?: number[];
}

/** Something the user attached in the composer. */
export type Attachment =
  /** A pasted or dropped image, already sized and encoded by the webview's image pipeline. */
  | ({ kind: 'image'; name: string; dataUrl: string } & ImageAttachmentInfo)
  /** A file dropped from the explorer: the host reads it (the webview cannot). */
  | { kind: 'file'; name: string; uri: string };

/** What the image pipeline (src/webview/images) learnt about an image; all optional on the wire. */
export interface ImageAttachmentInfo {
  detail?: ImageDetail;
  width?: number;
  height?: number;
  /** The image as it came in, for the thumbnail's "original vs sent". */
  original?: { type: string; bytes: number; width: number; height: number };
  /** The same image as PNG/JPEG when `dataUrl` is WebP: sent to an endpoint that refuses WebP. */
  fallbackDataUrl?: string;
  /** A smaller copy, sent once after a 413. */
  smallerDataUrl?: string;
}

/** How the panel sizes images (imagePolicy.ts), from settings and the model's rules. */
export interface PanelImageConfig {
  policy: ImagePolicy;
  /** Largest encoded image in bytes. */
  maxImageBytes: number;
  /** Formats this endpoint refused. */
  refusedFormats: string[];
}

/** What the panel needs to know about the endpoint and the user's preferences. */
export interface PanelConfig {
  model: string;
  profile: string;
  /** `enter`: Enter sends, Shift+Enter breaks the line. `ctrlEnter`: Ctrl/Cmd+Enter sends. */
  sendOn: 'enter' | 'ctrlEnter';
  /** What the endpoint check found; undefined means unknown (show everything). */
  vision?: boolean;
  images?: PanelImageConfig;
  /** Nothing set up yet (default base URL, no key): the empty state offers the setup steps. */
  setup?: boolean;
  /** Compare mode: the `<profile id>/<model id>` each question goes to; absent or empty: off. */
  compare?: string[];
  /** Ask or edit, remembered per workspace. */
  mode?: ChatMode;
  /** Edits that wait for review, so the panel can offer Keep/Undo all. */
  pendingEdits?: number;
}

/** The panel's mode: `ask` answers in text; `edit` offers the edit tools (src/common/edits). */
export type ChatMode = 'ask' | 'edit';

/** What a tool call did, for its block in the panel. */
export interface ToolResultView {
  /** `applied` waits for the user's review; `kept`/`undone` are the review's outcome. */
  status: 'running' | 'done' | 'applied' | 'refused' | 'kept' | 'undone';
  /** The file (and lines) it touched. */
  target?: string;
  /** What the model was told. */
  result?: string;
}

export interface ViewMessage {
  id: string;
  role: 'user' | 'assistant' | 'error';
  text: string;
  reasoning?: string;
  status?: MessageStatus;
  context?: ContextChip[];
  error?: ErrorView;
  /** The request that produced an assistant message. */
  requestId?: string;
  /** The model that answered (as the server named it). */
  model?: string;
  usage?: Usage;
  /** The relay sent no usage: `usage` is Relay Chat's estimate (shown with "≈"). */
  usageEstimated?: boolean;
  /** What the answer cost in US dollars, by the relay's price table or `relayChat.prices`. */
  cost?: number;
  /** The currency the answering relay shows money in (`cost` is shown converted); absent: USD. */
  costCurrency?: Currency;
  toolCalls?: ToolCall[];
  /** Per tool call (same positions), what it did; edit mode only. */
  toolResults?: ToolResultView[];
  /** The model declined; its words. */
  refusal?: string;
  /** With n > 1: the other choices, which the user can switch to. */
  alternatives?: string[];
  /** Who wrote each choice (the answer first, then the alternatives): the models of a compare turn. */
  choiceLabels?: string[];
  /** A picked compare turn: each alternative's own usage and cost (same positions as `alternatives`). */
  alternativeUsage?: AnswerBilling[];
  /**
   * One of a compare turn's answers (or its error): the model, as `<profile id>/<model id>`, and
   * the turn's group. Picking one makes it the answer, the others its alternatives.
   */
  compare?: { group: string; model: string };
  /** One-line notes about how the request was adapted or retried. */
  notices?: string[];
  /** Thumbnails of images the user attached (data URLs). */
  images?: string[];
  /** The answer's tokens and their probabilities, when the panel asked for them (logprobs). */
  logprobs?: TokenProbability[];
  /** Structured output: the finished answer checked against the schema it was asked for. */
  structured?: StructuredResult;
}

/** `alt:N` is choice N + 1 of an n > 1 request (the first choice is `content`). */
export type TextChannel = 'content' | 'reasoning' | 'refusal' | `alt:${number}`;

/**
 * One update to a message, as the 'update' message carries it. It lives with the protocol, not
 * with `messageReducer.ts` that folds it, so the reducer depends on the protocol and not back.
 */
export type MessageOp =
  /** `text` goes at offset `at` of the channel. */
  | { op: 'text'; channel: TextChannel; at: number; text: string }
  /**
   * The answer from offset `from` on was reasoning (a stream that only closed `</think>`): it moves
   * to the end of the reasoning. `contentLength`/`reasoningLength` are the lengths it applies at.
   */
  | { op: 'contentWasReasoning'; from: number; contentLength: number; reasoningLength: number }
  /** Choice N + 1 started over (its text was reasoning); it is emptied. */
  | { op: 'clearAlternative'; index: number }
  | { op: 'toolCalls'; calls: ToolCall[] }
  /** What became of the tool call at position `index` of the message's calls (edit mode). */
  | { op: 'toolResult'; index: number; result: ToolResultView }
  /** `estimated`: the relay sent none, these are counted by Relay Chat. */
  | { op: 'usage'; usage: Usage; estimated?: boolean }
  /** What the answer cost, in US dollars; `currency`: the relay shows money in that one. */
  | { op: 'cost'; usd: number; currency?: Currency }
  | { op: 'model'; model: string }
  /** The notice at position `index` of the message's notices. */
  | { op: 'notice'; index: number; text: string }
  | { op: 'status'; status: MessageStatus; requestId?: string }
  /** Token probabilities of the answer, appended at a position like text (tokenLogprobs.ts). */
  | LogprobsOp
  /** Structured output: how the finished answer measured against its schema. */
  | { op: 'structured'; result: StructuredResult };

/** Per-chat parameters set from the panel's menu; unset means the endpoint's default. */
export interface PanelOptions {
  temperature?: number;
  maxTokens?: number;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  jsonMode?: boolean;
  /** Ask for each token's probability and its top alternatives (`logprobs`, `top_logprobs`). */
  logprobs?: boolean;
}

/** What the next request carries besides the draft, for the context meter (token estimates). */
export interface ContextInfo {
  /** The model's window; undefined when nothing says. */
  window?: number;
  system: number;
  /** Earlier turns (questions asked) and their tokens, as the next request would send them. */
  turns: number;
  history: number;
  /** Earlier messages the next request leaves out to fit. */
  leftOut: number;
  /** The editor selection the composer offers. */
  selection: number;
  reserve: number;
}

export interface ViewState {
  messages: ViewMessage[];
  model: string;
  options?: PanelOptions;
}

export type HostToWebview =
  | { type: 'state'; state: ViewState }
  | { type: 'append'; message: ViewMessage }
  /**
   * Updates to one message, folded with `applyOps` (messageReducer.ts) on both sides. Text names
   * its channel and offset, so a panel that already has it (from a snapshot) skips it.
   */
  | { type: 'update'; messageId: string; ops: MessageOp[] }
  /** One message whole, replacing the panel's copy (the answer to `resync`). */
  | { type: 'message'; message: ViewMessage }
  | { type: 'remove'; messageId: string }
  | { type: 'focusComposer' }
  | { type: 'config'; config: PanelConfig }
  /** The editor's current selection, offered as a chip in the composer; none when empty. */
  | { type: 'selection'; label?: string }
  /** The context meter's figures; the panel adds the draft as the user types. */
  | { type: 'context'; context: ContextInfo }
  /** Every profile's models for the compare list, and those compare mode asks now. */
  | { type: 'compareModels'; models: string[]; selected: string[] }
  /**
   * Images the host read (Explain Image, Capture Screenshot) for the composer's pipeline, as raw
   * bytes; `prompt` fills an empty composer, `send` sends at once.
   */
  | { type: 'addImages'; images: RawImage[]; prompt?: string; send?: boolean }
  /** Files picked with Attach File that travel as their own parts (WAV/MP3, PDF): chips in the composer. */
  | { type: 'addFiles'; files: { name: string; uri: string }[] }
  /** Structured output: the schema the next questions are asked with; none: off. */
  | { type: 'structured'; name?: string }
  /** The `@` picker's rows for the query with this `id`; an answer to an older id is dropped. */
  | { type: 'mentionResults'; id: number; items: MentionItem[]; more?: boolean }
  /**
   * What the composer's mentions would carry now (one chip per mention, in the order sent, with
   * its tokens and notes), and the `rules` chip for the project's rules that would apply.
   */
  | { type: 'mentionInfo'; chips: ContextChip[]; rules?: ContextChip }
  /** Add to Chat (and the Quick Fixes): mentions for the composer. */
  | { type: 'addMentions'; mentions: Mention[] };

/** An image file's bytes, base64, and the type its extension names. */
export interface RawImage {
  name: string;
  type: string;
  base64: string;
}

/** What a code block's buttons ask the host to do with its code. */
export type CodeAction = 'insert' | 'apply' | 'open';

export type WebviewToHost =
  | { type: 'ready' }
  /** The panel's copy of a message missed an update: it asks for the whole message again. */
  | { type: 'resync'; messageId: string }
  | {
      type: 'send';
      text: string;
      attachments?: Attachment[];
      includeSelection?: boolean;
      /** The composer's @-mentions, in the order they were added: the host reads what they name. */
      mentions?: Mention[];
    }
  /** The `@` picker's query (the text after `@`); a newer `id` supersedes an older one. */
  | { type: 'mentionQuery'; id: number; query: string }
  /** The composer's mentions changed: the host measures them (answers `mentionInfo`). */
  | { type: 'mentionsChanged'; mentions: Mention[] }
  | { type: 'stop' }
  | { type: 'newChat' }
  | { type: 'retry' }
  | { type: 'regenerate' }
  | { type: 'continue' }
  | { type: 'edit'; messageId: string; text: string }
  | { type: 'delete'; messageId: string }
  | { type: 'openLink'; url: string }
  | { type: 'code'; action: CodeAction; code: string; language?: string }
  | { type: 'showHistory' }
  | { type: 'export' }
  | { type: 'setOptions'; options: PanelOptions }
  | { type: 'pickModel' }
  | { type: 'pickProfile' }
  /** The error's Open Settings button: opens settings.json at that `relayChat.*` setting. */
  | { type: 'openSettings'; setting: string }
  | { type: 'showLog' }
  /** The last question again, its images and files left out (a model that takes none). */
  | { type: 'sendWithoutAttachments' }
  | { type: 'setMode'; mode: ChatMode }
  /** Keep or undo pending edits: those of one message's tool calls, or all of them. */
  | { type: 'reviewEdits'; accept: boolean; messageId?: string }
  /** Opens the diff of a file a tool call changed. */
  | { type: 'openEdit'; messageId: string; index: number }
  /** The compare list opened: the host sends every profile's models. */
  | { type: 'compareList' }
  /** Two to four `<profile id>/<model id>` turn compare mode on; fewer turn it off. */
  | { type: 'setCompare'; models: string[] }
  /** One answer of a compare turn stops; the others carry on. */
  | { type: 'stopAnswer'; messageId: string }
  /** One answer of a compare turn becomes the answer. */
  | { type: 'pickAnswer'; messageId: string }
  /** The empty state's setup buttons: set the base URL, set the key, check the endpoint. */
  | { type: 'setup'; action: 'baseUrl' | 'apiKey' | 'check' }
  /** Images dropped from the Explorer: the host reads them and answers with `addImages`. */
  | { type: 'readImages'; uris: string[] }
  /** Attach File: the host's open dialog (images, WAV/MP3, PDF); answers `addImages` and `addFiles`. */
  | { type: 'pickFiles' }
  /** Structured output on: the host asks for a schema (a workspace .json file or pasted). */
  | { type: 'pickSchema' }
  /** Structured output off (the schema chip's remove button). */
  | { type: 'clearSchema' };

import type { ChatEvent } from '../stream/chatEvents';
import { streamChatCompletion, type ClientDeps, type EndpointConfig } from '../endpoint/chatClient';
import type { ChatMessage, ContentPart } from '../endpoint/chatTypes';
import { EndpointError, isAbortError } from '../endpoint/endpointError';
import { describeNotice, describeRetry, identityTranslate, type Translate } from '../panel/errorView';
import { buildChatRequest, type ChatOptions } from '../endpoint/requestBuilder';
import { budgetImages, type ImageBudget } from '../images/imageBudget';
import { DEFAULT_RETRY } from '../endpoint/retryPolicy';
import type { ConversationRecord } from './conversationStore';
import { titleFrom } from './conversationStore';
import type {
  ContextChip,
  ErrorView,
  HostToWebview,
  PanelOptions,
  ViewMessage,
  ViewState,
} from '../panel/protocol';
import {
  applyOps,
  batchChars,
  channelText,
  copyMessage,
  pushOp,
  type MessageOp,
  type TextChannel,
} from '../panel/messageReducer';
import { endpointHost } from '../endpoint/baseUrl';
import { systemClock } from '../endpoint/retryPolicy';

export interface ResolvedEndpoint {
  config: EndpointConfig;
  model: string;
  /** Request parameters from settings and the profile's per-model overrides. */
  options?: ChatOptions;
  profileId?: string;
  /** One line each about how the settings shaped this request (an option left out, …). */
  notices?: string[];
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
  /** Called when a turn completes or history changes: the host persists then. */
  onChange?(): void;
  now?(): number;
}

interface AnswerState {
  /** Where this request's text starts in the message (after the part a Continue resumes). */
  from: number;
  /** The reasoning's length when this request started. */
  reasoningFrom: number;
  /** The response id the server gave (the `id` of its chunks), for "request id" in messages. */
  responseId?: string;
  finishReason?: string;
  /** The endpoint's host, for messages about how the answer ended. */
  host: string;
}

/** finish_reason values of the spec (and the legacy one); anything else is told to the user. */
const KNOWN_FINISH = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

interface Turn {
  view: ViewMessage;
  /** The API message behind a user or assistant view message; errors have none. */
  api?: ChatMessage;
}

/**
 * Deltas are held this long and merged, so a fast stream costs one postMessage per window rather
 * than one per token (each post carries ~80 bytes of envelope). Shorter than a frame at 30 fps.
 */
export const DELTA_WINDOW_MS = 32;
/**
 * While an answer streams the conversation is also saved this often, so a VS Code that goes away
 * without a goodbye (a crash, a killed window) still finds most of it.
 */
export const SAVE_WHILE_STREAMING_MS = 3000;
/** A batch this large goes out at once, whatever the window. */
export const DELTA_MAX_CHARS = 2048;

/** What "Continue" asks; the model sees its own partial answer just before it. */
export const CONTINUE_PROMPT =
  'Your previous answer was cut off. Continue exactly where it stopped, without repeating anything or adding a preamble.';

/** Updates to one message, held up to DELTA_WINDOW_MS and posted as one `update`. */
interface PendingBatch {
  messageId: string;
  ops: MessageOp[];
}

export interface UserInput {
  /** What the panel shows for the user message. */
  display: string;
  /** What the model receives. */
  content: string | ContentPart[];
  context?: ContextChip[];
  /** Attached images (data URLs), shown as thumbnails. */
  images?: string[];
}

/**
 * One conversation: its messages, and the request in flight. Posts only what changed to the
 * webview. Free of vscode so it runs under the unit tests with a fake fetch.
 */
export class ChatSession {
  private turns: Turn[] = [];
  private inFlight: { controller: AbortController; requestId: string } | undefined;
  private model = '';
  private options: PanelOptions = {};
  private pending: PendingBatch | undefined;
  private pendingTimer: unknown;
  private lastSaved = 0;
  private id: string;
  private title = '';
  private createdAt: number;

  constructor(private readonly deps: ChatSessionDeps) {
    this.id = deps.newId();
    this.createdAt = this.now();
  }

  get conversationId(): string {
    return this.id;
  }

  get isEmpty(): boolean {
    return this.turns.length === 0;
  }

  private now(): number {
    return this.deps.now?.() ?? this.clock.now();
  }

  private get clock() {
    return this.deps.clock ?? systemClock;
  }

  toRecord(): ConversationRecord {
    return {
      id: this.id,
      title: this.title || titleFrom(this.turns.find((t) => t.view.role === 'user')?.view.text ?? ''),
      createdAt: this.createdAt,
      updatedAt: this.now(),
      // A message still streaming is saved as it stands, marked incomplete.
      turns: this.turns.map((t) =>
        t.view.status === 'streaming'
          ? { view: { ...t.view, status: 'incomplete' }, api: { role: 'assistant', content: t.view.text } }
          : { view: t.view, api: t.api },
      ),
    };
  }

  /** Replaces this conversation with a stored one. */
  restore(record: ConversationRecord): void {
    this.leave();
    this.id = record.id;
    this.title = record.title;
    this.createdAt = record.createdAt;
    this.turns = record.turns.map((t) => ({ view: { ...t.view }, api: t.api }));
    this.post({ type: 'state', state: this.state() });
  }

  rename(title: string): void {
    this.title = titleFrom(title);
    this.changed();
  }

  get busy(): boolean {
    return !!this.inFlight;
  }

  /**
   * The whole conversation for a panel that (re)connects. Held updates go out first, so nothing
   * posted after a snapshot is older than it: the panel's lengths and the next offsets line up.
   */
  state(): ViewState {
    this.flushDelta();
    return {
      messages: this.turns.map((t) => copyMessage(t.view)),
      model: this.model,
      options: { ...this.options },
    };
  }

  /** One message as the host has it: the answer to a panel that found a gap in its copy. */
  message(messageId: string): ViewMessage | undefined {
    this.flushDelta();
    const turn = this.turns.find((t) => t.view.id === messageId);
    return turn && copyMessage(turn.view);
  }

  /** Per-chat parameters from the panel's menu; they apply from the next request on. */
  setOptions(options: PanelOptions): void {
    this.options = { ...options };
  }

  apiMessages(): ChatMessage[] {
    return this.turns.flatMap((t) => (t.api ? [t.api] : []));
  }

  async send(input: UserInput): Promise<void> {
    if (this.inFlight) this.stop();
    const user: Turn = {
      view: {
        id: this.deps.newId(),
        role: 'user',
        text: input.display,
        ...(input.context?.length ? { context: input.context } : {}),
        ...(input.images?.length ? { images: input.images } : {}),
      },
      api: { role: 'user', content: input.content },
    };
    this.turns.push(user);
    this.post({ type: 'append', message: copyMessage(user.view) });
    // The question is kept even if VS Code goes away before the answer does.
    this.changed();
    await this.run();
  }

  /** Drops everything after the last user message (a failed, cut-off or unwanted answer) and asks again. */
  async regenerate(): Promise<void> {
    this.stop();
    while (this.turns.length && this.turns[this.turns.length - 1].view.role !== 'user') {
      const removed = this.turns.pop()!;
      this.post({ type: 'remove', messageId: removed.view.id });
    }
    if (this.turns.length) await this.run();
  }

  /** Same as regenerate; the name the error's Retry button uses. */
  retry(): Promise<void> {
    return this.regenerate();
  }

  /**
   * Replaces a past user message's text, forgets everything after it, and asks again. Attached
   * context (the selected code part) stays with the message.
   */
  async edit(messageId: string, text: string): Promise<void> {
    const index = this.turns.findIndex((t) => t.view.id === messageId && t.view.role === 'user');
    if (index < 0 || !text.trim()) return;
    this.stop();
    const old = this.turns[index];
    const oldContent = old.api?.role === 'user' ? old.api.content : text;
    const content =
      typeof oldContent === 'string'
        ? text
        : [{ type: 'text' as const, text }, ...oldContent.slice(oldContent[0]?.type === 'text' ? 1 : 0)];
    this.turns = this.turns.slice(0, index);
    this.turns.push({ view: { ...old.view, id: this.deps.newId(), text }, api: { role: 'user', content } });
    this.post({ type: 'state', state: this.state() });
    await this.run();
  }

  deleteMessage(messageId: string): void {
    const index = this.turns.findIndex((t) => t.view.id === messageId);
    if (index < 0 || this.turns[index].view.status === 'streaming') return;
    this.turns.splice(index, 1);
    this.post({ type: 'remove', messageId });
    this.changed();
  }

  stop(): void {
    this.inFlight?.controller.abort();
  }

  /**
   * Before this session switches to another conversation: a running answer stops, and the one it
   * belongs to is saved as it stands (marked incomplete), so it never lands in the next one.
   */
  private leave(): void {
    if (!this.inFlight) return;
    this.stop();
    this.flushDelta();
    this.changed();
  }

  /** Starts a new conversation; the old one stays in history. */
  clear(): void {
    this.leave();
    this.turns = [];
    this.id = this.deps.newId();
    this.title = '';
    this.createdAt = this.now();
    this.post({ type: 'state', state: this.state() });
  }

  /**
   * The endpoint takes no images or files: the last question is asked again with its text only.
   * Its attachments go from the message (and its thumbnails from the panel), so the rest of the
   * conversation is not refused for them again. Only on the user's word, never by itself.
   */
  async sendWithoutAttachments(): Promise<void> {
    if (this.inFlight) return;
    while (this.turns.length && this.turns[this.turns.length - 1].view.role === 'error') {
      this.post({ type: 'remove', messageId: this.turns.pop()!.view.id });
    }
    const last = this.turns[this.turns.length - 1];
    if (last?.api?.role !== 'user' || typeof last.api.content === 'string') return;
    const text = last.api.content.filter((part) => part.type === 'text');
    last.api = { role: 'user', content: text.length ? text : '' };
    delete last.view.images;
    this.post({ type: 'message', message: copyMessage(last.view) });
    this.changed();
    await this.run();
  }

  /**
   * Asks the model to carry on with an answer that was cut off or stopped; the new text is appended
   * to the same message, so it reads as one answer.
   */
  async continueAnswer(): Promise<void> {
    if (this.inFlight) return;
    while (this.turns.length && this.turns[this.turns.length - 1].view.role === 'error') {
      this.post({ type: 'remove', messageId: this.turns.pop()!.view.id });
    }
    const last = this.turns[this.turns.length - 1];
    if (
      !last ||
      last.view.role !== 'assistant' ||
      (last.view.status !== 'incomplete' && last.view.status !== 'stopped')
    ) {
      return;
    }
    await this.run(last);
  }

  private async run(resume?: Turn): Promise<void> {
    const controller = new AbortController();
    const requestId = this.deps.newId();
    this.inFlight = { controller, requestId };
    let history: ChatMessage[];
    let turn: Turn;
    if (resume) {
      // The partial answer stays in the history; a hidden user turn asks for the rest.
      history = [...this.apiMessages(), { role: 'user', content: CONTINUE_PROMPT }];
      turn = resume;
      this.update(turn.view, { op: 'status', status: 'streaming', requestId });
    } else {
      history = this.apiMessages();
      turn = { view: { id: this.deps.newId(), role: 'assistant', text: '', status: 'streaming', requestId } };
      this.turns.push(turn);
      this.post({ type: 'append', message: copyMessage(turn.view) });
    }
    const assistant = turn.view;

    const answer: AnswerState = {
      from: assistant.text.length,
      reasoningFrom: assistant.reasoning?.length ?? 0,
      host: '',
    };
    const t = this.deps.t ?? identityTranslate;
    try {
      const endpoint = await this.deps.resolveEndpoint();
      answer.host = endpointHost(endpoint.config.baseUrl);
      for (const text of endpoint.notices ?? []) {
        // A Continue asks with the same settings: said once per answer.
        if (!assistant.notices?.includes(text)) {
          this.update(assistant, { op: 'notice', index: assistant.notices?.length ?? 0, text });
        }
      }
      if (!endpoint.model) {
        throw new EndpointError({
          kind: 'config',
          host: endpoint.config.baseUrl,
          hint: 'config',
          serverMessage: t('No model is set.'),
        });
      }
      this.model = endpoint.model;
      if (endpoint.imageBudget) history = budgetImages(history, endpoint.imageBudget);
      const request = buildChatRequest(endpoint.model, history, {
        ...endpoint.options,
        ...this.chatOptions(),
      });
      const maxRetries = endpoint.config.retry?.maxRetries ?? DEFAULT_RETRY.maxRetries;
      const events = streamChatCompletion(this.deps, endpoint.config, request, controller.signal);
      for await (const event of events) this.apply(event, assistant, answer, maxRetries, t);
      this.endTurn(turn, answer);
    } catch (err) {
      if (isAbortError(err) || controller.signal.aborted) {
        this.finish(turn, 'stopped');
      } else if (this.producedOutput(assistant, answer)) {
        // Keep what arrived; mark it so the user can tell, and retry or continue.
        this.finish(turn, 'incomplete');
        this.pushError(err);
      } else {
        this.dropAnswer(turn);
        this.pushError(err);
      }
    } finally {
      if (this.inFlight?.requestId === requestId) this.inFlight = undefined;
      this.changed();
    }
  }

  /** Whether this request put anything in the message: text, thinking, a refusal or tool calls. */
  private producedOutput(view: ViewMessage, answer: AnswerState): boolean {
    return (
      view.text.length > answer.from ||
      (view.reasoning?.length ?? 0) > answer.reasoningFrom ||
      !!view.refusal ||
      !!view.toolCalls?.length
    );
  }

  /**
   * The stream ended without an error. No turn ends in silence: one that brought nothing, or that
   * ended for a reason outside the spec, says so with the finish_reason and the response id.
   */
  private endTurn(turn: Turn, answer: AnswerState): void {
    const reason = answer.finishReason;
    const produced = this.producedOutput(turn.view, answer);
    if (produced && (reason === undefined || KNOWN_FINISH.has(reason))) {
      this.finish(turn, 'complete');
      return;
    }
    const err = new EndpointError({
      kind: 'stream',
      host: answer.host,
      hint: produced ? 'unexpectedFinish' : 'emptyAnswer',
      serverMessage: reason === undefined ? undefined : `finish_reason: ${reason}`,
      requestId: answer.responseId,
    });
    if (produced) {
      this.finish(turn, 'incomplete');
    } else {
      this.dropAnswer(turn);
    }
    this.pushError(err);
  }

  private dropAnswer(turn: Turn): void {
    if (turn.view.text) {
      // A Continue that brought nothing: the earlier part stays, as it was.
      this.finish(turn, 'incomplete');
      return;
    }
    this.turns.splice(this.turns.indexOf(turn), 1);
    this.post({ type: 'remove', messageId: turn.view.id });
  }

  /** The panel's per-chat menu in the engine's terms. */
  private chatOptions(): ChatOptions {
    const o = this.options;
    return {
      ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
      ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}),
      ...(o.reasoningEffort ? { reasoningEffort: o.reasoningEffort } : {}),
      ...(o.jsonMode ? { responseFormat: { type: 'json_object' as const } } : {}),
    };
  }

  /** Folds one engine event into the answer and tells the panel what changed. */
  private apply(
    event: ChatEvent,
    view: ViewMessage,
    answer: AnswerState,
    maxRetries: number,
    t: Translate,
  ): void {
    if ('choice' in event && event.choice !== 0) {
      // The first choice is the answer; the others (n > 1) are alternatives to switch to.
      const index = event.choice - 1;
      const channel = `alt:${index}` as const;
      if (event.type === 'content') {
        this.update(view, {
          op: 'text',
          channel,
          at: view.alternatives?.[index]?.length ?? 0,
          text: event.text,
        });
      } else if (event.type === 'contentWasReasoning') {
        this.update(view, { op: 'clearAlternative', index });
      }
      return;
    }
    switch (event.type) {
      case 'content':
      case 'reasoning':
      case 'refusal':
        this.appendText(view, event.type, event.text);
        return;
      case 'contentWasReasoning':
        // What the panel shows as the answer moves into the Thinking block, in order.
        this.update(view, {
          op: 'contentWasReasoning',
          from: answer.from,
          contentLength: view.text.length,
          reasoningLength: view.reasoning?.length ?? 0,
        });
        return;
      case 'toolCalls':
        this.update(view, { op: 'toolCalls', calls: event.calls });
        return;
      case 'usage':
        this.update(view, { op: 'usage', usage: event.usage });
        return;
      case 'meta':
        if (event.id) answer.responseId = event.id;
        if (event.model && event.model !== view.model) this.update(view, { op: 'model', model: event.model });
        return;
      case 'notice':
      case 'retrying': {
        const text = event.type === 'notice' ? describeNotice(event, t) : describeRetry(event, maxRetries, t);
        this.update(view, { op: 'notice', index: view.notices?.length ?? 0, text });
        return;
      }
      case 'finish':
        answer.finishReason = event.reason;
        return;
      case 'annotations':
      case 'logprobs':
        return;
    }
  }

  /** Text at the end of a channel: the offset is the channel's length, as the panel checks it. */
  private appendText(view: ViewMessage, channel: TextChannel, text: string): void {
    this.update(view, { op: 'text', channel, at: channelText(view, channel).length, text });
  }

  /**
   * Applies an update to the host's copy of the message with the reducer the panel uses, and holds
   * it for the panel: updates within DELTA_WINDOW_MS go out as one post.
   */
  private update(view: ViewMessage, op: MessageOp): void {
    applyOps(view, [op]);
    if (this.pending && this.pending.messageId !== view.id) this.flushDelta();
    this.pending ??= { messageId: view.id, ops: [] };
    pushOp(this.pending.ops, op);
    if (batchChars(this.pending.ops) >= DELTA_MAX_CHARS) this.flushDelta();
    else this.pendingTimer ??= this.clock.setTimeout(() => this.flushDelta(), DELTA_WINDOW_MS);
  }

  /** The host persists now. */
  private changed(): void {
    this.lastSaved = this.clock.now();
    this.deps.onChange?.();
  }

  /** Every post but held updates: those go first, so the panel folds in the order things happened. */
  private post(message: HostToWebview): void {
    this.flushDelta();
    this.deps.post(message);
  }

  /** Posts what is held; called before anything else about the conversation goes out, so order holds. */
  private flushDelta(): void {
    if (this.pendingTimer !== undefined) this.clock.clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (!p?.ops.length) return;
    this.deps.post({ type: 'update', messageId: p.messageId, ops: p.ops });
    if (this.inFlight && this.clock.now() - this.lastSaved >= SAVE_WHILE_STREAMING_MS) this.changed();
  }

  private finish(turn: Turn, status: 'complete' | 'stopped' | 'incomplete'): void {
    const view = turn.view;
    this.update(view, { op: 'status', status });
    this.flushDelta();
    // Reasoning is kept with the message; the request builder re-sends it only where the provider
    // needs it (DeepSeek tool turns) and strips it elsewhere. Tool calls stay in the view only:
    // until the panel runs tools, a call without its tool result would make the next request invalid.
    turn.api = {
      role: 'assistant',
      content: view.text,
      ...(view.reasoning ? { reasoning_content: view.reasoning } : {}),
    };
  }

  private pushError(err: unknown): void {
    const view: ViewMessage = {
      id: this.deps.newId(),
      role: 'error',
      text: '',
      error: this.deps.describeError(err),
    };
    view.text = view.error!.title;
    this.turns.push({ view });
    this.post({ type: 'append', message: copyMessage(view) });
  }
}

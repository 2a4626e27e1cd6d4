import type { ChatEvent } from '../stream/chatEvents';
import { streamChatCompletion, type ClientDeps, type EndpointConfig } from '../endpoint/chatClient';
import type { ChatMessage, ContentPart } from '../endpoint/chatTypes';
import { EndpointError, isAbortError } from '../endpoint/endpointError';
import { describeNotice, describeRetry, identityTranslate, type Translate } from '../panel/errorView';
import { buildChatRequest, type ChatOptions } from '../endpoint/requestBuilder';
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

export interface ResolvedEndpoint {
  config: EndpointConfig;
  model: string;
  /** Request parameters from settings and the profile's per-model overrides. */
  options?: ChatOptions;
  profileId?: string;
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
  reasoning: string;
  alternatives: string[];
  toolCalls?: import('../endpoint/chatTypes').ToolCall[];
}

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
/** A batch this large goes out at once, whatever the window. */
export const DELTA_MAX_CHARS = 2048;

/** What "Continue" asks; the model sees its own partial answer just before it. */
export const CONTINUE_PROMPT =
  'Your previous answer was cut off. Continue exactly where it stopped, without repeating anything or adding a preamble.';

interface PendingDelta {
  requestId: string;
  messageId: string;
  content: string;
  reasoning: string;
  refusal: string;
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
  private pending: PendingDelta | undefined;
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
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
    return this.deps.now?.() ?? Date.now();
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
    this.stop();
    this.id = record.id;
    this.title = record.title;
    this.createdAt = record.createdAt;
    this.turns = record.turns.map((t) => ({ view: { ...t.view }, api: t.api }));
    this.deps.post({ type: 'state', state: this.state() });
  }

  rename(title: string): void {
    this.title = titleFrom(title);
    this.deps.onChange?.();
  }

  get busy(): boolean {
    return !!this.inFlight;
  }

  state(): ViewState {
    return { messages: this.turns.map((t) => t.view), model: this.model, options: this.options };
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
    this.deps.post({ type: 'append', message: user.view });
    // The question is kept even if VS Code goes away before the answer does.
    this.deps.onChange?.();
    await this.run();
  }

  /** Drops everything after the last user message (a failed, cut-off or unwanted answer) and asks again. */
  async regenerate(): Promise<void> {
    this.stop();
    while (this.turns.length && this.turns[this.turns.length - 1].view.role !== 'user') {
      const removed = this.turns.pop()!;
      this.deps.post({ type: 'remove', messageId: removed.view.id });
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
    this.deps.post({ type: 'state', state: this.state() });
    await this.run();
  }

  deleteMessage(messageId: string): void {
    const index = this.turns.findIndex((t) => t.view.id === messageId);
    if (index < 0 || this.turns[index].view.status === 'streaming') return;
    this.turns.splice(index, 1);
    this.deps.post({ type: 'remove', messageId });
    this.deps.onChange?.();
  }

  stop(): void {
    this.inFlight?.controller.abort();
  }

  /** Starts a new conversation; the old one stays in history. */
  clear(): void {
    this.stop();
    this.turns = [];
    this.id = this.deps.newId();
    this.title = '';
    this.createdAt = this.now();
    this.deps.post({ type: 'state', state: this.state() });
  }

  /**
   * Asks the model to carry on with an answer that was cut off or stopped; the new text is appended
   * to the same message, so it reads as one answer.
   */
  async continueAnswer(): Promise<void> {
    if (this.inFlight) return;
    while (this.turns.length && this.turns[this.turns.length - 1].view.role === 'error') {
      this.deps.post({ type: 'remove', messageId: this.turns.pop()!.view.id });
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
      turn.view.status = 'streaming';
      turn.view.requestId = requestId;
      this.deps.post({ type: 'resume', requestId, messageId: turn.view.id });
    } else {
      history = this.apiMessages();
      turn = { view: { id: this.deps.newId(), role: 'assistant', text: '', status: 'streaming', requestId } };
      this.turns.push(turn);
      this.deps.post({ type: 'append', message: { ...turn.view } });
    }
    const assistant = turn.view;

    const answer: AnswerState = {
      from: assistant.text.length,
      reasoning: assistant.reasoning ?? '',
      alternatives: [],
    };
    const t = this.deps.t ?? identityTranslate;
    try {
      const endpoint = await this.deps.resolveEndpoint();
      if (!endpoint.model) {
        throw new EndpointError({
          kind: 'config',
          host: endpoint.config.baseUrl,
          hint: 'config',
          serverMessage: t('No model is set.'),
        });
      }
      this.model = endpoint.model;
      const request = buildChatRequest(endpoint.model, history, {
        ...endpoint.options,
        ...this.chatOptions(),
      });
      const maxRetries = endpoint.config.retry?.maxRetries ?? DEFAULT_RETRY.maxRetries;
      const events = streamChatCompletion(this.deps, endpoint.config, request, controller.signal);
      for await (const event of events) this.apply(event, assistant, answer, maxRetries, t);
      this.finish(turn, answer, 'complete');
    } catch (err) {
      if (isAbortError(err) || controller.signal.aborted) {
        this.finish(turn, answer, 'stopped');
      } else if (assistant.text || answer.reasoning || answer.toolCalls) {
        // Keep what arrived; mark it so the user can tell and retry.
        this.finish(turn, answer, 'incomplete');
        this.pushError(err);
      } else {
        this.flushDelta();
        this.turns.splice(this.turns.indexOf(turn), 1);
        this.deps.post({ type: 'remove', messageId: assistant.id });
        this.pushError(err);
      }
    } finally {
      if (this.inFlight?.requestId === requestId) this.inFlight = undefined;
      this.deps.onChange?.();
    }
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
    const messageId = view.id;
    const requestId = view.requestId!;
    if ('choice' in event && event.choice !== 0) {
      // The first choice is the answer; the others (n > 1) are alternatives to switch to.
      const i = event.choice - 1;
      if (event.type === 'content') answer.alternatives[i] = (answer.alternatives[i] ?? '') + event.text;
      else if (event.type === 'contentWasReasoning') answer.alternatives[i] = '';
      return;
    }
    switch (event.type) {
      case 'content':
        view.text += event.text;
        this.queueDelta(requestId, messageId, 'content', event.text);
        return;
      case 'reasoning':
        answer.reasoning += event.text;
        this.queueDelta(requestId, messageId, 'reasoning', event.text);
        return;
      case 'contentWasReasoning':
        // What the panel shows as the answer moves into the Thinking block, in order.
        this.flushDelta();
        answer.reasoning += view.text.slice(answer.from);
        view.text = view.text.slice(0, answer.from);
        this.deps.post({ type: 'contentWasReasoning', requestId, messageId, from: answer.from });
        return;
      case 'refusal':
        view.refusal = (view.refusal ?? '') + event.text;
        this.queueDelta(requestId, messageId, 'refusal', event.text);
        return;
      case 'toolCalls':
        this.flushDelta();
        answer.toolCalls = event.calls;
        view.toolCalls = event.calls;
        this.deps.post({ type: 'toolCalls', messageId, calls: event.calls });
        return;
      case 'usage':
        this.flushDelta();
        view.usage = event.usage;
        this.deps.post({ type: 'usage', messageId, usage: event.usage });
        return;
      case 'meta':
        if (event.model) view.model = event.model;
        return;
      case 'notice':
      case 'retrying': {
        this.flushDelta();
        const text = event.type === 'notice' ? describeNotice(event, t) : describeRetry(event, maxRetries, t);
        view.notices = [...(view.notices ?? []), text];
        this.deps.post({ type: 'notice', messageId, text });
        return;
      }
      case 'annotations':
      case 'logprobs':
      case 'finish':
        return;
    }
  }

  private queueDelta(
    requestId: string,
    messageId: string,
    channel: 'content' | 'reasoning' | 'refusal',
    text: string,
  ): void {
    if (this.pending && this.pending.messageId !== messageId) this.flushDelta();
    this.pending ??= { requestId, messageId, content: '', reasoning: '', refusal: '' };
    this.pending[channel] += text;
    const size = this.pending.content.length + this.pending.reasoning.length + this.pending.refusal.length;
    if (size >= DELTA_MAX_CHARS) this.flushDelta();
    else this.pendingTimer ??= setTimeout(() => this.flushDelta(), DELTA_WINDOW_MS);
  }

  /** Posts what is held; called before anything else about the message goes out, so order holds. */
  private flushDelta(): void {
    clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    this.deps.post({
      type: 'delta',
      requestId: p.requestId,
      messageId: p.messageId,
      ...(p.reasoning ? { reasoning: p.reasoning } : {}),
      ...(p.content ? { content: p.content } : {}),
      ...(p.refusal ? { refusal: p.refusal } : {}),
    });
  }

  private finish(turn: Turn, answer: AnswerState, status: 'complete' | 'stopped' | 'incomplete'): void {
    this.flushDelta();
    const view = turn.view;
    view.status = status;
    if (answer.reasoning) view.reasoning = answer.reasoning;
    const alternatives = answer.alternatives.filter((a) => a !== undefined);
    if (alternatives.length) {
      view.alternatives = alternatives;
      this.deps.post({ type: 'alternatives', messageId: view.id, texts: alternatives });
    }
    // Reasoning is kept with the message; the request builder re-sends it only where the provider
    // needs it (DeepSeek tool turns) and strips it elsewhere. Tool calls stay in the view only:
    // until the panel runs tools, a call without its tool result would make the next request invalid.
    turn.api = {
      role: 'assistant',
      content: view.text,
      ...(answer.reasoning ? { reasoning_content: answer.reasoning } : {}),
    };
    this.deps.post({ type: 'end', requestId: view.requestId!, messageId: view.id, status });
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
    this.deps.post({ type: 'append', message: view });
  }
}

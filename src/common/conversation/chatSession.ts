import type { ChatEvent } from '../stream/chatEvents';
import {
  readChatCompletion,
  saidOnEveryAnswer,
  type ClientDeps,
  type EndpointConfig,
} from '../endpoint/chatClient';
import type { ChatMessage, ContentPart, ToolCall } from '../endpoint/chatTypes';
import { blockToToolCall, EditBlockParser } from '../edits/editBlocks';
import { roundMessages, type EditPlan, type EditTurn } from '../edits/editTurn';
import { EndpointError, isAbortError } from '../endpoint/endpointError';
import { describeNotice, describeRetry } from '../panel/errorView';
import { identityTranslate, type Translate } from '../l10n/translate';
import { buildChatRequest, type ChatOptions } from '../endpoint/requestBuilder';
import { TOP_LOGPROBS, logprobsOp, tokenProbabilities } from '../logprobs/tokenLogprobs';
import { budgetImages, type ImageBudget } from '../images/imageBudget';
import { DEFAULT_RETRY } from '../endpoint/retryPolicy';
import type { ConversationRecord, StoredTurn } from './conversationStore';
import { titleFrom } from './conversationStore';
import type {
  ContextChip,
  ErrorView,
  HostToWebview,
  MessageOp,
  PanelOptions,
  TextChannel,
  ViewMessage,
  ViewState,
} from '../panel/protocol';
import { applyOps, batchChars, channelText, copyMessage, pushOp } from '../panel/messageReducer';
import { endpointHost } from '../endpoint/baseUrl';
import { systemClock } from '../endpoint/retryPolicy';
import type { KnownWindow } from '../context/modelLimits';
import { fitOrRecover, type ContextAttempt } from '../context/contextRecovery';
import { costOf, type ModelPricing } from '../billing/pricing';
import { answerBilling } from '../billing/usageSummary';
import { estimateUsage } from '../billing/answerUsage';
import type { StructuredSchema } from '../structured/structuredTypes';
import { jsonSchemaFormat } from '../structured/structuredRequest';
import { checkAnswer } from '../structured/validateAnswer';

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
  /** A request ended, however it ended: the host reads the balance again then. */
  onAnswerEnd?(profileId: string | undefined): void;
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
  /** The relay sent this request's usage. */
  usage?: boolean;
  /** What the message had cost before this request (a Continue adds to it). */
  costBefore: number;
}

/** finish_reason values of the spec (and the legacy one); anything else is told to the user. */
const KNOWN_FINISH = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

interface Turn {
  view: ViewMessage;
  /** The API message behind a user or assistant view message; errors have none. */
  api?: ChatMessage;
  /** Edit mode: the tool rounds before the final answer (assistant tool calls and tool results). */
  rounds?: ChatMessage[];
  /** Where the text after the last tool round starts: the final assistant message's content. */
  textFrom?: number;
}

/**
 * Deltas are held this long and merged, so a fast stream costs one postMessage per window rather
 * than one per token (each post carries ~80 bytes of envelope). Shorter than a frame at 30 fps.
 */
export const DELTA_WINDOW_MS = 32;
/**
 * The window grows with the answer to this: every post costs the workbench an IPC hop and the
 * panel a render and a paint (about 20-25 ms of the renderer's main thread per post in code-server,
 * almost all of it the workbench's own message hops, frame, layerize and paint, not the panel's
 * script), so a fast stream's cost is its number of posts. The first screenful updates at 30 fps;
 * past it the reader reads above the end, and four updates a second still read as streaming.
 * A 60k answer at 1,000 chunks/s (`npm run bench workbench`): with the window reaching 200 ms at
 * 32,000 characters, about 170 posts and the renderer 20-24% busy; 250 ms from 12,000, about 105
 * posts and 15-19% busy.
 */
export const DELTA_WINDOW_MAX_MS = 250;
const WINDOW_GROWS_FROM_CHARS = 2_000;
const WINDOW_FULL_AT_CHARS = 12_000;

/** How long updates to a message this long are held: 32 ms for the first 2,000 characters, 250 ms past 12,000. */
export function deltaWindowFor(length: number): number {
  const share = (length - WINDOW_GROWS_FROM_CHARS) / (WINDOW_FULL_AT_CHARS - WINDOW_GROWS_FROM_CHARS);
  const clamped = Math.min(1, Math.max(0, share));
  return Math.round(DELTA_WINDOW_MS + clamped * (DELTA_WINDOW_MAX_MS - DELTA_WINDOW_MS));
}
/**
 * While an answer streams the conversation is also saved this often, so a VS Code that goes away
 * without a goodbye (a crash, a killed window) still finds most of it.
 */
export const SAVE_WHILE_STREAMING_MS = 3000;
/** A batch this large goes out at once, whatever the window. */
export const DELTA_MAX_CHARS = 2048;

/** A compare turn asks at most this many models at once. */
export const MAX_COMPARE = 4;

/** What "Continue" asks; the model sees its own partial answer just before it. */
export const CONTINUE_PROMPT =
  'Your previous answer was cut off. Continue exactly where it stopped, without repeating anything or adding a preamble.';

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
  /** Each streaming answer's own Stop, by message id. */
  private readonly answerControllers = new Map<string, AbortController>();
  /** Compare mode: two to four `<profile id>/<model id>` the next questions go to; empty: off. */
  private compareModels: string[] = [];
  /** Structured output: the schema the next answers are asked with and checked against. */
  private structuredSchema: StructuredSchema | undefined;
  /** Updates held per message, in the order the messages first changed. */
  private pending = new Map<string, MessageOp[]>();
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
      turns: this.turns.map((t) => this.stored(t)),
    };
  }

  /**
   * A turn as saved. An answer still streaming is saved as what the user should find if VS Code
   * goes away now: what arrived, marked incomplete (Continue); or, if nothing has arrived yet, an
   * interrupted answer with Retry, never a question with nothing under it.
   */
  private stored(turn: Turn): StoredTurn {
    const view = turn.view;
    if (view.status !== 'streaming') return { view, api: turn.api };
    if (view.text || view.reasoning || view.refusal || view.toolCalls?.length) {
      return { view: { ...view, status: 'incomplete' }, api: { role: 'assistant', content: view.text } };
    }
    const t = this.deps.t ?? identityTranslate;
    const error: ErrorView = {
      title: t('No answer: it was interrupted before any of it arrived'),
      hint: t(
        'VS Code closed, or another conversation was opened, while this answer was on its way. Retry asks again.',
      ),
      retryable: true,
    };
    return { view: errorMessage(view.id, error, view.compare) };
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

  /** The user kept or undid a tool call's edit: its block in the panel says so. */
  setToolStatus(messageId: string, index: number, status: 'kept' | 'undone'): void {
    const view = this.turns.find((t) => t.view.id === messageId)?.view;
    const result = view?.toolResults?.[index];
    if (!view || !result || result.status === status) return;
    this.update(view, { op: 'toolResult', index, result: { ...result, status } });
    this.flushDelta();
    this.changed();
  }

  /** Per-chat parameters from the panel's menu; they apply from the next request on. */
  setOptions(options: PanelOptions): void {
    this.options = { ...options };
  }

  /** What the next request carries. Of a compare turn nobody picked from, its first answer. */
  apiMessages(): ChatMessage[] {
    const groups = new Set<string>();
    return this.turns.flatMap((t) => {
      const rounds = t.rounds ?? [];
      if (!t.api) return rounds;
      const group = t.view.compare?.group;
      if (group !== undefined) {
        if (groups.has(group)) return rounds;
        groups.add(group);
      }
      return [...rounds, t.api];
    });
  }

  /** Two to four models turn compare mode on (the next questions go to each); fewer turn it off. */
  setCompare(models: readonly string[]): void {
    const unique = [...new Set(models)].filter((m) => typeof m === 'string' && m.includes('/'));
    this.compareModels = unique.length >= 2 ? unique.slice(0, MAX_COMPARE) : [];
  }

  get compare(): readonly string[] {
    return this.compareModels;
  }

  /** Structured output on (with this schema) or off; from the next question on, ask mode only. */
  setStructured(schema: StructuredSchema | undefined): void {
    this.structuredSchema = schema && { ...schema };
  }

  get structured(): StructuredSchema | undefined {
    return this.structuredSchema;
  }

  /** Stops one answer; the others of a compare turn carry on. */
  stopAnswer(messageId: string): void {
    this.answerControllers.get(messageId)?.abort();
  }

  /**
   * Makes one answer of a compare turn the conversation's answer: the next question carries its
   * text only. The other answers become its alternatives, labelled by model; their errors go.
   */
  pickAnswer(messageId: string): void {
    const picked = this.turns.find((t) => t.view.id === messageId && t.view.role === 'assistant');
    const group = picked?.view.compare?.group;
    if (!picked || group === undefined) return;
    const members = this.turns.filter((t) => t.view.compare?.group === group);
    if (members.some((t) => t.view.status === 'streaming')) return;
    const others = members.filter((t) => t !== picked && t.view.role === 'assistant' && t.view.text);
    const view = picked.view;
    view.choiceLabels = [view.compare!.model, ...others.map((t) => t.view.compare!.model)];
    view.alternatives = others.map((t) => t.view.text);
    // What the others used and cost stays with the turn: for the total, a restart and an export.
    if (others.some((t) => t.view.usage)) view.alternativeUsage = others.map((t) => answerBilling(t.view));
    delete view.compare;
    for (const member of members) {
      if (member === picked) continue;
      this.turns.splice(this.turns.indexOf(member), 1);
      this.post({ type: 'remove', messageId: member.view.id });
    }
    this.post({ type: 'message', message: copyMessage(view) });
    this.changed();
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
    await this.answer();
  }

  /** Drops everything after the last user message (a failed, cut-off or unwanted answer) and asks again. */
  async regenerate(): Promise<void> {
    this.stop();
    while (this.turns.length && this.turns[this.turns.length - 1].view.role !== 'user') {
      const removed = this.turns.pop()!;
      this.post({ type: 'remove', messageId: removed.view.id });
    }
    if (this.turns.length) await this.answer();
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
    await this.answer();
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
    await this.answer();
  }

  /**
   * Asks the model to carry on with an answer that was cut off or stopped; the new text is appended
   * to the same message, so it reads as one answer.
   */
  async continueAnswer(): Promise<void> {
    // A compare turn's answers are picked from, not continued.
    if (this.inFlight || this.turns[this.turns.length - 1]?.view.compare) return;
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

  /** The answer to the last question: from the model, or from each compared model at once. */
  private answer(): Promise<void> {
    return this.compareModels.length >= 2 ? this.runCompare([...this.compareModels]) : this.run();
  }

  /** One question to several models in parallel, each answer streaming into its own message. */
  private async runCompare(models: string[]): Promise<void> {
    const controller = new AbortController();
    const requestId = this.deps.newId();
    this.inFlight = { controller, requestId };
    const history = this.apiMessages();
    const group = this.deps.newId();
    const turns = models.map((model): Turn => {
      const view: ViewMessage = {
        id: this.deps.newId(),
        role: 'assistant',
        text: '',
        status: 'streaming',
        requestId,
        compare: { group, model },
      };
      this.turns.push({ view });
      this.post({ type: 'append', message: copyMessage(view) });
      return this.turns[this.turns.length - 1];
    });
    // Saved before anything arrives: the question, and its answers as interrupted, should VS Code go away.
    this.changed();
    const profiles = new Set<string | undefined>();
    try {
      await Promise.all(
        turns.map(async (turn, i) => {
          const resolve = async () => {
            if (!this.deps.resolveEndpointFor) throw new Error('This host cannot compare models.');
            return this.deps.resolveEndpointFor(models[i]);
          };
          profiles.add(await this.streamAnswer(turn, history, resolve, controller.signal));
        }),
      );
    } finally {
      if (this.inFlight?.requestId === requestId) this.inFlight = undefined;
      this.changed();
      for (const profileId of profiles) this.deps.onAnswerEnd?.(profileId);
    }
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
    // Saved before anything arrives: the question, and its answer as interrupted (or, continuing,
    // as far as it got), should VS Code go away.
    this.changed();
    let profileId: string | undefined;
    try {
      profileId = await this.streamAnswer(
        turn,
        history,
        () => this.deps.resolveEndpoint(),
        controller.signal,
        !!resume,
      );
    } finally {
      if (this.inFlight?.requestId === requestId) this.inFlight = undefined;
      this.changed();
      this.deps.onAnswerEnd?.(profileId);
    }
  }

  /**
   * One request streamed into one answer, however it ends (stopped, cut, failed: said in the
   * conversation, never thrown). Returns the profile it asked.
   */
  private async streamAnswer(
    turn: Turn,
    history: ChatMessage[],
    resolve: () => Promise<ResolvedEndpoint>,
    stopAll: AbortSignal,
    continuing = false,
  ): Promise<string | undefined> {
    const assistant = turn.view;
    const compare = assistant.compare;
    // Its own Stop, beside the one that stops every answer of the turn.
    const own = new AbortController();
    this.answerControllers.set(assistant.id, own);
    const signal = AbortSignal.any([stopAll, own.signal]);
    const answer: AnswerState = {
      from: assistant.text.length,
      reasoningFrom: assistant.reasoning?.length ?? 0,
      host: '',
      costBefore: assistant.text.length ? (assistant.cost ?? 0) : 0,
    };
    const t = this.deps.t ?? identityTranslate;
    let pricing: Promise<ModelPricing | undefined> | undefined;
    let profileId: string | undefined;
    try {
      const endpoint = await resolve();
      profileId = endpoint.profileId;
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
      // A compare answer is not the panel's model.
      if (!compare) this.model = endpoint.model;
      // Looked up while the answer streams; a relay without a price table never holds it up.
      pricing = this.deps.pricing?.(endpoint.profileId, endpoint.model).catch(() => undefined);
      if (endpoint.imageBudget) history = budgetImages(history, endpoint.imageBudget);
      const options = { ...endpoint.options, ...this.chatOptions() };
      const maxRetries = endpoint.config.retry?.maxRetries ?? DEFAULT_RETRY.maxRetries;
      const edit = continuing || compare ? undefined : await this.deps.beginEdit?.(assistant.id);
      const schema = edit ? undefined : this.structuredSchema;
      if (edit && this.structuredSchema) {
        const text = t('Structured output is for Ask mode: this edit was asked without the schema.');
        this.update(assistant, { op: 'notice', index: assistant.notices?.length ?? 0, text });
      }
      if (edit) {
        await this.runEditRounds(edit, endpoint, history, turn, answer, signal, maxRetries, t);
      } else {
        // The history is fitted to the window; a refusal for length teaches it and asks once more.
        await fitOrRecover(
          { endpoint, history, options, host: answer.host, t, signal },
          (text) => {
            if (!assistant.notices?.includes(text))
              this.update(assistant, { op: 'notice', index: assistant.notices?.length ?? 0, text });
          },
          () => this.producedOutput(assistant, answer),
          async (attempt: ContextAttempt) => {
            const asked = schema ? { ...options, responseFormat: jsonSchemaFormat(schema) } : options;
            const request = buildChatRequest(endpoint.model, attempt.messages, asked);
            await readChatCompletion(
              this.deps,
              endpoint.config,
              request,
              (events) => {
                for (const event of events) this.apply(event, assistant, answer, maxRetries, t);
              },
              signal,
            );
          },
        );
      }
      await this.account(assistant, history, answer, pricing);
      if (schema && assistant.text) {
        this.update(assistant, { op: 'structured', result: checkAnswer(assistant.text, schema, t) });
      }
      this.endTurn(turn, answer);
    } catch (err) {
      if (this.producedOutput(assistant, answer)) await this.account(assistant, history, answer, pricing);
      if (isAbortError(err) || signal.aborted) {
        this.finish(turn, 'stopped');
      } else if (this.producedOutput(assistant, answer)) {
        // Keep what arrived; mark it so the user can tell, and retry or continue.
        this.finish(turn, 'incomplete');
        this.pushError(err, compare);
      } else {
        this.dropAnswer(turn);
        this.pushError(err, compare);
      }
    } finally {
      this.answerControllers.delete(assistant.id);
    }
    return profileId;
  }

  /**
   * The answer's usage (estimated where the relay sent none, marked so) and what it cost, by the
   * price the host knows for the model. A Continue's cost adds to the part before it.
   */
  private async account(
    view: ViewMessage,
    history: ChatMessage[],
    answer: AnswerState,
    pricing: Promise<ModelPricing | undefined> | undefined,
  ): Promise<void> {
    if (!answer.usage) {
      const produced = view.text.slice(answer.from) + (view.reasoning ?? '').slice(answer.reasoningFrom);
      this.update(view, { op: 'usage', usage: estimateUsage(history, produced), estimated: true });
    }
    const price = await pricing;
    if (price && view.usage)
      this.update(view, {
        op: 'cost',
        usd: answer.costBefore + costOf(price, view.usage),
        ...(price.currency ? { currency: price.currency } : {}),
      });
  }

  /**
   * Edit mode: a request with the tools, their calls run by the host (checked, applied for review,
   * or refused with a reason), the results sent back, and again, up to the plan's maxRounds. With
   * an endpoint that takes no tools, one request whose edit blocks are the calls.
   */
  private async runEditRounds(
    edit: EditTurn,
    endpoint: ResolvedEndpoint,
    history: ChatMessage[],
    turn: Turn,
    answer: AnswerState,
    signal: AbortSignal,
    maxRetries: number,
    t: Translate,
  ): Promise<void> {
    const view = turn.view;
    const rounds: ChatMessage[] = [];
    turn.rounds = rounds;
    let plan: EditPlan = edit.plan;
    if (plan.notice) this.update(view, { op: 'notice', index: view.notices?.length ?? 0, text: plan.notice });
    for (let round = 0; ;) {
      const request = buildChatRequest(
        endpoint.model,
        [{ role: 'system', content: plan.system }, ...history, ...rounds],
        {
          ...endpoint.options,
          ...this.chatOptions(),
          ...(plan.tools ? { tools: plan.tools, toolChoice: plan.toolChoice } : {}),
        },
      );
      const before = view.toolCalls?.length ?? 0;
      const blocks = plan.blocks ? new EditBlockParser() : undefined;
      let calls: ToolCall[] = [];
      let refusedTools = false;
      try {
        await readChatCompletion(
          this.deps,
          endpoint.config,
          request,
          (events) => {
            for (const event of events) {
              if (event.type === 'notice' && event.downgrade === 'tools' && plan.tools) {
                // The endpoint takes no tools: this answer would not know how to edit; ask for blocks.
                refusedTools = true;
                return false;
              }
              if ('choice' in event && event.choice === 0) {
                if (event.type === 'toolCallDelta') {
                  edit.onArguments(before + event.index, event.name, event.arguments);
                  continue;
                }
                if (event.type === 'toolCalls') {
                  calls = event.calls;
                  continue;
                }
                if (event.type === 'content' && blocks) {
                  for (const block of blocks.push(event.text))
                    calls.push(blockToToolCall(block, this.deps.newId()));
                }
              }
              this.apply(event, view, answer, maxRetries, t);
            }
            return true;
          },
          signal,
        );
      } finally {
        await edit.endRound();
      }
      if (refusedTools) {
        plan = edit.fallback();
        this.update(view, {
          op: 'notice',
          index: view.notices?.length ?? 0,
          text: t('This endpoint takes no tools: edit mode asks for edit blocks in the answer instead.'),
        });
        continue;
      }
      if (blocks) for (const block of blocks.end()) calls.push(blockToToolCall(block, this.deps.newId()));
      if (!calls.length) return;
      this.update(view, { op: 'toolCalls', calls: [...(view.toolCalls ?? []), ...calls] });
      const results: string[] = [];
      for (let i = 0; i < calls.length; i++) {
        this.update(view, { op: 'toolResult', index: before + i, result: { status: 'running' } });
        const run = await edit.run(calls[i], before + i, signal);
        results.push(run.result);
        this.update(view, { op: 'toolResult', index: before + i, result: { ...run } });
      }
      if (signal.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
      // The fallback's blocks are the answer; there is no tool message to send them back in.
      if (plan.blocks) return;
      rounds.push(...roundMessages(view.text.slice(turn.textFrom ?? answer.from), calls, results));
      turn.textFrom = view.text.length;
      answer.finishReason = undefined;
      round++;
      if (round >= plan.maxRounds) {
        this.update(view, {
          op: 'notice',
          index: view.notices?.length ?? 0,
          text: t('Stopped after {0} tool rounds (relayChat.edits.maxRounds).', plan.maxRounds),
        });
        return;
      }
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
    this.pushError(err, turn.view.compare);
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
      ...(o.logprobs ? { logprobs: true, topLogprobs: TOP_LOGPROBS } : {}),
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
      case 'toolCallDelta':
        return;
      case 'usage':
        answer.usage = true;
        this.update(view, { op: 'usage', usage: event.usage });
        return;
      case 'meta':
        if (event.id) answer.responseId = event.id;
        if (event.model && event.model !== view.model) this.update(view, { op: 'model', model: event.model });
        return;
      case 'notice':
      case 'retrying': {
        const text = event.type === 'notice' ? describeNotice(event, t) : describeRetry(event, maxRetries, t);
        // Said on every request that asks for a schema or token probabilities the endpoint refused
        // before: once per answer (a Continue asks again).
        if (event.type === 'notice' && view.notices?.includes(text) && saidOnEveryAnswer(event.downgrade))
          return;
        this.update(view, { op: 'notice', index: view.notices?.length ?? 0, text });
        return;
      }
      case 'finish':
        answer.finishReason = event.reason;
        return;
      case 'logprobs': {
        const tokens = tokenProbabilities(event.content);
        if (tokens.length) this.update(view, logprobsOp(view.logprobs, tokens));
        return;
      }
      case 'annotations':
        return;
    }
  }

  /** Text at the end of a channel: the offset is the channel's length, as the panel checks it. */
  private appendText(view: ViewMessage, channel: TextChannel, text: string): void {
    this.update(view, { op: 'text', channel, at: channelText(view, channel).length, text });
  }

  /**
   * Applies an update to the host's copy of the message with the reducer the panel uses, and holds
   * it for the panel: updates within the window (`deltaWindowFor`) go out as one post.
   */
  private update(view: ViewMessage, op: MessageOp): void {
    applyOps(view, [op]);
    // Answers streaming side by side (a compare turn) are held side by side, each its own batch.
    let ops = this.pending.get(view.id);
    if (!ops) this.pending.set(view.id, (ops = []));
    pushOp(ops, op);
    if (batchChars(ops) >= DELTA_MAX_CHARS) this.flushDelta();
    else
      this.pendingTimer ??= this.clock.setTimeout(
        () => this.flushDelta(),
        deltaWindowFor(channelText(view, 'content').length),
      );
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
    const held = this.pending;
    if (!held.size) return;
    this.pending = new Map();
    for (const [messageId, ops] of held) if (ops.length) this.deps.post({ type: 'update', messageId, ops });
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
      content: view.text.slice(turn.textFrom ?? 0),
      ...(view.reasoning ? { reasoning_content: view.reasoning } : {}),
    };
  }

  private pushError(err: unknown, compare?: ViewMessage['compare']): void {
    const view = errorMessage(this.deps.newId(), this.deps.describeError(err), compare);
    this.turns.push({ view });
    this.post({ type: 'append', message: copyMessage(view) });
  }
}

/** An error as a message of its own; a compare answer's error stays with its model, beside the others. */
function errorMessage(id: string, error: ErrorView, compare?: ViewMessage['compare']): ViewMessage {
  return { id, role: 'error', text: error.title, error, ...(compare ? { compare: { ...compare } } : {}) };
}

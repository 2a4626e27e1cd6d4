import type { ChatMessage } from '../endpoint/chatTypes';
import { systemClock } from '../endpoint/retryPolicy';
import { identityTranslate } from '../l10n/translate';
import { copyMessage } from '../panel/messageReducer';
import type { HostToWebview, MessageOp, PanelOptions, ViewMessage, ViewState } from '../panel/protocol';
import type { StructuredSchema } from '../structured/structuredTypes';
import type { ConversationRecord } from './conversationStore';
import { titleFrom } from './conversationStore';
import { AnswerRuns } from './answerRuns';
import { compareSelection, pickAnswerOf } from './compareAnswers';
import { continuable } from './continueAnswer';
import { DeltaWindow } from './deltaWindow';
import type { ChatSessionDeps, UserInput } from './sessionDeps';
import { editedQuestion, questionTurn, rereadQuestion } from './questionTurn';
import {
  answerMessage,
  errorMessage,
  questionExtras,
  requestMessages,
  storedTurn,
  systemOf,
  type Turn,
} from './turn';

// Where other code has always found them.
export type { ChatSessionDeps, ResolvedEndpoint, UserInput } from './sessionDeps';

/**
 * While an answer streams the conversation is also saved this often, so a VS Code that goes away
 * without a goodbye (a crash, a killed window) still finds most of it.
 */
export const SAVE_WHILE_STREAMING_MS = 3000;

/**
 * One conversation: its messages, and the request in flight. Posts only what changed to the
 * webview. Free of vscode so it runs under the unit tests with a fake fetch.
 */
export class ChatSession {
  private turns: Turn[] = [];
  private model = '';
  private options: PanelOptions = {};
  /** Compare mode: two to four `<profile id>/<model id>` the next questions go to; empty: off. */
  private compareModels: string[] = [];
  /** Structured output: the schema the next answers are asked with and checked against. */
  private structuredSchema: StructuredSchema | undefined;
  private readonly deltas: DeltaWindow;
  /** The request in flight: its answers reach this conversation only through what it is given here. */
  private readonly runs: AnswerRuns;
  private lastSaved = 0;
  private id: string;
  private title = '';
  private createdAt: number;

  constructor(private readonly deps: ChatSessionDeps) {
    this.id = deps.newId();
    this.createdAt = this.now();
    this.deltas = new DeltaWindow(
      this.clock,
      (message) => deps.post(message),
      () => this.savedWhileStreaming(),
    );
    this.runs = new AnswerRuns({
      deps,
      update: (view, op) => this.update(view, op),
      panelOptions: () => this.options,
      structured: () => this.structuredSchema,
      setModel: (model) => (this.model = model),
      finish: (turn, status) => this.finish(turn, status),
      dropAnswer: (turn) => this.dropAnswer(turn),
      pushError: (err, compare) => this.pushError(err, compare),
      apiMessages: () => this.apiMessages(),
      append: (view) => this.append(view),
      changed: () => this.changed(),
    });
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
      turns: this.turns.map((t) => storedTurn(t, this.deps.t ?? identityTranslate)),
    };
  }

  /** Replaces this conversation with a stored one. */
  restore(record: ConversationRecord): void {
    this.leave();
    this.id = record.id;
    this.title = record.title;
    this.createdAt = record.createdAt;
    this.turns = record.turns.map((t) => ({ view: { ...t.view }, api: t.api, ...questionExtras(t) }));
    this.post({ type: 'state', state: this.state() });
  }

  rename(title: string): void {
    this.title = titleFrom(title);
    this.changed();
  }

  get busy(): boolean {
    return this.runs.busy;
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
  /** What the next request carries: the last question's system message, then the conversation. */
  apiMessages(): ChatMessage[] {
    const system = systemOf(this.turns);
    const messages = requestMessages(this.turns);
    return system ? [{ role: 'system', content: system }, ...messages] : messages;
  }

  /**
   * Before the last question is asked again (Regenerate, an edited resend): what its @-mentions
   * name and the rules are read again, so the model sees the files as they are now.
   */
  private async reread(): Promise<void> {
    const last = this.turns[this.turns.length - 1];
    const fresh = last && (await rereadQuestion(last, this.deps));
    if (!fresh || this.turns[this.turns.length - 1] !== last) return;
    this.turns[this.turns.length - 1] = fresh;
    this.post({ type: 'message', message: copyMessage(fresh.view) });
  }

  /** Two to four models turn compare mode on (the next questions go to each); fewer turn it off. */
  setCompare(models: readonly string[]): void {
    this.compareModels = compareSelection(models);
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
    this.runs.stopAnswer(messageId);
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
    pickAnswerOf(
      picked.view,
      members.map((t) => t.view),
    );
    for (const member of members) {
      if (member === picked) continue;
      this.turns.splice(this.turns.indexOf(member), 1);
      this.post({ type: 'remove', messageId: member.view.id });
    }
    this.post({ type: 'message', message: copyMessage(picked.view) });
    this.changed();
  }

  async send(input: UserInput): Promise<void> {
    if (this.runs.busy) this.stop();
    const user = await questionTurn(input, this.deps);
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
    if (!this.turns.length) return;
    await this.reread();
    await this.answer();
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
    this.turns = this.turns.slice(0, index);
    this.turns.push(editedQuestion(old, text, this.deps.newId()));
    await this.reread();
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
    this.runs.stop();
  }

  /**
   * Before this session switches to another conversation: a running answer stops, and the one it
   * belongs to is saved as it stands (marked incomplete), so it never lands in the next one.
   */
  private leave(): void {
    if (!this.runs.busy) return;
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
    if (this.runs.busy) return;
    this.dropTrailingErrors();
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
    if (this.runs.busy || this.turns[this.turns.length - 1]?.view.compare) return;
    this.dropTrailingErrors();
    const last = this.turns[this.turns.length - 1];
    if (last && continuable(last.view)) await this.runs.run(last);
  }

  /** Errors under the last answer go before it is asked again. */
  private dropTrailingErrors(): void {
    while (this.turns.length && this.turns[this.turns.length - 1].view.role === 'error') {
      this.post({ type: 'remove', messageId: this.turns.pop()!.view.id });
    }
  }

  /** The answer to the last question: from the model, or from each compared model at once. */
  private answer(): Promise<void> {
    return this.compareModels.length >= 2 ? this.runs.compare([...this.compareModels]) : this.runs.run();
  }

  /** A new message at the end of the conversation, shown in the panel. */
  private append(view: ViewMessage): Turn {
    this.turns.push({ view });
    this.post({ type: 'append', message: copyMessage(view) });
    return this.turns[this.turns.length - 1];
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

  /** Applies an update to the host's copy of the message and holds it for the panel (deltaWindow.ts). */
  private update(view: ViewMessage, op: MessageOp): void {
    this.deltas.update(view, op);
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
    this.deltas.flush();
  }

  /** Held updates went out: a long answer is saved every so often while it streams. */
  private savedWhileStreaming(): void {
    if (this.runs.busy && this.clock.now() - this.lastSaved >= SAVE_WHILE_STREAMING_MS) this.changed();
  }

  private finish(turn: Turn, status: 'complete' | 'stopped' | 'incomplete'): void {
    const view = turn.view;
    this.update(view, { op: 'status', status });
    this.flushDelta();
    turn.api = answerMessage(turn);
  }

  private pushError(err: unknown, compare?: ViewMessage['compare']): void {
    const view = errorMessage(this.deps.newId(), this.deps.describeError(err), compare);
    this.turns.push({ view });
    this.post({ type: 'append', message: copyMessage(view) });
  }
}

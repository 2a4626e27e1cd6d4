import type { ChatEvent } from './chatEvents';
import { streamChatCompletion, type ClientDeps, type EndpointConfig } from './chatClient';
import type { ChatMessage, ContentPart } from './chatTypes';
import { isAbortError } from './endpointError';
import type { ContextChip, ErrorView, HostToWebview, ViewMessage, ViewState } from './protocol';

export interface ResolvedEndpoint {
  config: EndpointConfig;
  model: string;
}

export interface ChatSessionDeps extends ClientDeps {
  post(message: HostToWebview): void;
  /** Read at every send, so a changed setting applies to the next message without a reload. */
  resolveEndpoint(): Promise<ResolvedEndpoint>;
  describeError(err: unknown): ErrorView;
  newId(): string;
}

interface Turn {
  view: ViewMessage;
  /** The API message behind a user or assistant view message; errors have none. */
  api?: ChatMessage;
}

export interface UserInput {
  /** What the panel shows for the user message. */
  display: string;
  /** What the model receives. */
  content: string | ContentPart[];
  context?: ContextChip[];
}

/**
 * One conversation: its messages, and the request in flight. Posts only what changed to the
 * webview. Free of vscode so it runs under the unit tests with a fake fetch.
 */
export class ChatSession {
  private turns: Turn[] = [];
  private inFlight: { controller: AbortController; requestId: string } | undefined;
  private model = '';

  constructor(private readonly deps: ChatSessionDeps) {}

  get busy(): boolean {
    return !!this.inFlight;
  }

  state(): ViewState {
    return { messages: this.turns.map((t) => t.view), model: this.model };
  }

  apiMessages(): ChatMessage[] {
    return this.turns.flatMap((t) => (t.api ? [t.api] : []));
  }

  async send(input: UserInput): Promise<void> {
    if (this.inFlight) this.stop();
    const user: Turn = {
      view: { id: this.deps.newId(), role: 'user', text: input.display, context: input.context },
      api: { role: 'user', content: input.content },
    };
    this.turns.push(user);
    this.deps.post({ type: 'append', message: user.view });
    await this.run();
  }

  /** Drops the last failed or cut-off answer and asks again. */
  async retry(): Promise<void> {
    if (this.inFlight) return;
    while (this.turns.length && this.turns[this.turns.length - 1].view.role !== 'user') {
      const removed = this.turns.pop()!;
      this.deps.post({ type: 'remove', messageId: removed.view.id });
    }
    if (this.turns.length) await this.run();
  }

  stop(): void {
    this.inFlight?.controller.abort();
  }

  clear(): void {
    this.stop();
    this.turns = [];
    this.deps.post({ type: 'state', state: this.state() });
  }

  private async run(): Promise<void> {
    const controller = new AbortController();
    const requestId = this.deps.newId();
    this.inFlight = { controller, requestId };
    const assistant: ViewMessage = {
      id: this.deps.newId(),
      role: 'assistant',
      text: '',
      status: 'streaming',
      requestId,
    };
    const turn: Turn = { view: assistant };
    const history = this.apiMessages();
    this.turns.push(turn);
    this.deps.post({ type: 'append', message: { ...assistant } });

    let reasoning = '';
    try {
      const endpoint = await this.deps.resolveEndpoint();
      this.model = endpoint.model;
      const events = streamChatCompletion(
        this.deps,
        endpoint.config,
        { model: endpoint.model, messages: history, stream: true },
        controller.signal,
      );
      for await (const event of events) {
        const delta = this.fold(event);
        if (!delta) continue;
        if (delta.content) assistant.text += delta.content;
        if (delta.reasoning) reasoning += delta.reasoning;
        this.deps.post({ type: 'delta', requestId, messageId: assistant.id, ...delta });
      }
      this.finish(turn, reasoning, 'complete');
    } catch (err) {
      if (isAbortError(err) || controller.signal.aborted) {
        this.finish(turn, reasoning, 'stopped');
      } else if (assistant.text || reasoning) {
        // Keep what arrived; mark it so the user can tell and retry.
        this.finish(turn, reasoning, 'incomplete');
        this.pushError(err);
      } else {
        this.turns.splice(this.turns.indexOf(turn), 1);
        this.deps.post({ type: 'remove', messageId: assistant.id });
        this.pushError(err);
      }
    } finally {
      if (this.inFlight?.requestId === requestId) this.inFlight = undefined;
    }
  }

  private fold(event: ChatEvent): { content?: string; reasoning?: string } | undefined {
    // The first choice is the answer; other choices are alternatives the panel will offer later.
    if ('choice' in event && event.choice !== 0) return undefined;
    switch (event.type) {
      case 'content':
        return { content: event.text };
      case 'reasoning':
        return { reasoning: event.text };
      case 'refusal':
        return { content: event.text };
      default:
        return undefined;
    }
  }

  private finish(turn: Turn, reasoning: string, status: 'complete' | 'stopped' | 'incomplete'): void {
    const view = turn.view;
    view.status = status;
    if (reasoning) view.reasoning = reasoning;
    // Earlier reasoning is not re-sent: most providers reject it outside tool turns.
    turn.api = { role: 'assistant', content: view.text };
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

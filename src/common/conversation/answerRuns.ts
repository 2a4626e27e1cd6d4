import type { ChatMessage } from '../endpoint/chatTypes';
import type { ViewMessage } from '../panel/protocol';
import { streamAnswer, type AnswerHost } from './answerStream';
import { compareAnswerView, compareEndpoint } from './compareAnswers';
import { continueHistory } from './continueAnswer';
import type { ResolvedEndpoint } from './sessionDeps';
import type { Turn } from './turn';

/** What starting an answer needs from the conversation, besides what streaming it needs. */
export interface RunHost extends AnswerHost {
  /** What the next request carries (ChatSession.apiMessages). */
  apiMessages(): ChatMessage[];
  /** A new message at the end of the conversation, shown in the panel. */
  append(view: ViewMessage): Turn;
  /** The host persists now. */
  changed(): void;
}

/**
 * The request in flight: the answer (or a compare turn's answers) to the last question started,
 * one Stop for all of them and one of its own for each, and the conversation saved and the host
 * told when they end. The conversation decides when to ask; this is how an ask runs.
 */
export class AnswerRuns {
  private inFlight: { controller: AbortController; requestId: string } | undefined;
  /** Each streaming answer's own Stop, by message id. */
  private readonly answerControllers = new Map<string, AbortController>();

  constructor(private readonly host: RunHost) {}

  get busy(): boolean {
    return !!this.inFlight;
  }

  stop(): void {
    this.inFlight?.controller.abort();
  }

  /** Stops one answer; the others of a compare turn carry on. */
  stopAnswer(messageId: string): void {
    this.answerControllers.get(messageId)?.abort();
  }

  /** One question to several models in parallel, each answer streaming into its own message. */
  async compare(models: string[]): Promise<void> {
    const { deps } = this.host;
    const controller = new AbortController();
    const requestId = deps.newId();
    this.inFlight = { controller, requestId };
    const history = this.host.apiMessages();
    const group = deps.newId();
    const turns = models.map((model) =>
      this.host.append(compareAnswerView(deps.newId(), requestId, group, model)),
    );
    // Saved before anything arrives: the question, and its answers as interrupted, should VS Code go away.
    this.host.changed();
    const profiles = new Set<string | undefined>();
    try {
      await Promise.all(
        turns.map(async (turn, i) => {
          const resolve = compareEndpoint(deps, models[i]);
          profiles.add(await this.stream(turn, history, resolve, controller.signal));
        }),
      );
    } finally {
      if (this.inFlight?.requestId === requestId) this.inFlight = undefined;
      this.host.changed();
      for (const profileId of profiles) deps.onAnswerEnd?.(profileId);
    }
  }

  /** The answer to the last question; with `resume`, Continue: the rest of that answer, into it. */
  async run(resume?: Turn): Promise<void> {
    const { deps } = this.host;
    const controller = new AbortController();
    const requestId = deps.newId();
    this.inFlight = { controller, requestId };
    let history: ChatMessage[];
    let turn: Turn;
    if (resume) {
      history = continueHistory(this.host.apiMessages());
      turn = resume;
      this.host.update(turn.view, { op: 'status', status: 'streaming', requestId });
    } else {
      history = this.host.apiMessages();
      turn = this.host.append({
        id: deps.newId(),
        role: 'assistant',
        text: '',
        status: 'streaming',
        requestId,
      });
    }
    // Saved before anything arrives: the question, and its answer as interrupted (or, continuing,
    // as far as it got), should VS Code go away.
    this.host.changed();
    let profileId: string | undefined;
    try {
      profileId = await this.stream(turn, history, () => deps.resolveEndpoint(), controller.signal, !!resume);
    } finally {
      if (this.inFlight?.requestId === requestId) this.inFlight = undefined;
      this.host.changed();
      deps.onAnswerEnd?.(profileId);
    }
  }

  /** One answer (answerStream.ts), with its own Stop beside the one that stops every answer of the turn. */
  private async stream(
    turn: Turn,
    history: ChatMessage[],
    resolve: () => Promise<ResolvedEndpoint>,
    stopAll: AbortSignal,
    continuing = false,
  ): Promise<string | undefined> {
    const own = new AbortController();
    this.answerControllers.set(turn.view.id, own);
    try {
      return await streamAnswer(
        this.host,
        turn,
        history,
        resolve,
        AbortSignal.any([stopAll, own.signal]),
        continuing,
      );
    } finally {
      this.answerControllers.delete(turn.view.id);
    }
  }
}

import type { ChatEvent } from '../stream/chatEvents';
import { readChatCompletion } from '../endpoint/chatClient';
import type { ChatMessage } from '../endpoint/chatTypes';
import { endpointHost } from '../endpoint/baseUrl';
import { EndpointError, isAbortError } from '../endpoint/endpointError';
import { buildChatRequest, type ChatOptions } from '../endpoint/requestBuilder';
import { DEFAULT_RETRY } from '../endpoint/retryPolicy';
import { TOP_LOGPROBS } from '../logprobs/tokenLogprobs';
import { fitOrRecover, type ContextAttempt } from '../context/contextRecovery';
import { budgetImages } from '../images/imageBudget';
import type { ModelPricing } from '../billing/pricing';
import { identityTranslate } from '../l10n/translate';
import type { MessageOp, PanelOptions, ViewMessage } from '../panel/protocol';
import type { StructuredSchema } from '../structured/structuredTypes';
import { accountAnswer } from './answerAccounting';
import { applyEvent, endedBadly, producedOutput, startAnswer, type UpdateAnswer } from './answerEvents';
import { runEditRounds } from './editRounds';
import type { ChatSessionDeps, ResolvedEndpoint } from './sessionDeps';
import { answerSchema, askedWithSchema, checkStructured } from './structuredAnswer';
import type { Turn } from './turn';

/** What one answer needs from the conversation it streams into (ChatSession). */
export interface AnswerHost {
  readonly deps: ChatSessionDeps;
  /** Applies an update to a message and holds it for the panel (deltaWindow.ts). */
  update(view: ViewMessage, op: MessageOp): void;
  /** The panel's per-chat menu, as it stands now. */
  panelOptions(): PanelOptions;
  /** Structured output: the schema answers are asked with, if it is on. */
  structured(): StructuredSchema | undefined;
  /** The model that answers the conversation (a compare answer's is not it). */
  setModel(model: string): void;
  finish(turn: Turn, status: 'complete' | 'stopped' | 'incomplete'): void;
  /** The answer brought nothing: it goes from the conversation. */
  dropAnswer(turn: Turn): void;
  pushError(err: unknown, compare?: ViewMessage['compare']): void;
}

/** The panel's per-chat menu in the engine's terms. */
export function chatOptions(o: PanelOptions): ChatOptions {
  return {
    ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
    ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}),
    ...(o.reasoningEffort ? { reasoningEffort: o.reasoningEffort } : {}),
    ...(o.jsonMode ? { responseFormat: { type: 'json_object' as const } } : {}),
    ...(o.logprobs ? { logprobs: true, topLogprobs: TOP_LOGPROBS } : {}),
  };
}

/**
 * One request streamed into one answer, however it ends (stopped, cut, failed: said in the
 * conversation, never thrown). Returns the profile it asked. `continuing`: a Continue, which
 * appends to the message and never edits.
 */
export async function streamAnswer(
  host: AnswerHost,
  turn: Turn,
  history: ChatMessage[],
  resolve: () => Promise<ResolvedEndpoint>,
  signal: AbortSignal,
  continuing = false,
): Promise<string | undefined> {
  const { deps } = host;
  const assistant = turn.view;
  const compare = assistant.compare;
  const update: UpdateAnswer = (op) => host.update(assistant, op);
  const answer = startAnswer(assistant);
  const t = deps.t ?? identityTranslate;
  let pricing: Promise<ModelPricing | undefined> | undefined;
  let profileId: string | undefined;
  try {
    const endpoint = await resolve();
    profileId = endpoint.profileId;
    answer.host = endpointHost(endpoint.config.baseUrl);
    for (const text of endpoint.notices ?? []) {
      // A Continue asks with the same settings: said once per answer.
      if (!assistant.notices?.includes(text)) {
        update({ op: 'notice', index: assistant.notices?.length ?? 0, text });
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
    if (!compare) host.setModel(endpoint.model);
    // Looked up while the answer streams; a relay without a price table never holds it up.
    pricing = deps.pricing?.(endpoint.profileId, endpoint.model).catch(() => undefined);
    if (endpoint.imageBudget) history = budgetImages(history, endpoint.imageBudget);
    const options = { ...endpoint.options, ...chatOptions(host.panelOptions()) };
    const maxRetries = endpoint.config.retry?.maxRetries ?? DEFAULT_RETRY.maxRetries;
    const apply = (event: ChatEvent) => applyEvent(event, assistant, answer, update, maxRetries, t);
    const edit = continuing || compare ? undefined : await deps.beginEdit?.(assistant.id);
    const schema = answerSchema(host.structured(), !!edit, assistant, update, t);
    if (edit) {
      await runEditRounds({
        deps,
        edit,
        endpoint,
        history,
        turn,
        answer,
        signal,
        t,
        chatOptions: () => chatOptions(host.panelOptions()),
        update,
        apply,
      });
    } else {
      // The history is fitted to the window; a refusal for length teaches it and asks once more.
      await fitOrRecover(
        { endpoint, history, options, host: answer.host, t, signal },
        (text) => {
          if (!assistant.notices?.includes(text))
            update({ op: 'notice', index: assistant.notices?.length ?? 0, text });
        },
        () => producedOutput(assistant, answer),
        async (attempt: ContextAttempt) => {
          const request = buildChatRequest(
            endpoint.model,
            attempt.messages,
            askedWithSchema(options, schema),
          );
          await readChatCompletion(
            deps,
            endpoint.config,
            request,
            (events) => {
              for (const event of events) apply(event);
            },
            signal,
          );
        },
      );
    }
    await accountAnswer(assistant, history, answer, pricing, update);
    checkStructured(assistant, schema, update, t);
    const failure = endedBadly(assistant, answer);
    if (!failure) {
      host.finish(turn, 'complete');
    } else {
      if (producedOutput(assistant, answer)) host.finish(turn, 'incomplete');
      else host.dropAnswer(turn);
      host.pushError(failure, compare);
    }
  } catch (err) {
    if (producedOutput(assistant, answer)) await accountAnswer(assistant, history, answer, pricing, update);
    if (isAbortError(err) || signal.aborted) {
      host.finish(turn, 'stopped');
    } else if (producedOutput(assistant, answer)) {
      // Keep what arrived; mark it so the user can tell, and retry or continue.
      host.finish(turn, 'incomplete');
      host.pushError(err, compare);
    } else {
      host.dropAnswer(turn);
      host.pushError(err, compare);
    }
  }
  return profileId;
}

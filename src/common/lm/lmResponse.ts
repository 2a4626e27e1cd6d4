/**
 * One language-model request through the engine: the LM messages and tools become a Chat Completions
 * request, streamed with the engine's quirk handling, downgrades and retries; its events become the
 * parts VS Code reports. Reasoning is kept apart: it never enters the answer's text.
 */
import { readChatCompletion, type ClientDeps, type EndpointConfig } from '../endpoint/chatClient';
import { endpointHost } from '../endpoint/baseUrl';
import { EndpointError } from '../endpoint/endpointError';
import { buildChatRequest, type ChatOptions } from '../endpoint/requestBuilder';
import type { ChatEvent } from '../stream/chatEvents';
import {
  toChatMessages,
  toChatTools,
  toLmToolCall,
  toToolChoice,
  type LmMessage,
  type LmTool,
  type LmToolCall,
} from './lmMessages';

export type LmResponsePart = { type: 'text'; text: string } | { type: 'toolCall'; call: LmToolCall };

export interface LmRequest {
  model: string;
  messages: readonly LmMessage[];
  tools?: readonly LmTool[];
  toolMode?: number;
  /** The caller's `modelOptions`: sent as given, in wire names (`temperature`, `top_p`…). */
  modelOptions?: Readonly<Record<string, unknown>>;
}

export interface LmResponseSink {
  part(part: LmResponsePart): void;
  /** Reasoning, downgrade notices and retries: for the log, not for the answer. */
  aside?(event: ChatEvent): void;
}

export async function runLmRequest(
  deps: ClientDeps,
  config: EndpointConfig,
  options: ChatOptions,
  request: LmRequest,
  sink: LmResponseSink,
  signal?: AbortSignal,
): Promise<void> {
  const tools = toChatTools(request.tools);
  const built = buildChatRequest(request.model, toChatMessages(request.messages), {
    ...options,
    // The panel's own choices (logprobs, n, a response format) are not the caller's to receive.
    n: undefined,
    logprobs: undefined,
    topLogprobs: undefined,
    responseFormat: undefined,
    tools,
    toolChoice: toToolChoice(request.toolMode, request.tools),
  });
  // Over the built request, so a caller's `temperature` wins; the client fits it to the model again.
  const body = { ...built, ...request.modelOptions };
  let sentAny = false;
  const onEvents = (events: readonly ChatEvent[]) => {
    for (const event of events) {
      if ('choice' in event && event.choice !== 0) continue;
      switch (event.type) {
        case 'content':
          if (event.text) {
            sentAny = true;
            sink.part({ type: 'text', text: event.text });
          }
          break;
        case 'refusal':
          sentAny = true;
          sink.part({ type: 'text', text: event.text });
          break;
        case 'toolCalls':
          for (const call of event.calls) {
            sentAny = true;
            sink.part({ type: 'toolCall', call: toLmToolCall(call) });
          }
          break;
        // A stream that began mid-thought (contentWasReasoning) cannot take back what was reported.
        case 'contentWasReasoning':
        case 'reasoning':
        case 'notice':
        case 'retrying':
          sink.aside?.(event);
          break;
        default:
          break;
      }
    }
  };
  await readChatCompletion(deps, config, body, onEvents, signal);
  if (!sentAny) {
    throw new EndpointError({
      kind: 'stream',
      host: endpointHost(config.baseUrl),
      hint: 'emptyAnswer',
      serverMessage: 'The model sent no text and no tool call.',
    });
  }
}

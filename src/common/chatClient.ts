import { chatCompletionsUrl, endpointHost, modelsUrl } from './baseUrl';
import type { ChatEvent } from './chatEvents';
import type { ChatCompletionRequest } from './chatTypes';
import {
  EndpointError,
  errorFromNetwork,
  errorFromResponse,
  isAbortError,
  parseErrorBody,
} from './endpointError';
import { decodeSse } from './sseDecoder';
import { StreamAssembler } from './streamAssembler';

export interface EndpointConfig {
  baseUrl: string;
  /** Optional: Ollama, LM Studio and local servers need none. */
  apiKey?: string;
  headers?: Record<string, string>;
}

export interface ClientDeps {
  fetch: typeof fetch;
}

function requestHeaders(config: EndpointConfig, accept: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: accept,
    ...config.headers,
  };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
  return headers;
}

async function send(deps: ClientDeps, url: string, host: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await deps.fetch(url, init);
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw errorFromNetwork(host, err);
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    throw errorFromResponse(host, response.status, response.headers, body);
  }
  return response;
}

/**
 * Streams one chat completion as ChatEvents. Throws EndpointError for anything the user must see
 * (HTTP errors, unreachable hosts, an error object inside a 200 stream); an AbortError when the
 * caller's signal fires.
 */
export async function* streamChatCompletion(
  deps: ClientDeps,
  config: EndpointConfig,
  request: ChatCompletionRequest,
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  const host = endpointHost(config.baseUrl);
  const response = await send(deps, chatCompletionsUrl(config.baseUrl), host, {
    method: 'POST',
    headers: requestHeaders(config, 'text/event-stream, application/json'),
    body: JSON.stringify({ ...request, stream: true }),
    signal,
  });
  const assembler = new StreamAssembler();
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('event-stream') && response.body) {
    // A server that ignores `stream: true` answers with one JSON object.
    const text = await response.text();
    yield* assembler.push(parseJsonPayload(host, text, response.headers));
    yield* assembler.end();
    return;
  }
  if (!response.body)
    throw new EndpointError({
      kind: 'stream',
      host,
      hint: 'badResponse',
      serverMessage: 'Empty response body.',
    });
  for await (const message of decodeSse(response.body)) {
    const data = message.data.trim();
    if (!data) continue;
    if (data === '[DONE]') break;
    yield* assembler.push(parseJsonPayload(host, data, response.headers));
  }
  yield* assembler.end();
}

function parseJsonPayload(host: string, data: string, headers: Headers): unknown {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new EndpointError({
      kind: 'stream',
      host,
      hint: 'badResponse',
      serverMessage: `Unreadable data from the server: ${data.slice(0, 200)}`,
    });
  }
  // An error object inside a 200 stream (relays do this when the upstream fails mid-request).
  if (value && typeof value === 'object' && 'error' in value && !('choices' in value)) {
    const parsed = parseErrorBody(data);
    const status = Number((value as { error?: { status?: unknown } }).error?.status) || undefined;
    throw new EndpointError({
      kind: 'stream',
      host,
      status,
      serverMessage: parsed.message,
      errorType: parsed.type,
      errorCode: parsed.code,
      requestId: headers.get('x-request-id') ?? undefined,
      hint: 'server',
    });
  }
  return value;
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
}

export async function listModels(
  deps: ClientDeps,
  config: EndpointConfig,
  signal?: AbortSignal,
): Promise<ModelInfo[]> {
  const host = endpointHost(config.baseUrl);
  const response = await send(deps, modelsUrl(config.baseUrl), host, {
    method: 'GET',
    headers: requestHeaders(config, 'application/json'),
    signal,
  });
  const body = (await response.json().catch(() => undefined)) as
    { data?: unknown; models?: unknown } | undefined;
  const list = Array.isArray(body?.data) ? body.data : Array.isArray(body?.models) ? body.models : undefined;
  if (!list) {
    throw new EndpointError({
      kind: 'http',
      host,
      status: response.status,
      hint: 'badResponse',
      serverMessage: 'The model list has no "data" array.',
    });
  }
  return list
    .map((m) =>
      typeof m === 'string'
        ? { id: m }
        : { id: String((m as { id?: unknown }).id ?? ''), ownedBy: (m as { owned_by?: string }).owned_by },
    )
    .filter((m) => m.id);
}

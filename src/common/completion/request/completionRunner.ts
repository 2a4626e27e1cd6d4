import { endpointHost } from '../../endpoint/baseUrl';
import type { Usage } from '../../endpoint/chatTypes';
import { errorFromNetwork, errorFromResponse, EndpointError } from '../../endpoint/endpointError';
import type { CompleteFn, CompletionPrompt, CompletionResult } from '../engine/types';
import { buildCompletionRequest } from './completionBodies';
import type { CompletionLadder } from './completionLadder';
import type { CompletionMode } from './completionMode';
import { CompletionStreamDecoder, parseCompletionBody } from './completionResponse';
import { probeSuffix, type SuffixProbeResult } from './suffixProbe';

/**
 * One completion request over the network, in the mode the endpoint's ladder chose: the suffix
 * probe first where nobody has checked what the server does with `suffix`, the body for the mode,
 * the streamed answer read piece by piece. A refusal of the mode steps the ladder down and asks
 * once more in the next mode; any other failure is thrown for the engine to count.
 */

export interface RunnerEndpoint {
  baseUrl: string;
  model: string;
  /** Authorization and the profile's extra headers. */
  headers: Record<string, string>;
}

export interface RunnerDeps {
  fetch: typeof fetch;
  endpoint: RunnerEndpoint;
  ladder: CompletionLadder;
  /** Something the user should know, said once per change (a step down, no mode left). */
  notice?(text: string, nowUsing: CompletionMode | undefined): void;
  /** The suffix probe ran: its two requests cost tokens too. */
  probed?(result: SuffixProbeResult): void;
}

/** Tokens a completion may take: one line needs few; a block a few lines more. */
export const MAX_TOKENS = { line: 64, block: 256 } as const;

export function completionRunner(deps: RunnerDeps): CompleteFn {
  let probing: Promise<unknown> | undefined;
  return async (prompt, signal, onText) => {
    let decision = deps.ladder.decision();
    if (decision.probeNeeded) {
      // Two tiny requests, once per endpoint and model, shared by the keystrokes that wait for it.
      probing ??= probeSuffix({
        fetch: deps.fetch,
        baseUrl: deps.endpoint.baseUrl,
        model: deps.endpoint.model,
        headers: deps.endpoint.headers,
      })
        .then((result) => {
          deps.probed?.(result);
          return deps.ladder.probed(result);
        })
        .finally(() => (probing = undefined));
      await probing;
      decision = deps.ladder.decision();
    }
    for (let attempt = 0; ; attempt++) {
      const mode = decision.mode;
      if (!mode) throw new NoModeError(deps.ladder.describe().join(' '));
      try {
        return await once(deps, mode, decision.family, prompt, signal, onText);
      } catch (err) {
        if (attempt > 0 || !(err instanceof EndpointError)) throw err;
        const next = await deps.ladder.failed(mode, err);
        if (!next) throw err;
        deps.notice?.(
          next.mode ? `${mode} refused; using ${next.mode}` : `${mode} refused; no mode left`,
          next.mode,
        );
        decision = next;
      }
    }
  };
}

/** No way to ask this endpoint for a completion is left (every mode refused, or a forced one unusable). */
export class NoModeError extends Error {}

async function once(
  deps: RunnerDeps,
  mode: CompletionMode,
  family: Parameters<typeof buildCompletionRequest>[3]['family'],
  prompt: CompletionPrompt,
  signal: AbortSignal,
  onText?: (piece: string) => void,
): Promise<CompletionResult> {
  // A chat model fills one line at most, whatever the editor would take.
  const multiline = prompt.multiline && mode !== 'chat';
  const request = buildCompletionRequest(mode, deps.endpoint.baseUrl, prompt, {
    model: deps.endpoint.model,
    maxTokens: multiline ? MAX_TOKENS.block : MAX_TOKENS.line,
    temperature: 0.2,
    stream: true,
    ...(family ? { family } : {}),
    ...(multiline ? {} : { stop: ['\n'] }),
  });
  const host = endpointHost(deps.endpoint.baseUrl);
  let response: Response;
  try {
    response = await deps.fetch(request.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...deps.endpoint.headers },
      body: JSON.stringify(request.body),
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw errorFromNetwork(host, err);
  }
  if (!response.ok) throw errorFromResponse(host, response.status, response.headers, await response.text());
  // A server that ignores `stream` answers with one JSON body.
  if (/application\/json/i.test(response.headers.get('content-type') ?? '')) {
    const whole = parseCompletionBody(host, await response.text());
    if (whole.text) onText?.(whole.text);
    return resultOf(whole.text, whole.usage);
  }
  const decoder = new CompletionStreamDecoder(host);
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const piece = decoder.push(value);
      if (piece) onText?.(piece);
      if (decoder.done) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
  }
  const tail = decoder.end();
  if (tail) onText?.(tail);
  return resultOf(decoder.text, decoder.usage);
}

function resultOf(text: string, usage: Usage | undefined): CompletionResult {
  return {
    text,
    ...(usage && usage.prompt_tokens !== undefined
      ? { usage: { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens ?? 0 } }
      : {}),
  };
}

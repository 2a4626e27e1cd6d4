// One request to the chat completions endpoint, start to end: the first-byte and idle timers, the
// body read loop and the decision whether the stream was cut or complete. readChatCompletion
// (chatClient.ts) decides around it what to retry, downgrade or say; this file only runs one try.
import type { ChatEvent } from '../stream/chatEvents';
import type { ChatCompletionRequest } from './chatTypes';
import { EndpointError, errorFromNetwork, errorFromResponse, isAbortError } from './endpointError';
import { readableBody } from './responseBody';
import { abortError, type Clock, type TimeoutOptions } from './retryPolicy';
import { ChatStreamDecoder } from '../stream/sseDecoder';

/**
 * Where `readChatCompletion` delivers: the events of one network read (or one notice of the
 * client's own), in order, called synchronously from the read loop. The array is the client's and
 * is reused once the call returns. Returning `false` ends the stream there, as `break` ends a
 * `for await` loop: the connection is closed and nothing more is read or retried. A promise holds
 * the next read back until it settles.
 */
export type ChatEventSink = (events: readonly ChatEvent[]) => void | boolean | Promise<void | boolean>;

/** What the sink threw: the caller's own error, never taken for the endpoint's (or retried). */
export class SinkError {
  constructor(readonly error: unknown) {}
}

/**
 * The sink's answer to one batch: true to read on. Its errors come out as SinkError. A sink that
 * returns nothing costs no promise.
 */
function handOver(sink: ChatEventSink, events: readonly ChatEvent[]): boolean | Promise<boolean> {
  let answer: ReturnType<ChatEventSink>;
  try {
    answer = sink(events);
  } catch (err) {
    throw new SinkError(err);
  }
  if (answer === undefined || typeof answer === 'boolean') return answer !== false;
  return answer.then(
    (more) => more !== false,
    (err: unknown) => {
      throw new SinkError(err);
    },
  );
}

/**
 * One request, start to end: timers, the body read loop, and the cut/complete decision. Hands the
 * events of each network read to `sink` together (the array is reused once it returns), so a read
 * costs one await, the read itself.
 */
export async function attemptOnce(
  client: { fetch: typeof fetch },
  url: string,
  host: string,
  headers: Record<string, string>,
  body: ChatCompletionRequest,
  clock: Clock,
  timeouts: TimeoutOptions,
  signal: AbortSignal | undefined,
  sink: ChatEventSink,
  onAccepted: () => Promise<void>,
): Promise<void> {
  // Our own controller: timeouts abort the socket too, and a consumer that stops reading early
  // (break, return) must not leave the connection open.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) throw abortError(signal);
  signal?.addEventListener('abort', onAbort, { once: true });
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Not every fetch errors its body on abort; cancelling the reader ends a pending read anywhere.
  controller.signal.addEventListener('abort', () => reader?.cancel().catch(() => undefined), { once: true });
  let timedOut: 'firstByte' | 'idle' | undefined;
  let timer: unknown;
  const arm = (which: 'firstByte' | 'idle', ms: number) => {
    clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      timedOut = which;
      controller.abort();
    }, ms);
  };
  const timeoutError = () =>
    new EndpointError({
      kind: 'timeout',
      host,
      hint: 'timeout',
      serverMessage:
        timedOut === 'firstByte'
          ? `No response within ${Math.round(timeouts.firstByteMs / 1000)} s.`
          : `No data for ${Math.round(timeouts.idleMs / 1000)} s.`,
    });
  const stopped = () => (signal?.aborted ? abortError(signal) : timedOut ? timeoutError() : undefined);
  // The body's idle timer outlives a read and looks at the pending one when it fires: setting and
  // clearing a timer around every read cost the host more than decoding the read. With no read
  // pending it lapses, and the next read sets it again (a consumer that walks away leaves no timer).
  let readSince: number | undefined;
  let watching = false;
  const watchIdle = (ms: number) => {
    timer = clock.setTimeout(() => {
      if (readSince === undefined) return void (watching = false);
      const quiet = clock.now() - readSince;
      if (quiet < timeouts.idleMs) return watchIdle(timeouts.idleMs - quiet);
      timedOut = 'idle';
      controller.abort();
    }, ms);
  };
  const startRead = () => {
    if (!watching) {
      watching = true;
      clock.clearTimeout(timer);
      watchIdle(timeouts.idleMs);
    }
    readSince = clock.now();
  };
  const timedRead = async (r: ReadableStreamDefaultReader<Uint8Array>) => {
    startRead();
    try {
      return await r.read();
    } finally {
      readSince = undefined;
    }
  };

  try {
    arm('firstByte', timeouts.firstByteMs);
    let response: Response;
    try {
      response = await abortable(
        client.fetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ ...body, stream: body.stream !== false }),
          signal: controller.signal,
        }),
        controller.signal,
      );
    } catch (err) {
      throw stopped() ?? (isAbortError(err) ? err : errorFromNetwork(host, err));
    }
    if (!response.ok) {
      arm('idle', timeouts.idleMs);
      const text = await response.text().catch(() => '');
      throw stopped() ?? errorFromResponse(host, response.status, response.headers, text);
    }
    clock.clearTimeout(timer);
    await onAccepted();
    if (!response.body) {
      throw new EndpointError({
        kind: 'stream',
        host,
        hint: 'badResponse',
        serverMessage: 'Empty response body.',
      });
    }

    const decoder = new ChatStreamDecoder(host, response.headers);
    const out: ChatEvent[] = [];
    let source: ReadableStream<Uint8Array>;
    try {
      source = await readableBody(response.body, response.headers, timedRead);
    } catch (err) {
      throw stopped() ?? err;
    }
    reader = source.getReader();
    if (controller.signal.aborted) throw stopped() ?? abortError(controller.signal);
    const isSse = (response.headers.get('content-type') ?? '').includes('event-stream');
    let whole = isSse ? undefined : '';
    const text = isSse ? undefined : new TextDecoder();
    let shown = false;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      // timedRead's steps in line: one async function less per read.
      startRead();
      try {
        chunk = await reader.read();
      } catch (err) {
        throw stopped() ?? cutError(host, shown, err);
      } finally {
        readSince = undefined;
      }
      if (chunk.done) break;
      if (text) {
        whole += text.decode(chunk.value, { stream: true });
        continue;
      }
      // What a read decoded before an error in it still goes out first: the text stays on screen.
      const failed = decoder.read(chunk.value, out);
      if (out.length) {
        shown = true;
        const more = handOver(sink, out);
        if (more !== true && !(await more)) return;
        out.length = 0;
      }
      if (failed) throw failed;
      if (decoder.done) break;
    }
    const failure = stopped();
    if (failure) throw failure;
    const failed = decoder.finish(out, whole === undefined ? undefined : whole + text!.decode());
    if (out.length) {
      shown = true;
      const more = handOver(sink, out);
      if (more !== true && !(await more)) return;
    }
    if (failed) throw failed;
    if (!decoder.complete) throw cutError(host, shown, undefined, decoder.truncated);
  } finally {
    clock.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // Ends the socket (and the reader, above) when we stop early; a no-op after a clean end.
    controller.abort();
  }
}

function cutError(host: string, shown: boolean, cause?: unknown, truncated = false): EndpointError {
  return new EndpointError({
    kind: 'stream',
    host,
    hint: 'streamCut',
    serverMessage: shown
      ? 'The connection closed before the answer was complete.'
      : truncated
        ? 'The connection closed in the middle of a message.'
        : 'The connection closed before any answer arrived.',
    cause,
  });
}

/** Rejects as soon as `signal` fires, even if a fetch implementation ignores it. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

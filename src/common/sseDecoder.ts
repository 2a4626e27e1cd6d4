import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

async function* iterateBytes(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in source) {
    yield* source as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Frames a byte stream into SSE messages. `eventsource-parser` does the framing (CRLF, comments,
 * `event:` lines, `data:` with or without a space); a streaming TextDecoder keeps multi-byte
 * characters intact across network reads. A server that closes without a final blank line still
 * has its last event delivered.
 */
export async function* decodeSse(source: ByteSource): AsyncGenerator<EventSourceMessage> {
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const decoder = new TextDecoder('utf-8');
  for await (const bytes of iterateBytes(source)) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    while (pending.length) yield pending.shift()!;
  }
  const tail = decoder.decode();
  if (tail) parser.feed(tail);
  parser.reset({ consume: true });
  while (pending.length) yield pending.shift()!;
}

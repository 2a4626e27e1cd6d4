/**
 * The response body as a byte stream the decoder can read. Node's fetch undoes
 * `Content-Encoding: gzip` itself, but other fetch implementations (and some proxies that gzip
 * an SSE stream without saying so consistently) hand over the compressed bytes; those are
 * recognised by the gzip magic number rather than the header, which Node leaves in place.
 */
export async function readableBody(
  body: ReadableStream<Uint8Array>,
  headers: Headers,
  read: (reader: ReadableStreamDefaultReader<Uint8Array>) => Promise<ReadableStreamReadResult<Uint8Array>>,
): Promise<ReadableStream<Uint8Array>> {
  const encoding = headers.get('content-encoding') ?? '';
  if (!/gzip/i.test(encoding)) return body;
  const reader = body.getReader();
  const first = await read(reader);
  let replayed = first.done;
  const replay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = replayed ? await reader.read() : first;
      replayed = true;
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const compressed =
    !first.done && first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b;
  if (!compressed) return replay;
  // DOM typings declare the writable side as BufferSource; Uint8Array chunks are what it takes.
  const gunzip = new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
  return replay.pipeThrough(gunzip);
}

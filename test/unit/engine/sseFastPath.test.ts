/**
 * The decoder takes shortcuts (its own framing for plain `data: {json}` events, and no JSON.parse
 * for chunks in a learnt layout). These tests hold it to the plain path: eventsource-parser for
 * framing, JSON.parse for every payload, the assembler for folding, whatever the stream mixes.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ChatEvent } from '../../../src/common/stream/chatEvents';
import { streamChatCompletion } from '../../../src/common/endpoint/chatClient';
import { decodePieces, plainPath, splitAt, type Outcome } from './streamHarness';

const reference = plainPath;

const outcome = (o: Outcome) => ({ events: o.events, error: o.error?.hint });

const ID = 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT';
const head = (id = ID) =>
  `{"id":"${id}","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o",` +
  `"system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":`;
const TAIL = '},"logprobs":null,"finish_reason":null}]';

/** A content chunk in the usual layout, its content string written as `literal`. */
const chunk = (literal: string, id = ID, padding?: string) =>
  head(id) + literal + TAIL + (padding === undefined ? '}' : `,"obfuscation":${JSON.stringify(padding)}}`);

/** Every character as a \u escape: the same string, written the long way. */
const escaped = (s: string) =>
  '"' +
  Array.from(s, (c) =>
    [...c].map((u) => '\\u' + u.charCodeAt(0).toString(16).padStart(4, '0')).join(''),
  ).join('') +
  '"';

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      '"',
      '\\',
      '\n',
      'é',
      '😀',
      '<think>',
      '</think>',
      ' <thi',
      '"},"logprobs":null',
      '","refusal":"x',
      '\u2028',
    ),
  },
);

/** Payloads: mostly the usual layout (so the fast path learns and takes it), then everything else. */
const payload: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: text.map((t) => chunk(JSON.stringify(t))) },
  { weight: 3, arbitrary: text.map((t) => chunk(escaped(t))) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(text, fc.string({ unit: 'binary', maxLength: 6 }))
      .map(([t, p]) => chunk(JSON.stringify(t), ID, p)),
  },
  { weight: 2, arbitrary: text.map((t) => chunk(JSON.stringify(t), 'chatcmpl-other')) },
  // Text in the content hole that is not one string: other fields, bad escapes, raw controls.
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '"a","refusal":"no"',
        '"a","content":"b"',
        '"a\\"',
        '"\\x41"',
        '"a\u0001"',
        '"a" ',
        'null',
        '1',
      )
      .map((raw) => chunk(raw)),
  },
  {
    weight: 1,
    arbitrary: text.map((t) =>
      JSON.stringify({ id: ID, choices: [{ index: 0, delta: { content: t, reasoning_content: 'r' } }] }),
    ),
  },
  {
    weight: 1,
    arbitrary: text.map((t) =>
      JSON.stringify({
        id: ID,
        choices: [{ index: 0, delta: { content: t }, extra: { content: t.length ? 'same' : '' } }],
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      JSON.stringify({ choices: [{ index: 1, delta: { content: 'second choice' } }] }),
      JSON.stringify({
        choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{' } }] } }],
      }),
      JSON.stringify({ choices: [{ index: 0, delta: { content: null, refusal: 'no' } }] }),
      JSON.stringify({ choices: [{ index: 0, delta: { content: 'x' }, logprobs: { content: [] } }] }),
      JSON.stringify({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }),
      '{"choices":[{"index":0,"delta":{"content" : "spaced"}}]}',
      '{"choices":[{"index":0,"delta":{"content":"dup","content":"last wins"}}]}',
      JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
    ),
  },
);

type Ending = '\n' | '\r\n' | '\r';

/** One SSE event carrying `data`, framed one of the ways the spec allows. */
const framed = fc
  .tuple(
    fc.constantFrom('plain', 'plain', 'plain', 'nospace', 'event', 'id', 'comment', 'retry', 'multiline'),
    fc.constantFrom<Ending>('\n', '\n', '\n', '\n', '\r\n', '\r'),
    fc.boolean(),
  )
  .map(([shape, eol, keepAlive]) => (data: string) => {
    const lines =
      shape === 'multiline'
        ? JSON.stringify(JSON.parse(data) as unknown, null, 1)
            .split('\n')
            .map((l) => `data: ${l}`)
        : [shape === 'nospace' ? `data:${data}` : `data: ${data}`];
    if (shape === 'event') lines.unshift('event: message');
    if (shape === 'id') lines.push('id: 7');
    if (shape === 'comment') lines.splice(0, 0, ': relay note');
    if (shape === 'retry') lines.unshift('retry: 1000');
    const block = lines.join(eol) + eol + eol;
    return keepAlive ? `: keep-alive${eol}${eol}${block}` : block;
  });

const stream = fc
  .array(
    fc.tuple(payload, framed).map(([data, frame]) => {
      try {
        return frame(data);
      } catch {
        return `data: ${data}\n\n`; // not JSON, so not pretty-printable: sent on one line
      }
    }),
    { minLength: 1, maxLength: 30 },
  )
  .chain((events) =>
    fc.tuple(fc.constant(events.join('')), fc.constantFrom('data: [DONE]\n\n', 'data: [DONE]\r\n\r\n', '')),
  )
  .map(([body, done]) => body + done);

/**
 * Families of payloads that look like a learnable layout but are not one, each a trap for a
 * shortcut that checks too little. A stream draws from one family, so the trap gets learnt first.
 */
const traps: fc.Arbitrary<string>[] = [
  // The tail changes: a finish_reason, another field next to the content.
  fc.constantFrom(
    chunk('"a"'),
    chunk('"b"'),
    head() + '"c"},"logprobs":null,"finish_reason":"stop"}]}',
    head() + '"d","refusal":"r"' + TAIL + '}',
    // As long as the usual tail, so only comparing it tells them apart.
    head() + '"e"},"logprobs":null,"finish_reason":"ab"}]}',
  ),
  // Padding that is more than one plain string: a second `choices` would replace the first.
  fc.constantFrom(
    chunk('"a"', ID, 'p1'),
    chunk('"b"', ID, 'p2'),
    head() + '"c"' + TAIL + ',"obfuscation":"p","choices":[],"z":"w"}',
    head() + '"d"' + TAIL + ',"obfuscation":"p\\"","choices":[],"z":"w"}',
  ),
  // A content key that is not the choice's content, equal to it now and then.
  fc
    .constantFrom('same', 'same', 'other', 'zzz')
    .map((e) =>
      JSON.stringify({ id: ID, choices: [{ index: 0, delta: { content: 'same' }, extra: { content: e } }] }),
    ),
  // Something besides content in the delta, before it in the text.
  fc
    .constantFrom('x', 'y', 'z')
    .map((t) => JSON.stringify({ choices: [{ index: 0, delta: { refusal: 'no', content: t } }] })),
  fc
    .constantFrom('x', 'y', 'z')
    .map((t) => JSON.stringify({ choices: [{ index: 0, delta: { reasoning: 'r', content: t } }] })),
  // A second choice after the content, another choice index, a usage block after the choices.
  fc.constantFrom('x', 'y', 'z').map((t) =>
    JSON.stringify({
      choices: [
        { index: 0, delta: { content: t } },
        { index: 1, delta: { refusal: 'r' } },
      ],
    }),
  ),
  fc
    .constantFrom('x', 'y', 'z')
    .map((t) => JSON.stringify({ choices: [{ index: 2, delta: { content: t } }] })),
  fc
    .constantFrom('x', 'y', 'z')
    .map((t) => chunk(JSON.stringify(t)).slice(0, -1) + ',"usage":{"total_tokens":1}}'),
];

describe('decoder fast paths against the plain path', () => {
  it('payloads that resemble a layout but are not one (property)', () => {
    const trapStream = fc
      .oneof(...traps.map((family) => fc.array(family, { minLength: 3, maxLength: 12 })))
      .map((ps) => ps.map((p) => `data: ${p}\n\n`).join(''));
    fc.assert(
      fc.property(trapStream, (sse) => {
        assert.deepEqual(outcome(decodePieces([new TextEncoder().encode(sse)])), reference(sse));
      }),
      { numRuns: 400 },
    );
  });

  it('mixed framing and layouts: any split gives what eventsource-parser + JSON.parse give (property)', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (sse, cuts) => {
        const bytes = new TextEncoder().encode(sse);
        const expected = reference(sse);
        const offsets = cuts.map((c) => c % (bytes.length + 1));
        assert.deepEqual(outcome(decodePieces(splitAt(bytes, offsets))), expected);
        assert.deepEqual(outcome(decodePieces([bytes])), expected);
      }),
      { numRuns: 400 },
    );
  });

  it('plain LF `data:` events only: the same, one byte at a time (property)', () => {
    const plain = fc
      .array(payload, { minLength: 2, maxLength: 40 })
      .map((ps) => ps.map((p) => `data: ${p}\n\n`).join('') + 'data: [DONE]\n\n');
    fc.assert(
      fc.property(plain, (sse) => {
        const bytes = new TextEncoder().encode(sse);
        const pieces = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
        assert.deepEqual(outcome(decodePieces(pieces)), reference(sse));
      }),
      { numRuns: 150 },
    );
  });

  it('parses only the first chunks of a long answer in one layout', () => {
    const parts = Array.from({ length: 200 }, (_, i) => `data: ${chunk(JSON.stringify(`word ${i} `))}\n\n`);
    const sse =
      parts.join('') +
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;
    const parse = JSON.parse;
    let calls = 0;
    JSON.parse = ((...args: Parameters<typeof parse>) => {
      calls++;
      return parse(...args) as unknown;
    }) as typeof JSON.parse;
    let result: Outcome;
    try {
      result = decodePieces([new TextEncoder().encode(sse)]);
    } finally {
      JSON.parse = parse;
    }
    assert.ok(calls <= 4, `${calls} JSON.parse calls for 201 chunks`);
    assert.deepEqual(outcome(result), reference(sse));
  });

  it('learns a layout with OpenAI obfuscation padding, and content with escapes', () => {
    const parts = Array.from(
      { length: 50 },
      (_, i) => `data: ${chunk(JSON.stringify(`line ${i}\n\t"q" \\ é`), ID, `pad${i * 31}`)}\n\n`,
    );
    const sse = parts.join('') + 'data: [DONE]\n\n';
    const result = outcome(decodePieces([new TextEncoder().encode(sse)]));
    assert.deepEqual(result, reference(sse));
    assert.equal(result.events.filter((e) => e.type === 'content').length, 50);
  });

  it('a chunk in the learnt layout whose hole holds more than a string goes the general way', () => {
    const sse = [chunk('"a"'), chunk('"b"'), chunk('"c"'), chunk('"d","refusal":"I cannot"'), chunk('"e\\"')]
      .map((p) => `data: ${p}\n\n`)
      .join('');
    const result = decodePieces([new TextEncoder().encode(sse)]);
    const kinds = result.events.map((e) => (e.type === 'content' || e.type === 'refusal' ? e.text : e.type));
    assert.deepEqual(kinds, ['meta', 'a', 'b', 'c', 'd', 'I cannot']);
    assert.equal(result.error?.hint, 'badResponse');
  });

  it("the client's read loop over a real body yields the same events", async () => {
    const sse = Array.from({ length: 30 }, (_, i) => `data: ${chunk(JSON.stringify(`w${i}`))}\n\n`).join('');
    const bytes = new TextEncoder().encode(sse + 'data: [DONE]\n\n');
    const events: ChatEvent[] = [];
    const pieces = splitAt(bytes, [7, 100, 101, 2000]);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(piece);
        controller.close();
      },
    });
    const fetch = async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    const request = { model: 'm', messages: [] };
    for await (const e of streamChatCompletion({ fetch }, { baseUrl: 'http://127.0.0.1:1/v1' }, request)) {
      events.push(e);
    }
    assert.deepEqual(events, reference(sse).events);
  });
});

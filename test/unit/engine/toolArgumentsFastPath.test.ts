/**
 * The decoder reads a tool call's argument fragments without JSON.parse once a chunk layout is
 * learnt (ChunkLayouts). These tests hold that shortcut to the plain path (eventsource-parser,
 * JSON.parse of every payload, the assembler) on recorded tool-call chunks and on generated ones:
 * fragments with escapes, unicode, U+2028, every way of writing a string literal; layouts in other
 * key orders, with extra fields and padding; chunks that look like the layout but are not one; and
 * malformed ones.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodePieces, plainPath, splitAt, STREAMS, type Outcome } from './streamHarness';

const outcome = (o: Outcome) => ({ events: o.events, error: o.error?.hint });
const encode = (s: string) => new TextEncoder().encode(s);
const sse = (payloads: readonly string[], done = true) =>
  payloads.map((p) => `data: ${p}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');

/** The decoder over `text` in the given pieces gives what the plain path gives. */
function assertSame(text: string, cuts: number[] = []): void {
  const bytes = encode(text);
  const expected = plainPath(text);
  assert.deepEqual(outcome(decodePieces([bytes])), expected);
  if (cuts.length) {
    const offsets = cuts.map((c) => c % (bytes.length + 1));
    assert.deepEqual(outcome(decodePieces(splitAt(bytes, offsets))), expected);
  }
}

/** Counts the JSON.parse calls that parse a whole chunk (not a string literal). */
function countingChunkParses<T>(run: () => T): { result: T; parses: number } {
  const parse = JSON.parse;
  let parses = 0;
  JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
    if (text.startsWith('{')) parses++;
    return parse(text, reviver) as unknown;
  }) as typeof JSON.parse;
  try {
    return { result: run(), parses };
  } finally {
    JSON.parse = parse;
  }
}

// ---- String literals: one text, written every way JSON allows (and a few ways it does not) ----

const hex = (c: string, upper: boolean) => {
  const h = c.charCodeAt(0).toString(16).padStart(4, '0');
  return '\\u' + (upper ? h.toUpperCase() : h);
};

/** `text` as a JSON string literal, each character written by `style` (0 shortest, 1 \u, 2 \/ and upper-case \u). */
function literal(text: string, styles: readonly number[]): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const style = styles.length ? styles[i % styles.length] : 0;
    if (style === 1) out += hex(c, false);
    else if (style === 2 && c === '/') out += '\\/';
    else if (style === 2 && c.charCodeAt(0) < 0x80 && /[a-z]/i.test(c)) out += hex(c, true);
    else out += JSON.stringify(c).slice(1, -1);
  }
  return out + '"';
}

const fragmentText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '',
      '"',
      '\\',
      '\\"',
      '{"path":"src/a.ts","new_text":"',
      'line 1\nline 2\r\n\t',
      '\u2028\u2029',
      '\u0000\u001f',
      'é中文😀',
      '\ud83d',
      '\ude00',
      '"arguments":"',
      '"},"logprobs":null',
      '","name":"x',
      '/* a/b */',
      '</script>',
    ),
  },
);

const styles = fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2), { maxLength: 6 });

/** A hole that is not one well-formed string literal. */
const malformedHole = fc.constantFrom(
  '"a"b"',
  '"a\u0001"',
  '"\\x41"',
  '"\\u12G4"',
  '"\\u12"',
  '"abc\\"',
  '"\\',
  '"a\nb"',
  'null',
  '5',
  '"a" "b"',
);

// ---- Chunk layouts: key orders, extra fields, padding ----

interface Layout {
  top: 'openai' | 'choicesFirst' | 'bare' | 'extras';
  choice: 'openai' | 'reordered' | 'noIndex' | 'second';
  delta: 'plain' | 'roleNulls' | 'refusalNull';
  item: 'plain' | 'indexLast' | 'idName' | 'nameAfter' | 'spaced' | 'typeOnly';
  padded: boolean;
}

/** Variations on one layout: each either folds the same way or must fall back. */
interface Variation {
  index?: string;
  choiceIndex?: string;
  finish?: string;
  logprobs?: string;
  deltaExtra?: string;
  itemExtra?: string;
  secondItem?: boolean;
  secondChoice?: boolean;
  usage?: string;
  error?: string;
  topExtra?: string;
  argumentsAfter?: string;
  id?: string;
  /** The step's text goes into a look-alike `"x":{"arguments":…}` after the choices; the call's own arguments stay "same". */
  decoy?: boolean;
  /** The padding written raw: more than one plain string. */
  paddingRaw?: string;
}

const layouts: fc.Arbitrary<Layout> = fc.record({
  top: fc.constantFrom('openai', 'openai', 'choicesFirst', 'bare', 'extras'),
  choice: fc.constantFrom('openai', 'openai', 'reordered', 'noIndex', 'second'),
  delta: fc.constantFrom('plain', 'plain', 'roleNulls', 'refusalNull'),
  item: fc.constantFrom('plain', 'plain', 'indexLast', 'idName', 'nameAfter', 'spaced', 'typeOnly'),
  padded: fc.boolean(),
});

const variations: fc.Arbitrary<Variation> = fc.oneof(
  fc.constant<Variation>({ index: '1' }),
  fc.constantFrom<Variation>(
    { index: '"0"' },
    { index: '-1' },
    { index: '0.5' },
    { index: 'null' },
    { index: '' },
  ),
  fc.constantFrom<Variation>({ choiceIndex: '"1"' }, { choiceIndex: '-1' }, { choiceIndex: 'null' }),
  fc.constantFrom<Variation>({ finish: '"tool_calls"' }, { finish: '"stop"' }, { finish: '""' }),
  fc.constantFrom<Variation>({ logprobs: '{"content":[]}' }, { logprobs: '[]' }),
  fc.constantFrom<Variation>(
    { deltaExtra: '"content":"hi",' },
    { deltaExtra: '"content":"",' },
    { deltaExtra: '"reasoning_content":"r",' },
    { deltaExtra: '"refusal":"no",' },
    { deltaExtra: '"function_call":{"arguments":"x"},' },
    { deltaExtra: '"annotations":[],' },
  ),
  fc.constantFrom<Variation>(
    { itemExtra: '"id":"call_9",' },
    { itemExtra: '"id":"",' },
    { itemExtra: '"type":"function",' },
  ),
  fc.constant<Variation>({ secondItem: true }),
  fc.constant<Variation>({ secondChoice: true }),
  fc.constantFrom<Variation>({ usage: 'null' }, { usage: '{"total_tokens":3}' }),
  fc.constantFrom<Variation>({ error: '{"message":"upstream failed"}' }, { error: '""' }),
  fc.constantFrom<Variation>({ topExtra: '"x":{"arguments":"zz"}' }, { topExtra: '"model":"other"' }),
  fc.constantFrom<Variation>(
    { argumentsAfter: ',"arguments":"last wins"' },
    { argumentsAfter: ',"name":"late"' },
  ),
  fc.constant<Variation>({ id: 'chatcmpl-other' }),
  fc.constant<Variation>({ decoy: true }),
  fc.constantFrom<Variation>(
    { paddingRaw: '"p\\"","choices":[],"z":"w"' },
    { paddingRaw: '"p","choices":[{"index":0,"delta":{"content":"x"}}],"z":"w"' },
  ),
);

/** One chunk of `layout` with `hole` as its arguments token, changed by `v`. */
function chunk(layout: Layout, text: string, v: Variation = {}, padding = 'pad'): string {
  const hole = v.decoy ? '"same"' : text;
  const index = v.index ?? '0';
  const indexField = index === '' ? '' : `"index":${index},`;
  const fn =
    layout.item === 'idName' || layout.item === 'typeOnly'
      ? layout.item === 'idName'
        ? `"function":{"name":"replace_in_file","arguments":${hole}${v.argumentsAfter ?? ''}}`
        : `"function":{"arguments":${hole}${v.argumentsAfter ?? ''}}`
      : layout.item === 'nameAfter'
        ? `"function":{"arguments":${hole}${v.argumentsAfter ?? ''},"name":"replace_in_file"}`
        : `"function":{"arguments":${hole}${v.argumentsAfter ?? ''}}`;
  const extra = v.itemExtra ?? '';
  const item =
    layout.item === 'indexLast'
      ? `{${extra}${fn},${indexField.slice(0, -1) || '"z":0'}}`
      : layout.item === 'idName'
        ? `{${indexField}${extra}"id":"call_1","type":"function",${fn}}`
        : layout.item === 'typeOnly'
          ? `{${indexField}${extra}"type":"function",${fn}}`
          : layout.item === 'spaced'
            ? `{ ${indexField.replace(':', ': ')} ${extra}${fn.replace('"arguments":', '"arguments": ')} }`
            : `{${indexField}${extra}${fn}}`;
  const items = v.secondItem
    ? `[${item},{"index":1,"id":"call_b","function":{"name":"other","arguments" :"x"}}]`
    : `[${item}]`;
  const deltaHead =
    layout.delta === 'roleNulls' ? '"role":"assistant","content":null,' : (v.deltaExtra ?? '');
  const deltaTail = layout.delta === 'refusalNull' ? ',"refusal":null' : '';
  const delta = `{${layout.delta === 'roleNulls' ? deltaHead + (v.deltaExtra ?? '') : deltaHead}"tool_calls":${items}${deltaTail}}`;
  const finish = v.finish ?? 'null';
  const logprobs = v.logprobs ?? 'null';
  const choiceIndex = v.choiceIndex ?? (layout.choice === 'second' ? '1' : '0');
  const choice =
    layout.choice === 'reordered'
      ? `{"delta":${delta},"finish_reason":${finish},"index":0,"logprobs":${logprobs}}`
      : layout.choice === 'noIndex'
        ? `{"delta":${delta},"logprobs":${logprobs},"finish_reason":${finish}}`
        : `{"index":${choiceIndex},"delta":${delta},"logprobs":${logprobs},"finish_reason":${finish}}`;
  const choices = v.secondChoice ? `[${choice},{"index":3,"delta":{"content":"other"}}]` : `[${choice}]`;
  const id = v.id ?? 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT';
  const usage = v.usage === undefined ? '' : `,"usage":${v.usage}`;
  const error = v.error === undefined ? '' : `,"error":${v.error}`;
  const topExtra =
    (v.topExtra === undefined ? '' : `,${v.topExtra}`) + (v.decoy ? `,"x":{"arguments":${text}}` : '');
  let body: string;
  switch (layout.top) {
    case 'openai':
      body = `"id":"${id}","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o","system_fingerprint":"fp_1","choices":${choices}${usage}${error}${topExtra}`;
      break;
    case 'choicesFirst':
      body = `"choices":${choices},"id":"${id}","model":"gpt-4o"${usage}${error}${topExtra}`;
      break;
    case 'bare':
      body = `"choices":${choices}${usage}${error}${topExtra}`;
      break;
    case 'extras':
      body = `"id":"${id}","object":"chat.completion.chunk","service_tier":"default","x_groq":{"id":"req_1"},"choices":${choices},"usage":null${error}${topExtra}`;
      break;
  }
  const pad = v.paddingRaw ?? JSON.stringify(padding);
  return `{${body}${layout.padded || v.paddingRaw ? `,"obfuscation":${pad}` : ''}}`;
}

/** The chunk that opens a call (id, name, empty arguments), in the layout's top level. */
function opening(layout: Layout, index = 0): string {
  return chunk(layout, '""', {
    itemExtra: `"id":"call_${index}","type":"function",`,
    index: String(index),
    argumentsAfter: ',"name":"replace_in_file"',
  });
}

type Step =
  | { kind: 'fragment'; text: string; styles: number[]; padding: string }
  | { kind: 'variation'; text: string; styles: number[] }
  | { kind: 'malformed'; hole: string }
  | { kind: 'content'; text: string }
  | { kind: 'open'; index: number }
  | { kind: 'garbage'; payload: string };

const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    {
      weight: 20,
      arbitrary: fc
        .tuple(fragmentText, styles, fc.string({ unit: 'binary-ascii', maxLength: 8 }))
        .map(([text, s, padding]): Step => ({ kind: 'fragment', text, styles: s, padding })),
    },
    {
      weight: 8,
      arbitrary: fc
        .tuple(fragmentText, styles)
        .map(([text, s]): Step => ({ kind: 'variation', text, styles: s })),
    },
    { weight: 1, arbitrary: malformedHole.map((hole): Step => ({ kind: 'malformed', hole })) },
    { weight: 1, arbitrary: fragmentText.map((text): Step => ({ kind: 'content', text })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 }).map((index): Step => ({ kind: 'open', index })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{"choices":[', 'not json', '{"choices":[]}}', '[]', '"text"')
        .map((payload): Step => ({ kind: 'garbage', payload })),
    },
  ),
  { minLength: 1, maxLength: 40 },
);

/** A stream's chunks: the layout's own, and its one variation, repeated so it could be learnt. */
function payloads(layout: Layout, list: readonly Step[], variation: Variation = {}): string[] {
  const out = [opening(layout)];
  for (const step of list) {
    switch (step.kind) {
      case 'fragment':
        out.push(chunk(layout, literal(step.text, step.styles), {}, step.padding));
        break;
      case 'variation':
        out.push(chunk(layout, literal(step.text, step.styles), variation));
        break;
      case 'malformed':
        out.push(chunk(layout, step.hole));
        break;
      case 'content':
        out.push(
          JSON.stringify({
            id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
            choices: [{ index: 0, delta: { content: step.text } }],
          }),
        );
        break;
      case 'open':
        out.push(opening(layout, step.index));
        break;
      case 'garbage':
        out.push(step.payload);
        break;
    }
  }
  return out;
}

const finishChunk = '{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}';

describe('tool-call argument fast path against the plain path', () => {
  it('every recorded stream gives the same events with and without the shortcuts', () => {
    const files = readdirSync(STREAMS).filter((f) => f.endsWith('.sse'));
    assert.ok(files.length >= 30, `${files.length} recorded streams`);
    for (const file of files) {
      const text = readFileSync(join(STREAMS, file), 'utf8');
      const expected = plainPath(text);
      const actual = outcome(decodePieces([encode(text)]));
      if (file === 'error-field-line.sse') {
        // A relay's `error:` line is the decoder's own addition: the same events, then its error.
        assert.deepEqual(actual, { events: expected.events, error: 'server' }, file);
        continue;
      }
      assert.deepEqual(actual, expected, file);
    }
  });

  it('recorded tool-call chunks with other fragments in their hole (property)', () => {
    // Each recorded argument chunk is a layout a real server sends; its arguments literal is swapped.
    const recorded = readdirSync(STREAMS)
      .filter((f) => f.startsWith('tool-call') && f.endsWith('.sse'))
      .flatMap((f) =>
        readFileSync(join(STREAMS, f), 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('data: {') && line.includes('"arguments":"'))
          .map((line) => line.slice(6)),
      );
    assert.ok(recorded.length >= 10, `${recorded.length} recorded argument chunks`);
    const withHole = (payload: string, hole: string) => {
      const at = payload.lastIndexOf('"arguments":"') + '"arguments":'.length;
      let end = at + 1;
      while (payload[end] !== '"') end += payload[end] === '\\' ? 2 : 1;
      return payload.slice(0, at) + hole + payload.slice(end + 1);
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...recorded),
        fc.array(fc.tuple(fragmentText, styles), { minLength: 2, maxLength: 30 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (payload, fragments, finished, cuts) => {
          const list = fragments.map(([t, s]) => withHole(payload, literal(t, s)));
          assertSame(sse(finished ? [...list, finishChunk] : list, finished), cuts);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('generated layouts, fragments, look-alikes and malformed chunks, any split (property)', () => {
    fc.assert(
      fc.property(
        layouts,
        variations,
        steps,
        fc.constantFrom('finish', 'done', 'cut'),
        fc.array(fc.nat(), { maxLength: 8 }),
        (layout, variation, list, ending, cuts) => {
          const all = payloads(layout, list, variation);
          if (ending === 'finish') all.push(finishChunk);
          assertSame(sse(all, ending !== 'cut'), cuts);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('one byte at a time gives the same (property)', () => {
    fc.assert(
      fc.property(layouts, variations, steps, (layout, variation, list) => {
        const text = sse([...payloads(layout, list, variation), finishChunk]);
        const bytes = encode(text);
        const pieces = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
        assert.deepEqual(outcome(decodePieces(pieces)), plainPath(text));
      }),
      { numRuns: 100 },
    );
  });

  it('parses only the first chunks of each call of a long edit', () => {
    const layout: Layout = { top: 'openai', choice: 'openai', delta: 'plain', item: 'plain', padded: true };
    const args = JSON.stringify({
      path: 'src/a.ts',
      old_text: 'const a = "x";\n',
      new_text: Array.from({ length: 40 }, (_, i) => `  line ${i} "quoted" \\ é\u2028`).join('\n'),
    });
    const calls = [0, 1, 2].map((index) => {
      const list = [opening(layout, index)];
      for (let i = 0; i < args.length; i += 8) {
        list.push(chunk(layout, JSON.stringify(args.slice(i, i + 8)), { index: String(index) }, `p${i}`));
      }
      return list;
    });
    const text = sse([...calls.flat(), finishChunk]);
    const { result, parses } = countingChunkParses(() => decodePieces([encode(text)]));
    const fragments = calls.flat().length - 3;
    // Per call: its opening and the first two fragments (the second confirms the layout); then the finish.
    assert.ok(parses <= 3 * 3 + 1, `${parses} chunk parses for ${fragments} argument fragments`);
    assert.deepEqual(outcome(result), plainPath(text));
    const toolCalls = result.events.find((e) => e.type === 'toolCalls');
    assert.deepEqual(
      toolCalls?.type === 'toolCalls' ? toolCalls.calls.map((c) => c.function.arguments) : [],
      [args, args, args],
    );
  });

  it('a chunk in a learnt layout whose hole is not one string goes the general way', () => {
    const layout: Layout = { top: 'openai', choice: 'openai', delta: 'plain', item: 'plain', padded: false };
    const list = [
      opening(layout),
      chunk(layout, '"{\\"pa"'),
      chunk(layout, '"th\\":"'),
      chunk(layout, '"\\"a.ts"'),
      chunk(layout, '"x","name":"other"'),
      chunk(layout, '"bad \\q escape"'),
    ];
    const text = sse(list);
    const result = decodePieces([encode(text)]);
    assert.deepEqual(outcome(result), plainPath(text));
    assert.deepEqual(
      result.events.map((e) => (e.type === 'toolCallDelta' ? e.arguments : e.type)),
      ['meta', '{"pa', 'th":', '"a.ts', 'x'],
    );
    assert.equal(result.error?.hint, 'badResponse');
  });
});

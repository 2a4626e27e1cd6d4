import assert from 'node:assert/strict';
import { PartialArguments, parseToolArguments, repairTruncated } from '../../../src/common/edits/partialJson';

/** Argument texts as relays stream them: pretty and compact, escapes, CJK, emoji, nesting. */
const RECORDED = [
  '{"path":"src/app.ts","old_text":"const a = 1;\\n","new_text":"const a = 2;\\n"}',
  '{\n  "path": "docs/读我.md",\n  "old_text": "# 标题\\r\\n",\n  "new_text": "# 新标题 🎉\\r\\n\\t\\"引号\\" \\\\ /"\n}',
  '{"text":"emoji \\ud83d\\ude00 and raw 😀 and \\u00e9\\u4e2d"}',
  '{"path":"a.py","start_line":12,"end_line":40,"extra":{"nested":["x","}",{"y":"]"}]},"flag":true,"none":null}',
  '{"content":"line1\\nline2\\n\\n    indented\\u0000end","path":"new/file.txt"}',
  '{}',
];

interface Seen {
  chunks: Map<string, string[]>;
  values: Map<string, unknown>;
}

function feed(pieces: string[]): { parser: PartialArguments; seen: Seen } {
  const seen: Seen = { chunks: new Map(), values: new Map() };
  const parser = new PartialArguments({
    onString(key, text) {
      const last = text.charCodeAt(text.length - 1);
      assert.ok(!(last >= 0xd800 && last <= 0xdbff), `chunk of ${key} ends in half a surrogate pair`);
      const first = text.charCodeAt(0);
      assert.ok(!(first >= 0xdc00 && first <= 0xdfff), `chunk of ${key} starts with a low surrogate`);
      if (!seen.chunks.has(key)) seen.chunks.set(key, []);
      seen.chunks.get(key)!.push(text);
    },
    onValue(key, value) {
      seen.values.set(key, value);
    },
  });
  for (const piece of pieces) parser.push(piece);
  return { parser, seen };
}

function check(json: string, pieces: string[]): void {
  const expected = JSON.parse(json) as Record<string, unknown>;
  const { parser, seen } = feed(pieces);
  assert.equal(parser.error, undefined, `split ${JSON.stringify(pieces)}`);
  assert.equal(parser.complete, true);
  for (const [key, value] of Object.entries(expected)) {
    if (typeof value === 'string') {
      assert.equal(parser.string(key), value, key);
      assert.equal((seen.chunks.get(key) ?? []).join(''), value, `streamed ${key}`);
      assert.equal(seen.values.get(key), value);
    } else if (value === null || typeof value !== 'object') {
      assert.equal(parser.scalar(key), value, key);
    } else {
      assert.ok(seen.values.has(key), `nested ${key} is skipped to its end`);
    }
    assert.ok(parser.has(key));
  }
}

describe('partial tool arguments', () => {
  it('reads each recorded stream whole', () => {
    for (const json of RECORDED) check(json, [json]);
  });

  it('reads each recorded stream at every split into two', () => {
    for (const json of RECORDED) {
      for (let i = 0; i <= json.length; i++) check(json, [json.slice(0, i), json.slice(i)]);
    }
  });

  it('reads each recorded stream at every pair of splits (three pieces)', () => {
    for (const json of RECORDED.slice(0, 3)) {
      for (let i = 0; i <= json.length; i++) {
        for (let j = i; j <= json.length; j++)
          check(json, [json.slice(0, i), json.slice(i, j), json.slice(j)]);
      }
    }
  });

  it('reads one character at a time and in 8-character fragments', () => {
    for (const json of RECORDED) {
      check(json, [...json]);
      check(json, json.match(/[^]{1,8}/g) ?? []);
    }
  });

  it('streams new_text while it is still open, before the object closes', () => {
    const { parser } = feed(['{"path":"a","old_text":"x","new_text":"hel', 'lo\\nwor']);
    assert.equal(parser.openKey, 'new_text');
    assert.equal(parser.string('new_text'), 'hello\nwor');
    assert.equal(parser.has('new_text'), false);
    assert.equal(parser.has('old_text'), true);
    assert.equal(parser.complete, false);
  });

  it('holds a split \\u escape and a split surrogate pair until they are whole', () => {
    const { seen } = feed(['{"text":"a\\ud8', '3d', '\\ude', '00b"}']);
    assert.deepEqual(seen.chunks.get('text')?.join(''), 'a😀b');
    const raw = feed(['{"text":"x😀'.slice(0, -1), '😀'.slice(1) + '"}']);
    assert.equal(raw.parser.string('text'), 'x😀');
  });

  it('stops at text that is not JSON and says why', () => {
    assert.match(feed(['{"a": tru', 'x}']).parser.error ?? '', /not JSON/);
    assert.match(feed(['["a"]']).parser.error ?? '', /expected "\{"/);
    assert.match(feed(['{"a":"\\q"}']).parser.error ?? '', /not a JSON escape/);
    assert.match(feed(['{"a":1} x']).parser.error ?? '', /after the closing brace/);
    assert.match(feed(['{"a":1 "b":2}']).parser.error ?? '', /expected "," or "\}"/);
  });
});

describe('complete tool arguments', () => {
  it('parses whole JSON without repair', () => {
    assert.deepEqual(parseToolArguments('{"a":"b"}'), { ok: true, value: { a: 'b' }, repaired: false });
    assert.deepEqual(parseToolArguments(''), { ok: true, value: {}, repaired: false });
  });

  it('repairs a stream cut short once', () => {
    assert.deepEqual(parseToolArguments('{"path":"a.ts","content":"x\\ny'), {
      ok: true,
      value: { path: 'a.ts', content: 'x\ny' },
      repaired: true,
    });
    assert.deepEqual(parseToolArguments('{"path":"a.ts",'), {
      ok: true,
      value: { path: 'a.ts' },
      repaired: true,
    });
    assert.deepEqual(parseToolArguments('{"path":"a.ts","old_'), {
      ok: true,
      value: { path: 'a.ts' },
      repaired: true,
    });
    assert.deepEqual(parseToolArguments('{"a":{"b":[1,2'), {
      ok: true,
      value: { a: { b: [1, 2] } },
      repaired: true,
    });
    assert.equal(repairTruncated('{"a":"\\u00'), '{"a":""}');
  });

  it('refuses what no repair of a cut makes JSON, never guessing {}', () => {
    const bad = parseToolArguments('{"path": src/a.ts}');
    assert.equal(bad.ok, false);
    assert.equal(parseToolArguments('not json').ok, false);
    assert.equal(parseToolArguments('[1,2]').ok, false);
    assert.equal(parseToolArguments('{"a":1}}').ok, false);
  });
});

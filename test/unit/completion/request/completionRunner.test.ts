import assert from 'node:assert/strict';
import {
  CompletionLadder,
  MemoryLadderStore,
} from '../../../../src/common/completion/request/completionLadder';
import { completionRunner } from '../../../../src/common/completion/request/completionRunner';
import type { CompletionPrompt } from '../../../../src/common/completion/engine/types';

const BASE = 'http://relay.example.com/v1';
const prompt: CompletionPrompt = {
  prefix: 'function add(a, b) {\n  return ',
  suffix: '\n}\n',
  snippets: [],
  languageId: 'javascript',
  path: 'src/add.js',
  multiline: false,
};

type Seen = { url: string; body: Record<string, unknown> };

/** A relay that counts prompt tokens as characters / 4, and may drop `suffix` as one-api does. */
function relay(dropsSuffix: boolean, seen: Seen[], pieces = ['a + ', 'b;']) {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    seen.push({ url: String(url), body });
    const counted = String(body.prompt ?? '') + (dropsSuffix ? '' : String(body.suffix ?? ''));
    const usage = { prompt_tokens: Math.ceil(counted.length / 4), completion_tokens: 1 };
    if (body.stream !== true) {
      return new Response(
        JSON.stringify({ choices: [{ index: 0, text: 'x', finish_reason: 'length' }], usage }),
        {
          headers: { 'content-type': 'application/json' },
        },
      );
    }
    const chunks = pieces.map(
      (text) => `data: ${JSON.stringify({ choices: [{ index: 0, text, finish_reason: null }] })}\n\n`,
    );
    chunks.push(
      `data: ${JSON.stringify({ choices: [{ index: 0, text: '', finish_reason: 'stop' }], usage })}\n\n`,
      'data: [DONE]\n\n',
    );
    return new Response(chunks.join(''), { headers: { 'content-type': 'text/event-stream' } });
  }) as typeof fetch;
}

function runner(dropsSuffix: boolean, model = 'qwen2.5-coder:7b') {
  const seen: Seen[] = [];
  const ladder = new CompletionLadder(new MemoryLadderStore(), { baseUrl: BASE, model, mode: 'auto' });
  const complete = completionRunner({
    fetch: relay(dropsSuffix, seen),
    endpoint: { baseUrl: BASE, model, headers: { Authorization: 'Bearer k' } },
    ladder,
  });
  return { complete, seen, ladder };
}

describe('completion runner', () => {
  it('probes once, then asks with native FIM where the relay keeps suffix, streaming the pieces', async () => {
    const { complete, seen } = runner(false);
    const pieces: string[] = [];
    const result = await complete(prompt, new AbortController().signal, (p) => pieces.push(p));
    // One body read may carry several events: the pieces together are the text.
    assert.equal(pieces.join(''), 'a + b;');
    assert.equal(result.text, 'a + b;');
    assert.equal(seen.length, 3, 'two probe requests, then the completion');
    assert.equal(seen[0].body.suffix, undefined);
    assert.equal(typeof seen[1].body.suffix, 'string');
    assert.deepEqual(seen[2], {
      url: `${BASE}/completions`,
      body: {
        model: 'qwen2.5-coder:7b',
        prompt: prompt.prefix,
        suffix: prompt.suffix,
        max_tokens: 64,
        temperature: 0.2,
        stop: ['\n'],
        stream: true,
      },
    });
    await complete(prompt, new AbortController().signal);
    assert.equal(seen.length, 4, 'the probe is not asked again');
  });

  it("uses the family's template where the relay drops suffix", async () => {
    const { complete, seen, ladder } = runner(true);
    const result = await complete(prompt, new AbortController().signal);
    assert.equal(result.text, 'a + b;');
    const asked = seen[2].body;
    assert.equal(asked.suffix, undefined);
    assert.equal(
      asked.prompt,
      `<|file_sep|>src/add.js\n<|fim_prefix|>${prompt.prefix}<|fim_suffix|>${prompt.suffix}<|fim_middle|>`,
    );
    assert.equal(ladder.decision().mode, 'template');
  });

  it('steps down and asks again once when the server refuses the mode', async () => {
    const seen: Seen[] = [];
    const ladder = new CompletionLadder(new MemoryLadderStore(), {
      baseUrl: BASE,
      model: 'qwen2.5-coder:7b',
      mode: 'auto',
    });
    let calls = 0;
    const inner = relay(false, seen);
    const complete = completionRunner({
      fetch: (async (url: string | URL | Request, init?: RequestInit) => {
        calls++;
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        if (body.stream === true && body.suffix !== undefined) {
          seen.push({ url: String(url), body });
          return new Response(JSON.stringify({ error: { message: 'suffix is not currently supported' } }), {
            status: 400,
            headers: { 'content-type': 'application/json' },
          });
        }
        return inner(url, init);
      }) as typeof fetch,
      endpoint: { baseUrl: BASE, model: 'qwen2.5-coder:7b', headers: {} },
      ladder,
    });
    const result = await complete(prompt, new AbortController().signal);
    assert.equal(result.text, 'a + b;');
    assert.equal(calls, 4, 'probe ×2, the refused FIM request, the template request');
    assert.equal(ladder.decision().mode, 'template');
  });
});

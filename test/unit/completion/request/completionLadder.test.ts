import assert from 'node:assert/strict';
import {
  CompletionLadder,
  decideLadder,
  ladderKey,
  MemoryLadderStore,
} from '../../../../src/common/completion/request/completionLadder';
import type { LadderEndpoint } from '../../../../src/common/completion/request/ladderTypes';

const RELAY: LadderEndpoint = { baseUrl: 'https://relay.example/v1', model: 'qwen2.5-coder-7b-instruct' };

describe('decideLadder: the order of modes per endpoint', () => {
  const cases: [string, LadderEndpoint, string[], boolean][] = [
    [
      'a relay with a Qwen-coder model: native FIM first, checked by the probe',
      RELAY,
      ['fim', 'template', 'chat'],
      true,
    ],
    [
      'a relay with a chat model: no template to build',
      { baseUrl: 'https://relay.example', model: 'gpt-4o-mini' },
      ['fim', 'chat'],
      true,
    ],
    [
      'DeepSeek’s own API: /beta FIM, trusted',
      { baseUrl: 'https://api.deepseek.com', model: 'deepseek-chat' },
      ['fim', 'chat'],
      false,
    ],
    [
      'Mistral: /fim/completions, then chat',
      { baseUrl: 'https://codestral.mistral.ai/v1', model: 'codestral-latest' },
      ['mistral-fim', 'chat'],
      false,
    ],
    [
      'a relay declared Mistral',
      { baseUrl: 'https://eu.relay.example/v1', model: 'codestral-2501', serverKind: 'mistral' },
      ['mistral-fim', 'chat'],
      false,
    ],
    [
      'OpenRouter has no FIM',
      { baseUrl: 'https://openrouter.ai/api/v1', model: 'qwen/qwen-2.5-coder-32b-instruct' },
      ['template', 'chat'],
      false,
    ],
    [
      'Ollama: FIM through its OpenAI layer, trusted',
      { baseUrl: 'http://localhost:11434/v1', model: 'qwen2.5-coder:7b' },
      ['fim', 'template', 'chat'],
      false,
    ],
    [
      'llama.cpp: /infill first',
      { baseUrl: 'http://127.0.0.1:8080', model: 'qwen2.5-coder-1.5b-q8_0.gguf' },
      ['infill', 'template', 'chat'],
      false,
    ],
    [
      'vLLM refuses suffix',
      { baseUrl: 'http://localhost:8000/v1', model: 'bigcode/starcoder2-7b' },
      ['template', 'chat'],
      false,
    ],
    [
      'LM Studio takes no suffix',
      { baseUrl: 'http://localhost:1234/v1', model: 'codegemma-2b' },
      ['template', 'chat'],
      false,
    ],
  ];
  for (const [name, endpoint, order, probeNeeded] of cases) {
    it(name, () => {
      const decision = decideLadder(endpoint, undefined);
      assert.deepEqual(decision.order, order);
      assert.equal(decision.mode, order[0]);
      assert.equal(decision.probeNeeded, probeNeeded);
    });
  }

  it('says what it skipped and why, as codes', () => {
    assert.deepEqual(
      decideLadder({ baseUrl: 'https://openrouter.ai/api/v1', model: 'openai/gpt-4o' }, undefined),
      {
        mode: 'chat',
        order: ['chat'],
        forced: false,
        local: false,
        skipped: [
          { mode: 'fim', code: 'noFimOnHost', detail: 'openrouter.ai' },
          { mode: 'template', code: 'noFamily' },
        ],
        probeNeeded: false,
      },
    );
  });

  it('a family setting makes the template path possible for an id that names none', () => {
    const decision = decideLadder({ ...RELAY, model: 'my-finetune', familySetting: 'starcoder2' }, undefined);
    assert.deepEqual(decision.order, ['fim', 'template', 'chat']);
    assert.equal(decision.family, 'starcoder2');
    assert.equal(decision.familySource, 'setting');
  });

  it('a forced mode is used alone, even where the ladder would skip it, but never a template without a family', () => {
    const forced = decideLadder(
      { baseUrl: 'https://openrouter.ai/api/v1', model: 'x', mode: 'fim' },
      undefined,
    );
    assert.deepEqual(
      [forced.mode, forced.order, forced.forced, forced.probeNeeded],
      ['fim', ['fim'], true, false],
    );
    const refused = decideLadder(
      { ...RELAY, mode: 'fim' },
      { refused: [{ mode: 'fim', reason: 'noEndpoint', at: 1 }] },
    );
    assert.equal(refused.mode, 'fim');
    const impossible = decideLadder({ ...RELAY, model: 'gpt-4o', mode: 'template' }, undefined);
    assert.equal(impossible.mode, undefined);
    assert.deepEqual(impossible.skipped, [{ mode: 'template', code: 'noFamily' }]);
  });
});

describe('CompletionLadder: steps down on refusals and remembers', () => {
  it('vLLM-style refusal of suffix → template, remembered per endpoint and model', async () => {
    const store = new MemoryLadderStore();
    const ladder = new CompletionLadder(store, RELAY, () => 42);
    assert.equal(ladder.decision().mode, 'fim');
    const next = await ladder.failed('fim', {
      status: 400,
      serverMessage: 'suffix is not currently supported',
    });
    assert.equal(next?.mode, 'template');
    assert.deepEqual(next?.skipped, [
      { mode: 'fim', code: 'refused', detail: 'HTTP 400: suffix is not currently supported' },
    ]);
    assert.deepEqual(store.get(ladderKey('https://relay.example', RELAY.model)), {
      refused: [
        {
          mode: 'fim',
          reason: 'suffixRefused',
          status: 400,
          message: 'suffix is not currently supported',
          at: 42,
        },
      ],
    });
    // A fresh ladder over the same store starts where the last one ended; another model starts over.
    assert.equal(
      new CompletionLadder(store, { ...RELAY, baseUrl: 'https://relay.example/v1/' }).decision().mode,
      'template',
    );
    assert.equal(
      new CompletionLadder(store, { ...RELAY, model: 'qwen2.5-coder-32b' }).decision().mode,
      'fim',
    );
  });

  it('a failure that says nothing about the mode changes nothing', async () => {
    const store = new MemoryLadderStore();
    const ladder = new CompletionLadder(store, RELAY);
    assert.equal(await ladder.failed('fim', { status: 429, serverMessage: 'slow down' }), undefined);
    assert.equal(await ladder.failed('fim', { status: 503 }), undefined);
    assert.equal(ladder.decision().mode, 'fim');
  });

  it('every rung refused: no mode left, and forget() starts over', async () => {
    const ladder = new CompletionLadder(new MemoryLadderStore(), RELAY);
    await ladder.failed('fim', { status: 404 });
    await ladder.failed('template', {
      status: 400,
      serverMessage: 'This is a chat model and not supported in the v1/completions endpoint',
    });
    const last = await ladder.failed('chat', { status: 404 });
    assert.deepEqual([last?.mode, last?.order], [undefined, []]);
    await ladder.forget();
    assert.equal(ladder.decision().mode, 'fim');
  });

  it('the probe: dropped → template; kept → FIM, no probe needed again; inconclusive → FIM, noted', async () => {
    const dropped = new CompletionLadder(new MemoryLadderStore(), RELAY);
    const afterDrop = await dropped.probed({ verdict: 'dropped', withSuffix: 11, withoutSuffix: 11, at: 5 });
    assert.deepEqual([afterDrop.mode, afterDrop.probeNeeded], ['template', false]);
    assert.deepEqual(afterDrop.skipped, [
      { mode: 'fim', code: 'suffixDropped', detail: '11 → 11 prompt tokens' },
    ]);

    const kept = new CompletionLadder(new MemoryLadderStore(), RELAY);
    const afterKeep = await kept.probed({ verdict: 'kept', withSuffix: 470, withoutSuffix: 11, at: 5 });
    assert.deepEqual([afterKeep.mode, afterKeep.probeNeeded], ['fim', false]);

    const unsure = new CompletionLadder(new MemoryLadderStore(), RELAY);
    const afterUnsure = await unsure.probed({ verdict: 'inconclusive', note: 'noUsage', at: 5 });
    assert.deepEqual([afterUnsure.mode, afterUnsure.probeNeeded], ['fim', false]);
  });

  it('a probe that failed on a refusal steps down; one that failed otherwise asks to probe again', async () => {
    const refused = new CompletionLadder(new MemoryLadderStore(), RELAY);
    const after = await refused.probed({
      verdict: 'failed',
      note: 'error',
      refusal: 'noEndpoint',
      status: 404,
      at: 1,
    });
    assert.equal(after.mode, 'template');
    const down = new CompletionLadder(new MemoryLadderStore(), RELAY);
    const again = await down.probed({ verdict: 'failed', note: 'error', message: 'ECONNREFUSED', at: 1 });
    assert.deepEqual([again.mode, again.probeNeeded], ['fim', true]);
  });

  it('describe(): what was decided and why, for Check Endpoint', async () => {
    const ladder = new CompletionLadder(new MemoryLadderStore(), RELAY);
    await ladder.probed({ verdict: 'dropped', withSuffix: 11, withoutSuffix: 11, at: 5 });
    assert.deepEqual(ladder.describe(), [
      'Completion uses the model’s FIM template (/completions, prompt only).',
      'FIM family: qwen-coder (from the model id).',
      'Skipped native fill-in-the-middle (/completions with suffix): the relay drops suffix in silence (11 → 11 prompt tokens with and without it).',
      'If refused, next: a chat model filling a marked hole (single line).',
    ]);
    const local = new CompletionLadder(new MemoryLadderStore(), {
      baseUrl: 'http://localhost:11434',
      model: 'qwen2.5-coder:1.5b',
    });
    assert.deepEqual(local.describe(), [
      'Completion uses native fill-in-the-middle (/completions with suffix).',
      'FIM family: qwen-coder (from the model id).',
      'If refused, next: the model’s FIM template (/completions, prompt only), then a chat model filling a marked hole (single line).',
      'A local server: completions cost nothing.',
    ]);
    const unsure = new CompletionLadder(new MemoryLadderStore(), { ...RELAY, model: 'gpt-4o-mini' });
    await unsure.probed({ verdict: 'inconclusive', note: 'noUsage', at: 5 });
    assert.deepEqual(unsure.describe(), [
      'Completion uses native fill-in-the-middle (/completions with suffix).',
      'Skipped the model’s FIM template (/completions, prompt only): the model id names no FIM family (relayChat.autocomplete.family can name one).',
      'Could not check that the relay passes suffix on: it reports no token usage. Native fill-in-the-middle is kept.',
      'If refused, next: a chat model filling a marked hole (single line).',
    ]);
  });
});

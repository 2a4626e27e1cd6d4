import assert from 'node:assert/strict';
import { PROBE_SUFFIX, probeSuffix } from '../../../../src/common/completion/request/suffixProbe';

interface Seen {
  url: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * A fake relay: counts prompt tokens as a server would (here one token per 4 characters), of the
 * prompt alone when it drops `suffix`, of prompt and suffix (plus 3 sentinel tokens) when it keeps it.
 */
function fakeRelay(behaviour: 'keeps' | 'drops' | 'noUsage' | 'refuses' | 'down'): {
  fetch: typeof fetch;
  seen: Seen[];
} {
  const seen: Seen[] = [];
  const fake = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    seen.push({ url: String(url), body, headers: init?.headers as Record<string, string> });
    if (behaviour === 'down')
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED', message: 'refused' } });
    if (behaviour === 'refuses') {
      return new Response('{"object":"error","message":"suffix is not currently supported","code":400}', {
        status: 400,
      });
    }
    const suffix = behaviour === 'keeps' && typeof body.suffix === 'string' ? body.suffix : '';
    const tokens =
      Math.ceil(String(body.prompt).length / 4) + (suffix ? Math.ceil(suffix.length / 4) + 3 : 0);
    const usage =
      behaviour === 'noUsage'
        ? {}
        : { usage: { prompt_tokens: tokens, completion_tokens: 1, total_tokens: tokens + 1 } };
    return Response.json({
      object: 'text_completion',
      choices: [{ index: 0, text: ' ', finish_reason: 'length' }],
      ...usage,
    });
  };
  return { fetch: fake as typeof fetch, seen };
}

const options = {
  baseUrl: 'https://relay.example/v1',
  model: 'qwen2.5-coder-7b',
  headers: { Authorization: 'Bearer k' },
  now: () => 1234,
};

describe('suffixProbe: does the relay pass suffix on?', () => {
  it('sends the same prompt without and with a long suffix, one output token each', async () => {
    const relay = fakeRelay('keeps');
    await probeSuffix({ ...options, fetch: relay.fetch });
    assert.equal(relay.seen.length, 2);
    const [without, withSuffix] = relay.seen;
    assert.equal(without.url, 'https://relay.example/v1/completions');
    assert.deepEqual(without.body, {
      model: 'qwen2.5-coder-7b',
      prompt: 'function total(values) {\n  let total = 0;\n',
      max_tokens: 1,
      temperature: 0,
      stream: false,
    });
    assert.deepEqual(withSuffix.body, { ...without.body, suffix: PROBE_SUFFIX });
    assert.equal(without.headers.Authorization, 'Bearer k');
    assert.ok(Math.ceil(PROBE_SUFFIX.length / 4) > 300, 'the suffix is a few hundred tokens');
  });

  it('a relay that keeps suffix: kept, with both counts', async () => {
    const result = await probeSuffix({ ...options, fetch: fakeRelay('keeps').fetch });
    const base = Math.ceil('function total(values) {\n  let total = 0;\n'.length / 4);
    assert.deepEqual(result, {
      verdict: 'kept',
      withoutSuffix: base,
      withSuffix: base + Math.ceil(PROBE_SUFFIX.length / 4) + 3,
      at: 1234,
    });
  });

  it('a relay that drops suffix (one-api): equal counts, dropped', async () => {
    const result = await probeSuffix({ ...options, fetch: fakeRelay('drops').fetch });
    assert.deepEqual(result, { verdict: 'dropped', withoutSuffix: 11, withSuffix: 11, at: 1234 });
  });

  it('a relay with no usage: inconclusive, said so', async () => {
    const result = await probeSuffix({ ...options, fetch: fakeRelay('noUsage').fetch });
    assert.deepEqual(result, { verdict: 'inconclusive', note: 'noUsage', at: 1234 });
  });

  it('a server that refuses suffix: failed, with the refusal the ladder steps down on', async () => {
    const result = await probeSuffix({ ...options, fetch: fakeRelay('refuses').fetch });
    assert.deepEqual(result, {
      verdict: 'failed',
      note: 'error',
      refusal: 'suffixRefused',
      status: 400,
      message: 'HTTP 400 from relay.example: suffix is not currently supported',
      at: 1234,
    });
  });

  it('a relay that cannot be reached: failed, no refusal (the probe runs again later)', async () => {
    const result = await probeSuffix({ ...options, fetch: fakeRelay('down').fetch });
    assert.deepEqual(result, {
      verdict: 'failed',
      note: 'error',
      message: 'Request to relay.example failed: ECONNREFUSED: refused',
      at: 1234,
    });
  });
});

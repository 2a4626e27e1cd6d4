import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capabilityKey, MemoryCapabilityStore } from '../../../src/common/endpoint/capabilities';
import { modelOverrideFor } from '../../../src/common/endpoint/profile';
import { readSettings } from '../../../src/common/settings/settingsRead';
import type { SettingSchema } from '../../../src/common/settings/settingSchema';
import { runDoctor } from '../../../src/common/endpoint/doctor';
import {
  discoverLimits,
  knownWindow,
  rememberLearntWindow,
  rememberListedLimits,
} from '../../../src/common/context/contextWindows';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const schema = manifest.contributes.configuration.properties;
const defaults = Object.fromEntries(Object.entries(schema).map(([key, s]) => [key, s.default]));

function fakeFetch(routes: Record<string, (body: string) => unknown>): {
  fetch: typeof fetch;
  seen: string[];
} {
  const seen: string[] = [];
  const impl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    seen.push(`${init?.method ?? 'GET'} ${url}`);
    const route = Object.entries(routes).find(([suffix]) => url.endsWith(suffix));
    if (!route) return new Response('not found', { status: 404 });
    return Response.json(route[1](String(init?.body ?? '')));
  }) as typeof fetch;
  return { fetch: impl, seen };
}

describe('the window of a profile and model', () => {
  it('reads contextWindow and maxOutputTokens from the profile models entries, patterns under exact ids', () => {
    const read = readSettings({
      schema,
      values: {
        ...defaults,
        'relayChat.activeProfile': 'r',
        'relayChat.profiles': [
          {
            id: 'r',
            name: 'R',
            baseUrl: 'https://r.example.com/v1',
            defaultModel: 'qwen-7b',
            models: {
              'qwen-*': { contextWindow: 32768, maxOutputTokens: 4096 },
              'qwen-7b': { contextWindow: 8192 },
              bad: { contextWindow: -5 },
            },
          },
        ],
      },
    });
    const profile = read.active!;
    const override = modelOverrideFor(profile, 'qwen-7b');
    assert.equal(override.contextWindow, 8192);
    assert.equal(override.maxOutputTokens, 4096);
    assert.equal(modelOverrideFor(profile, 'bad').contextWindow, undefined);
    assert.ok(read.notices.some((n) => n.path.endsWith('bad.contextWindow')));
  });

  it('remembers a learnt window per profile and model, above the list and the family', async () => {
    const store = new MemoryCapabilityStore();
    const key = capabilityKey('relay', 'gpt-4o-mini');
    assert.deepEqual(knownWindow('gpt-4o-mini', undefined, store, key), {
      tokens: 128000,
      maxOutputTokens: 16384,
      source: 'family',
    });
    await rememberListedLimits(store, key, { contextWindow: 64000 });
    assert.equal(knownWindow('gpt-4o-mini', undefined, store, key)?.source, 'listed');
    await rememberLearntWindow(store, key, 8192);
    assert.deepEqual(knownWindow('gpt-4o-mini', undefined, store, key), {
      tokens: 8192,
      maxOutputTokens: 16384,
      source: 'learnt',
    });
    assert.equal(
      knownWindow('gpt-4o-mini', undefined, store, capabilityKey('other', 'gpt-4o-mini'))?.source,
      'family',
    );
    assert.equal(knownWindow('gpt-4o-mini', { contextWindow: 4000 }, store, key)?.tokens, 4000);
  });

  it("asks Ollama's /api/show for the num_ctx in use", async () => {
    const { fetch, seen } = fakeFetch({
      '/api/show': (body) => {
        assert.deepEqual(JSON.parse(body), { model: 'llama3.1:8b' });
        return {
          parameters: 'num_ctx 8192',
          model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072 },
        };
      },
    });
    const limits = await discoverLimits({ fetch }, { baseUrl: 'http://127.0.0.1:11434/v1' }, 'llama3.1:8b');
    assert.deepEqual(limits, { contextWindow: 8192 });
    assert.deepEqual(seen, ['POST http://127.0.0.1:11434/api/show']);
  });

  it("reads the model list's entry for the model elsewhere, and says nothing when it cannot", async () => {
    const { fetch } = fakeFetch({
      '/v1/models': () => ({
        data: [
          { id: 'other', max_model_len: 4096 },
          { id: 'Qwen/Qwen2.5-7B-Instruct', max_model_len: 8192 },
        ],
      }),
    });
    assert.deepEqual(
      await discoverLimits({ fetch }, { baseUrl: 'http://vllm.local/v1' }, 'Qwen/Qwen2.5-7B-Instruct'),
      {
        contextWindow: 8192,
      },
    );
    assert.equal(await discoverLimits({ fetch }, { baseUrl: 'http://vllm.local/v1' }, 'missing'), undefined);
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    assert.equal(await discoverLimits({ fetch: failing }, { baseUrl: 'http://x.local/v1' }, 'm'), undefined);
  });

  it('keeps the window the endpoint check finds in the model list', async () => {
    const { fetch } = fakeFetch({
      '/v1/models': () => ({ data: [{ id: 'qwen', max_model_len: 16384 }] }),
    });
    const store = new MemoryCapabilityStore();
    const report = await runDoctor({ fetch }, { baseUrl: 'http://vllm.local/v1', profileId: 'p' }, 'qwen', {
      store,
    });
    assert.equal(report.probes[0].status, 'ok');
    assert.deepEqual(store.get(capabilityKey('p', 'qwen'))?.listedLimits, { contextWindow: 16384 });
    assert.equal(knownWindow('qwen', undefined, store, capabilityKey('p', 'qwen'))?.tokens, 16384);
  });
});

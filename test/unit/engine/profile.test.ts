import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_KINDS } from '../../../src/common/endpoint/serverKind';
import {
  MemoryCapabilityStore,
  capabilityKey,
  mergeCapabilities,
  rememberDowngrade,
} from '../../../src/common/endpoint/capabilities';
import {
  chatOptionsFor,
  endpointConfigFor,
  modelOverrideFor,
  type EndpointProfile,
} from '../../../src/common/endpoint/profile';

const profile: EndpointProfile = {
  id: 'relay-1',
  name: 'My relay',
  baseUrl: 'https://relay.example.com/v1',
  defaultModel: 'deepseek-chat',
  headers: { 'X-Title': 'Relay Chat' },
  models: {
    'deepseek-*': { options: { temperature: 0.6, maxTokens: 4096 }, headers: { 'X-Route': 'cn' } },
    'deepseek-reasoner': { options: { temperature: 1 } },
    'gpt-*': { options: { includeUsage: true } },
  },
};

describe('endpoint profiles', () => {
  it('merges overrides: patterns first, the exact id on top', () => {
    assert.deepEqual(modelOverrideFor(profile, 'deepseek-reasoner'), {
      options: { temperature: 1, maxTokens: 4096 },
      headers: { 'X-Route': 'cn' },
    });
    assert.deepEqual(modelOverrideFor(profile, 'llama3'), {});
    assert.deepEqual(chatOptionsFor(profile, 'GPT-4o', { temperature: 0.2 }), {
      temperature: 0.2,
      includeUsage: true,
    });
  });

  it('a model says whether it sees images and how they are sized: patterns first, the exact id on top', () => {
    const relay: EndpointProfile = {
      ...profile,
      models: {
        'qwen-*': { vision: false, imageGeometry: 'claude' },
        'qwen-vl-max': { vision: true },
      },
    };
    assert.deepEqual(modelOverrideFor(relay, 'qwen-coder'), { vision: false, imageGeometry: 'claude' });
    assert.deepEqual(modelOverrideFor(relay, 'qwen-vl-max'), { vision: true, imageGeometry: 'claude' });
    assert.deepEqual(modelOverrideFor(relay, 'gpt-4o'), {});
  });

  it('builds the client config without keeping the key in the profile', () => {
    const store = new MemoryCapabilityStore();
    const config = endpointConfigFor(profile, 'deepseek-chat', { apiKey: 'sk-x', capabilityStore: store });
    assert.deepEqual(config, {
      baseUrl: 'https://relay.example.com/v1',
      apiKey: 'sk-x',
      headers: { 'X-Title': 'Relay Chat', 'X-Route': 'cn' },
      profileId: 'relay-1',
      capabilityStore: store,
    });
    assert.ok(!JSON.stringify(profile).includes('sk-x'));
  });
});

describe('capability store', () => {
  it('remembers downgrades once per profile and model', async () => {
    const store = new MemoryCapabilityStore();
    const key = capabilityKey('relay-1', 'o3');
    await rememberDowngrade(store, key, 'temperature');
    await rememberDowngrade(store, key, 'temperature');
    await rememberDowngrade(store, key, 'stream_options');
    assert.deepEqual(store.get(key), { downgrades: ['temperature', 'stream_options'] });
    assert.equal(store.get(capabilityKey('relay-2', 'o3')), undefined);
  });

  it('merges doctor results with learnt downgrades', async () => {
    const store = new MemoryCapabilityStore();
    await rememberDowngrade(store, 'k', 'tools');
    const merged = await mergeCapabilities(store, 'k', { downgrades: ['stream_options'], vision: true });
    assert.deepEqual(merged, { downgrades: ['tools', 'stream_options'], vision: true });
  });

  it('hands out copies, so callers cannot change what is stored', () => {
    const store = new MemoryCapabilityStore();
    store.set('k', { downgrades: ['tools'] });
    store.get('k')!.downgrades.push('stream');
    assert.deepEqual(store.get('k'), { downgrades: ['tools'] });
  });
});

describe('server kind', () => {
  it('passes a declared serverKind to the client and ignores an unknown one', () => {
    const base = {
      id: 'ds',
      name: 'DeepSeek',
      baseUrl: 'https://api.deepseek.com',
      defaultModel: 'deepseek-chat',
    };
    assert.equal(
      endpointConfigFor({ ...base, serverKind: 'deepseek' }, 'deepseek-chat').serverKind,
      'deepseek',
    );
    const typo = { ...base, serverKind: 'deepsek' } as unknown as Parameters<typeof endpointConfigFor>[0];
    assert.equal(endpointConfigFor(typo, 'deepseek-chat').serverKind, undefined);
  });

  it('offers in the settings schema exactly the kinds the engine knows', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const properties =
      manifest.contributes.configuration.properties ?? manifest.contributes.configuration[0].properties;
    assert.deepEqual(properties['relayChat.profiles'].items.properties.serverKind.enum, SERVER_KINDS);
    assert.deepEqual(properties['relayChat.serverKind'].enum, ['', ...SERVER_KINDS]);
  });
});

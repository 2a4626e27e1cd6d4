import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelOverrideFor } from '../../../src/common/endpoint/profile';
import type { SettingSchema } from '../../../src/common/settings/settingSchema';
import { readSettings } from '../../../src/common/settings/settingsRead';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const schema = manifest.contributes.configuration.properties;
const defaults = Object.fromEntries(Object.entries(schema).map(([key, s]) => [key, s.default]));
const read = (settings: Record<string, unknown>) =>
  readSettings({ schema, values: { ...defaults, ...settings } });

describe('systemPrompt settings', () => {
  it("reads a profile's systemPrompt and a model entry's, the exact id over a pattern", () => {
    const r = read({
      'relayChat.activeProfile': 'relay',
      'relayChat.profiles': [
        {
          id: 'relay',
          name: 'Relay',
          baseUrl: 'https://relay.example.com/v1',
          defaultModel: 'qwen-max',
          systemPrompt: 'Answer briefly.',
          models: {
            'qwen*': { systemPrompt: 'You are Qwen.' },
            'qwen-max': { systemPrompt: 'You are Qwen Max.' },
            other: { systemPrompt: '   ' },
          },
        },
      ],
    });
    assert.deepEqual(r.notices, []);
    assert.equal(r.active?.systemPrompt, 'Answer briefly.');
    assert.equal(modelOverrideFor(r.active!, 'qwen-max').systemPrompt, 'You are Qwen Max.');
    assert.equal(modelOverrideFor(r.active!, 'qwen-turbo').systemPrompt, 'You are Qwen.');
    assert.equal(modelOverrideFor(r.active!, 'other').systemPrompt, undefined, 'blank is none');
  });

  it('leaves out a model systemPrompt that is not text, and says so', () => {
    const r = read({
      'relayChat.activeProfile': 'relay',
      'relayChat.profiles': [
        {
          id: 'relay',
          name: 'Relay',
          baseUrl: 'https://relay.example.com/v1',
          defaultModel: 'gpt-4o',
          models: { 'gpt-4o': { systemPrompt: 42 } },
        },
      ],
    });
    assert.equal(r.notices.length, 1);
    assert.match(r.notices[0].message, /relayChat\.profiles\[0\]\.models\.gpt-4o\.systemPrompt/);
    assert.equal(modelOverrideFor(r.active!, 'gpt-4o').systemPrompt, undefined);
  });

  it('offers relayChat.systemPrompt, relayChat.context.rules and relayChat.context.secretFiles with their defaults', () => {
    assert.equal(defaults['relayChat.systemPrompt'], '');
    assert.equal(defaults['relayChat.context.rules'], true);
    assert.deepEqual(defaults['relayChat.context.secretFiles'], []);
  });
});

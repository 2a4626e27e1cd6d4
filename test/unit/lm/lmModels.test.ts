import assert from 'node:assert/strict';
import { identityTranslate } from '../../../src/common/l10n/translate';
import { lmModelInfos, modelLimits, parseLmModelId, profileModels } from '../../../src/common/lm/lmModels';
import type { EndpointProfile } from '../../../src/common/endpoint/profile';

const relay: EndpointProfile = {
  id: 'relay',
  name: 'My relay',
  baseUrl: 'https://relay.example.com/v1',
  defaultModel: 'gpt-4o-mini',
  models: { 'deepseek-*': {}, 'deepseek/deepseek-reasoner': { options: { maxTokens: 8000 } }, 'o3-mini': {} },
};

describe('LM model list', () => {
  it('lists one entry per profile × model: the default model and each exactly named one', () => {
    assert.deepEqual(profileModels(relay), ['gpt-4o-mini', 'deepseek/deepseek-reasoner', 'o3-mini']);
    const local: EndpointProfile = {
      id: 'default',
      name: 'Default',
      baseUrl: 'http://localhost:11434/v1',
      defaultModel: 'qwen3',
    };
    const infos = lmModelInfos([local, relay], () => undefined, identityTranslate);
    assert.deepEqual(
      infos.map((m) => [m.id, m.name, m.family, m.detail]),
      [
        ['default/qwen3', 'qwen3', 'qwen3', 'Default'],
        ['relay/gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini', 'My relay'],
        ['relay/deepseek/deepseek-reasoner', 'deepseek/deepseek-reasoner', 'deepseek-reasoner', 'My relay'],
        ['relay/o3-mini', 'o3-mini', 'o3-mini', 'My relay'],
      ],
    );
    assert.equal(
      infos[1].tooltip,
      'gpt-4o-mini through the Relay Chat profile "My relay" (relay.example.com)',
    );
  });

  it('takes the limits from the profile’s pinned maxTokens and the model family, else a common window', () => {
    assert.deepEqual(modelLimits(relay, 'gpt-4o-mini'), { maxInputTokens: 128_000, maxOutputTokens: 16_384 });
    assert.deepEqual(modelLimits(relay, 'deepseek/deepseek-reasoner'), {
      maxInputTokens: 128_000,
      maxOutputTokens: 8000,
    });
    assert.deepEqual(modelLimits(relay, 'o3-mini'), { maxInputTokens: 200_000, maxOutputTokens: 100_000 });
  });

  it('reports the window the context module knows: the answer share out, the rest in', () => {
    assert.deepEqual(modelLimits(relay, 'small', { tokens: 8_192, source: 'learnt' }), {
      maxInputTokens: 8_192 - 1_638,
      maxOutputTokens: 1_638,
    });
    assert.deepEqual(
      modelLimits(relay, 'small', { tokens: 32_000, maxOutputTokens: 4_000, source: 'listed' }),
      {
        maxInputTokens: 28_000,
        maxOutputTokens: 4_000,
      },
    );
  });

  it('says tools and images as the endpoint check or a refusal learnt them', () => {
    const infos = lmModelInfos(
      [relay],
      (_p, model) => (model === 'o3-mini' ? { downgrades: [], tools: false, vision: true } : undefined),
      identityTranslate,
    );
    assert.deepEqual(
      infos.map((m) => m.capabilities),
      [
        { toolCalling: true, imageInput: false },
        { toolCalling: true, imageInput: false },
        { toolCalling: false, imageInput: true },
      ],
    );
  });

  it('splits an id at the first slash, so model ids keep theirs', () => {
    assert.deepEqual(parseLmModelId('relay/deepseek/deepseek-reasoner'), {
      profileId: 'relay',
      model: 'deepseek/deepseek-reasoner',
    });
    assert.equal(parseLmModelId('no-slash'), undefined);
    assert.equal(parseLmModelId('relay/'), undefined);
  });
});

/**
 * Malformed settings, as people type them into settings.json: each names its setting, says what is
 * wrong and what is expected, and nothing invalid reaches a request. The schema is the manifest's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { buildChatRequest } from '../../../src/common/endpoint/requestBuilder';
import { describeError } from '../../../src/common/panel/errorView';
import { isWebviewToHost } from '../../../src/common/panel/protocolGuards';
import { checkValue, type SettingSchema } from '../../../src/common/settings/settingSchema';
import { SettingsError } from '../../../src/common/settings/settingsError';
import {
  describeCredentialHeader,
  readSettings,
  type SettingsRead,
} from '../../../src/common/settings/settingsRead';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const schema = manifest.contributes.configuration.properties;
const defaults = Object.fromEntries(Object.entries(schema).map(([key, s]) => [key, s.default]));

/** What `WorkspaceConfiguration.get` returns: the defaults, under what the user wrote. */
function read(settings: Record<string, unknown>): SettingsRead {
  return readSettings({ schema, values: { ...defaults, ...settings } });
}

const relay = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Relay ${id}`,
  baseUrl: `https://${id}.example.com/v1`,
  defaultModel: 'gpt-4o-mini',
  ...extra,
});

const URL_EXPECTED = 'an http:// or https:// URL such as https://relay.example.com/v1';
const OPTION_NAMES =
  'temperature, topP, n, stop, maxTokens, presencePenalty, frequencyPenalty, logitBias, seed, responseFormat, parallelToolCalls, logprobs, topLogprobs, reasoningEffort, includeUsage, user, metadata, store, serviceTier, extra';
const PROFILE_FIELDS = 'id, name, baseUrl, defaultModel, headers, models, serverKind, systemPrompt';

interface Case {
  name: string;
  settings: Record<string, unknown>;
  /** The active profile cannot work: these problems, in this order. */
  fatal?: string[];
  /** The active profile works; these were left out or replaced (and told in a notice). */
  notices?: string[];
  /** A profile other than the active one cannot be used, for these reasons. */
  unusable?: string[];
  /** The active profile has no model. */
  model?: string;
}

const CASES: Case[] = [
  // The cases from the issue.
  {
    name: 'a profile without baseUrl',
    settings: { 'relayChat.profiles': [{ id: 'x', name: 'Mine' }], 'relayChat.activeProfile': 'x' },
    fatal: [
      'relayChat.profiles[0].baseUrl is missing; expected text, such as "https://relay.example.com/v1".',
      'relayChat.profiles[0].defaultModel is missing; expected text, such as "gpt-4o-mini".',
    ],
  },
  {
    name: 'profiles that are not a list, one of them active',
    settings: { 'relayChat.profiles': 'oops', 'relayChat.activeProfile': 'x' },
    fatal: [
      'relayChat.profiles is the text "oops"; expected a list of objects with id, name, baseUrl, defaultModel.',
      'relayChat.activeProfile is "x", which is not the id of any profile; expected one of "default".',
    ],
  },
  {
    name: 'profiles that are not a list, the default profile active',
    settings: { 'relayChat.profiles': { id: 'x' } },
    notices: [
      'relayChat.profiles is an object; expected a list of objects with id, name, baseUrl, defaultModel. No profile from it is used.',
    ],
  },
  {
    name: 'two profiles with the same id, that id active',
    settings: { 'relayChat.profiles': [relay('x'), relay('x')], 'relayChat.activeProfile': 'x' },
    fatal: [
      'relayChat.profiles[1].id is "x", the same as relayChat.profiles[0].id; expected an id no other profile has.',
    ],
  },
  {
    name: 'two profiles with the same id, another active',
    settings: { 'relayChat.profiles': [relay('x'), relay('y'), relay('x')], 'relayChat.activeProfile': 'y' },
    unusable: [
      'relayChat.profiles[2].id is "x", the same as relayChat.profiles[0].id; expected an id no other profile has.',
    ],
  },
  {
    name: 'temperature as a word',
    settings: { 'relayChat.requestOptions': { temperature: 'hot' } },
    notices: [
      'relayChat.requestOptions.temperature is the text "hot"; expected a number from 0 to 2. It was left out of the request.',
    ],
  },
  {
    name: 'a base URL that is not a URL',
    settings: { 'relayChat.baseUrl': 'htp:/relay example com' },
    fatal: [
      `relayChat.baseUrl is the text "htp:/relay example com", which is not a web address; expected ${URL_EXPECTED}.`,
    ],
  },
  // Ranges.
  {
    name: 'temperature above 2',
    settings: { 'relayChat.requestOptions': { temperature: 2.5 } },
    notices: [
      'relayChat.requestOptions.temperature is the number 2.5; expected a number from 0 to 2. It was left out of the request.',
    ],
  },
  {
    name: 'top_p below 0',
    settings: { 'relayChat.requestOptions': { topP: -0.1 } },
    notices: [
      'relayChat.requestOptions.topP is the number -0.1; expected a number from 0 to 1. It was left out of the request.',
    ],
  },
  {
    name: 'presence penalty above 2',
    settings: { 'relayChat.requestOptions': { presencePenalty: 3 } },
    notices: [
      'relayChat.requestOptions.presencePenalty is the number 3; expected a number from -2 to 2. It was left out of the request.',
    ],
  },
  {
    name: 'frequency penalty below -2',
    settings: { 'relayChat.requestOptions': { frequencyPenalty: -2.5 } },
    notices: [
      'relayChat.requestOptions.frequencyPenalty is the number -2.5; expected a number from -2 to 2. It was left out of the request.',
    ],
  },
  {
    name: 'max tokens of 0',
    settings: { 'relayChat.requestOptions': { maxTokens: 0 } },
    notices: [
      'relayChat.requestOptions.maxTokens is the number 0; expected a whole number of at least 1. It was left out of the request.',
    ],
  },
  {
    name: 'max tokens with a fraction',
    settings: { 'relayChat.requestOptions': { maxTokens: 1.5 } },
    notices: [
      'relayChat.requestOptions.maxTokens is the number 1.5; expected a whole number of at least 1. It was left out of the request.',
    ],
  },
  {
    name: 'n of 0',
    settings: { 'relayChat.requestOptions': { n: 0 } },
    notices: [
      'relayChat.requestOptions.n is the number 0; expected a whole number of at least 1. It was left out of the request.',
    ],
  },
  {
    name: 'top_logprobs above 20',
    settings: { 'relayChat.requestOptions': { topLogprobs: 21 } },
    notices: [
      'relayChat.requestOptions.topLogprobs is the number 21; expected a whole number from 0 to 20. It was left out of the request.',
    ],
  },
  {
    name: 'a reasoning effort that does not exist',
    settings: { 'relayChat.requestOptions': { reasoningEffort: 'max' } },
    notices: [
      'relayChat.requestOptions.reasoningEffort is the text "max"; expected one of "minimal", "low", "medium", "high". It was left out of the request.',
    ],
  },
  {
    name: 'stop words that are numbers',
    settings: { 'relayChat.requestOptions': { stop: [1] } },
    notices: [
      'relayChat.requestOptions.stop[0] is the number 1; expected text. It was left out of the request.',
    ],
  },
  {
    name: 'an option in wire spelling',
    settings: { 'relayChat.requestOptions': { max_tokens: 100 } },
    notices: [
      `relayChat.requestOptions.max_tokens is not a known setting; expected only ${OPTION_NAMES}. It was left out of the request.`,
    ],
  },
  {
    name: 'request options that are not an object',
    settings: { 'relayChat.requestOptions': 'fast' },
    notices: [
      'relayChat.requestOptions is the text "fast"; expected an object. It was left out of the request.',
    ],
  },
  // Base URLs in several shapes.
  {
    name: 'an empty base URL',
    settings: { 'relayChat.baseUrl': '  ' },
    fatal: [`relayChat.baseUrl is empty; expected ${URL_EXPECTED}.`],
  },
  {
    name: 'an ftp base URL',
    settings: { 'relayChat.baseUrl': 'ftp://relay.example.com' },
    fatal: [
      `relayChat.baseUrl is the text "ftp://relay.example.com", which is not a web address; expected ${URL_EXPECTED}.`,
    ],
  },
  {
    name: 'a scheme with no host',
    settings: { 'relayChat.baseUrl': 'https://' },
    fatal: [
      `relayChat.baseUrl is the text "https://", which is not a web address; expected ${URL_EXPECTED}.`,
    ],
  },
  {
    name: 'one slash after the scheme',
    settings: { 'relayChat.baseUrl': 'https:/relay.example.com' },
    fatal: [
      `relayChat.baseUrl is the text "https:/relay.example.com", which is not a web address; expected ${URL_EXPECTED}.`,
    ],
  },
  {
    name: 'a profile base URL with spaces',
    settings: {
      'relayChat.profiles': [relay('x', { baseUrl: 'relay example.com' })],
      'relayChat.activeProfile': 'x',
    },
    fatal: [
      `relayChat.profiles[0].baseUrl is the text "relay example.com", which is not a web address; expected ${URL_EXPECTED}.`,
    ],
  },
  {
    name: 'a base URL with a password in it, never repeated back',
    settings: { 'relayChat.baseUrl': 'https://me:sk-secret@relay.example.com/v1' },
    fatal: [
      `relayChat.baseUrl has a user name or password in it; expected ${URL_EXPECTED}, and the key set with "Relay Chat: Set API Key".`,
    ],
  },
  {
    name: 'an API key pasted as the base URL, never repeated back',
    settings: { 'relayChat.baseUrl': 'sk-abcdef0123456789' },
    fatal: [`relayChat.baseUrl is a key (not shown), which is not a web address; expected ${URL_EXPECTED}.`],
  },
  {
    name: 'a base URL that is a number',
    settings: { 'relayChat.baseUrl': 42 },
    fatal: ['relayChat.baseUrl is the number 42; expected text, such as "https://relay.example.com/v1".'],
  },
  // Missing, unknown, wrong types.
  {
    name: 'an empty model',
    settings: { 'relayChat.model': '' },
    model:
      'relayChat.model is empty; expected the id of a model, such as gpt-4o-mini (or run "Relay Chat: Select Model").',
  },
  {
    name: 'a profile with an empty model',
    settings: { 'relayChat.profiles': [relay('x', { defaultModel: ' ' })], 'relayChat.activeProfile': 'x' },
    model:
      'relayChat.profiles[0].defaultModel is empty; expected the id of a model, such as gpt-4o-mini (or run "Relay Chat: Select Model").',
  },
  {
    name: 'an active profile that does not exist',
    settings: { 'relayChat.profiles': [relay('a')], 'relayChat.activeProfile': 'nope' },
    fatal: [
      'relayChat.activeProfile is "nope", which is not the id of any profile; expected one of "default", "a".',
    ],
  },
  {
    name: 'an active profile that is a number',
    settings: { 'relayChat.activeProfile': 3 },
    fatal: ['relayChat.activeProfile is the number 3; expected text.'],
  },
  {
    name: 'a profile named "default"',
    settings: { 'relayChat.profiles': [relay('default')] },
    unusable: [
      'relayChat.profiles[0].id is "default", the id of the profile made from relayChat.baseUrl and relayChat.model; expected another id.',
    ],
  },
  {
    name: 'a profile with an empty id',
    settings: { 'relayChat.profiles': [relay('')] },
    unusable: ['relayChat.profiles[0].id is empty; expected an id no other profile has.'],
  },
  {
    name: 'a profile that is not an object',
    settings: { 'relayChat.profiles': ['oops'] },
    unusable: [
      'relayChat.profiles[0] is the text "oops"; expected an object with id, name, baseUrl, defaultModel.',
    ],
  },
  {
    name: 'a profile whose name is a number',
    settings: { 'relayChat.profiles': [relay('x', { name: 5 })], 'relayChat.activeProfile': 'x' },
    fatal: ['relayChat.profiles[0].name is the number 5; expected text, such as "My relay".'],
  },
  {
    name: 'a profile with a field it does not have, its value never repeated',
    settings: {
      'relayChat.profiles': [relay('x', { apiKey: 'sk-secret' })],
      'relayChat.activeProfile': 'x',
    },
    notices: [
      `relayChat.profiles[0].apiKey is not a known setting; expected only ${PROFILE_FIELDS}. It is ignored.`,
    ],
  },
  {
    name: 'a per-model option out of range',
    settings: {
      'relayChat.profiles': [relay('x', { models: { 'deepseek-*': { options: { temperature: 'hot' } } } })],
      'relayChat.activeProfile': 'x',
    },
    notices: [
      'relayChat.profiles[0].models.deepseek-*.options.temperature is the text "hot"; expected a number from 0 to 2. It was left out of the request.',
    ],
  },
  {
    name: 'a per-model vision flag or image geometry that is not one',
    settings: {
      'relayChat.profiles': [
        relay('x', {
          models: { 'qwen-*': { vision: 'yes', imageGeometry: 'square', contextWindow: 32768 } },
        }),
      ],
      'relayChat.activeProfile': 'x',
    },
    notices: [
      'relayChat.profiles[0].models.qwen-*.vision is the text "yes"; expected true or false. It was left out of the request.',
      'relayChat.profiles[0].models.qwen-*.imageGeometry is the text "square"; expected one of "openai", "claude", "original". It was left out of the request.',
    ],
  },
  {
    name: 'retries above 10',
    settings: { 'relayChat.retries': 11 },
    notices: [
      'relayChat.retries is the number 11; expected a whole number from 0 to 10. Using the default, 3, instead.',
    ],
  },
  {
    name: 'a first-byte timeout of 0',
    settings: { 'relayChat.timeouts.firstByteSeconds': 0 },
    notices: [
      'relayChat.timeouts.firstByteSeconds is the number 0; expected a number of at least 1. Using the default, 60, instead.',
    ],
  },
  {
    name: 'a history limit written as text',
    settings: { 'relayChat.history.maxMegabytes': '50' },
    notices: [
      'relayChat.history.maxMegabytes is the text "50"; expected a number of at least 1. Using the default, 50, instead.',
    ],
  },
  {
    name: 'a send key that does not exist',
    settings: { 'relayChat.sendOn': 'tab' },
    notices: [
      'relayChat.sendOn is the text "tab"; expected one of "enter", "ctrlEnter". Using the default, "enter", instead.',
    ],
  },
  {
    name: 'headers that are a list',
    settings: { 'relayChat.headers': ['X-Relay: 1'] },
    notices: [
      'relayChat.headers is a list; expected an object of text values. It was left out of the request.',
    ],
  },
  {
    name: 'a header whose value is a number',
    settings: { 'relayChat.headers': { 'X-Region': 5 } },
    notices: ['relayChat.headers.X-Region is the number 5; expected text. It was left out of the request.'],
  },
];

function messagesOf(r: SettingsRead) {
  return {
    fatal: r.active ? [] : r.activeProblems.map((p) => p.message),
    notices: r.notices.map((p) => p.message),
    unusable: r.unusable.filter((u) => u.id !== r.activeId).flatMap((u) => u.problems.map((p) => p.message)),
    model: r.modelProblem?.message,
  };
}

describe('settings validation: malformed settings and the message each must produce', () => {
  it('has at least 30 cases', () => assert.ok(CASES.length >= 30, String(CASES.length)));

  for (const c of CASES) {
    it(c.name, () => {
      const r = read(c.settings);
      assert.deepEqual(messagesOf(r), {
        fatal: c.fatal ?? [],
        notices: c.notices ?? [],
        unusable: c.unusable ?? [],
        model: c.model,
      });
      if (c.fatal) assert.equal(r.active, undefined, 'a profile that cannot work is not used');
      else assert.ok(r.active, 'the active profile still works');
    });
  }

  it('names the setting to open for each problem', () => {
    assert.deepEqual(
      read({ 'relayChat.profiles': [{ id: 'x' }], 'relayChat.activeProfile': 'x' }).activeProblems.map(
        (p) => p.setting,
      ),
      ['relayChat.profiles', 'relayChat.profiles', 'relayChat.profiles'],
    );
    assert.equal(
      read({ 'relayChat.activeProfile': 'nope' }).activeProblems[0].setting,
      'relayChat.activeProfile',
    );
    assert.equal(
      read({ 'relayChat.requestOptions': { topP: 9 } }).notices[0].setting,
      'relayChat.requestOptions',
    );
  });

  it('keeps the valid options and leaves out only the invalid ones', () => {
    const r = read({ 'relayChat.requestOptions': { temperature: 'hot', topP: 0.5, maxTokens: 0, seed: 7 } });
    assert.deepEqual(r.requestOptions, { topP: 0.5, seed: 7 });
  });

  it('falls back to the default for a bad number', () => {
    assert.equal(read({ 'relayChat.retries': -1 }).values['relayChat.retries'], 3);
    assert.equal(read({ 'relayChat.retries': 5 }).values['relayChat.retries'], 5);
  });

  it('accepts what people do write: a bare host, a full completions URL, a local port', () => {
    for (const baseUrl of [
      'relay.example.com',
      'https://relay.example.com/v1/chat/completions',
      'localhost:8080',
      'http://127.0.0.1:11434/v1',
    ]) {
      assert.deepEqual(read({ 'relayChat.baseUrl': baseUrl }).activeProblems, [], baseUrl);
    }
  });

  it('accepts the defaults and a well-formed profile without a word', () => {
    const r = read({
      'relayChat.profiles': [
        relay('x', {
          headers: { 'X-Region': 'eu' },
          models: { 'o*': { options: { reasoningEffort: 'high' } } },
        }),
      ],
      'relayChat.activeProfile': 'x',
      'relayChat.requestOptions': { temperature: 0.7, stop: ['END'], extra: { top_k: 20 } },
    });
    assert.deepEqual(messagesOf(r), { fatal: [], notices: [], unusable: [], model: undefined });
    assert.equal(r.active?.id, 'x');
    assert.deepEqual(r.active?.headers, { 'X-Region': 'eu' });
  });
});

describe('settings validation: headers that look like a credential', () => {
  const HEADER_CASES: { name: string; settings: Record<string, unknown>; warnings: string[] }[] = [
    {
      name: 'Authorization in relayChat.headers',
      settings: { 'relayChat.headers': { Authorization: 'Bearer abc' } },
      warnings: ['relayChat.headers.Authorization'],
    },
    {
      name: 'api-key in a profile',
      settings: { 'relayChat.profiles': [relay('x', { headers: { 'api-key': '0123' } })] },
      warnings: ['relayChat.profiles[0].headers.api-key'],
    },
    {
      name: 'X-Api-Key in any case',
      settings: { 'relayChat.headers': { 'X-API-KEY': 'abc' } },
      warnings: ['relayChat.headers.X-API-KEY'],
    },
    {
      name: 'a value starting with sk- under any name',
      settings: { 'relayChat.profiles': [relay('x', { headers: { 'X-Token': 'sk-abc' } })] },
      warnings: ['relayChat.profiles[0].headers.X-Token'],
    },
    {
      name: 'in a profile that cannot be used',
      settings: { 'relayChat.profiles': [{ id: 'x', headers: { Authorization: 'Bearer sk-1' } }] },
      warnings: ['relayChat.profiles[0].headers.Authorization'],
    },
    {
      name: 'ordinary headers',
      settings: { 'relayChat.headers': { 'X-Region': 'eu', 'HTTP-Referer': 'https://me.example' } },
      warnings: [],
    },
  ];
  for (const c of HEADER_CASES) {
    it(c.name, () => {
      const found = read(c.settings).credentialHeaders;
      assert.deepEqual(
        found.map((f) => describeCredentialHeader(f)),
        c.warnings.map(
          (path) =>
            `Relay Chat: ${path} looks like a key. settings.json is plain text and may sync to other machines. Moved to Secret Storage, it becomes this profile's API key, sent as "Authorization: Bearer".`,
        ),
      );
    });
  }

  it('names the profile whose key it becomes', () => {
    const r = read({ 'relayChat.profiles': [relay('x', { headers: { Authorization: 'Bearer sk-1' } })] });
    assert.deepEqual(r.credentialHeaders, [
      {
        setting: 'relayChat.profiles',
        path: 'relayChat.profiles[0].headers.Authorization',
        profileId: 'x',
        header: 'Authorization',
      },
    ]);
  });
});

describe('settings validation: what the panel shows', () => {
  it('a settings problem: its own kind, the setting named, Open Settings, no retry', () => {
    const problems = read({ 'relayChat.profiles': 'oops', 'relayChat.activeProfile': 'x' }).activeProblems;
    assert.deepEqual(describeError(new SettingsError(problems)), {
      kind: 'settings',
      title: 'Settings problem: relayChat.profiles',
      detail:
        'relayChat.profiles is the text "oops"; expected a list of objects with id, name, baseUrl, defaultModel.\n' +
        'relayChat.activeProfile is "x", which is not the id of any profile; expected one of "default".',
      hint: 'Correct it in the settings; the next message uses the new value.',
      setting: 'relayChat.profiles',
      retryable: false,
    });
  });

  it('an unexpected exception: a plain sentence and the log, never the JavaScript message', () => {
    const view = describeError(new TypeError("Cannot read properties of undefined (reading 'trim')"));
    assert.deepEqual(view, {
      kind: 'unexpected',
      title: 'Relay Chat ran into an unexpected problem and could not finish this answer.',
      hint: 'The details are in the log. Retry, or report it with the log attached.',
      retryable: true,
    });
    assert.equal(describeError('a string thrown').title, view.title);
  });
});

describe('settings validation agrees with the Chat Completions request schema', () => {
  const spec = JSON.parse(
    readFileSync(join(root, 'test', 'fixtures', 'openai-spec', 'chat-completions.schema.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(spec, 'spec');
  const validateRequest = ajv.getSchema('spec#/$defs/CreateChatCompletionRequest')!;
  const options = schema['relayChat.requestOptions'];
  const messages = [{ role: 'user' as const, content: 'hi' }];
  const specAccepts = (name: string, value: unknown) =>
    validateRequest(buildChatRequest('gpt-4o', messages, { [name]: value }, []));
  const manifestAccepts = (name: string, value: unknown) =>
    checkValue(options, { [name]: value }, 'o', 'o', (m) => m).length === 0;

  // Stricter than the spec on purpose: it sets no lower bound on max_tokens, and 0 tokens never helps.
  const STRICTER = new Set(['maxTokens']);

  it('at and just past every range edge, the manifest and the spec decide alike', () => {
    let checked = 0;
    for (const [name, sub] of Object.entries(options.properties ?? {})) {
      for (const edge of [sub.minimum, sub.maximum]) {
        if (edge === undefined) continue;
        const step = sub.type === 'integer' ? 1 : 0.01;
        for (const value of [edge, edge === sub.minimum ? edge - step : edge + step]) {
          checked++;
          const manifest = manifestAccepts(name, value);
          if (manifest || !STRICTER.has(name))
            assert.equal(manifest, specAccepts(name, value), `${name} = ${value}`);
        }
      }
    }
    assert.ok(checked >= 14, `checked ${checked} edges`);
  });

  it('every enum value the manifest accepts is one the spec accepts', () => {
    for (const [name, sub] of Object.entries(options.properties ?? {})) {
      for (const value of sub.enum ?? []) assert.ok(specAccepts(name, value), `${name} = ${String(value)}`);
    }
  });

  it('whatever the user wrote, the options that survive make a request the spec accepts', () => {
    for (const c of CASES) {
      const r = read(c.settings);
      const request = buildChatRequest('gpt-4o', messages, r.requestOptions, []);
      assert.ok(validateRequest(request), `${c.name}: ${JSON.stringify(validateRequest.errors)}`);
    }
  });
});

describe('settings validation: the panel asks to open a setting', () => {
  it('lets Open Settings and Show Log through, for relayChat settings only', () => {
    assert.ok(isWebviewToHost({ type: 'openSettings', setting: 'relayChat.profiles' }));
    assert.ok(isWebviewToHost({ type: 'showLog' }));
    assert.ok(!isWebviewToHost({ type: 'openSettings', setting: 'workbench.colorTheme' }));
    assert.ok(!isWebviewToHost({ type: 'openSettings' }));
  });
});

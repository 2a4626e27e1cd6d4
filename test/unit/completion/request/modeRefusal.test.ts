import assert from 'node:assert/strict';
import { refusalOf } from '../../../../src/common/completion/request/modeRefusal';

describe('refusalOf: a refused mode, told apart from a failure that says nothing about it', () => {
  const cases: [string, Parameters<typeof refusalOf>[0], ReturnType<typeof refusalOf>][] = [
    ['no such path', { status: 404, serverMessage: 'Invalid URL (POST /v1/fim/completions)' }, 'noEndpoint'],
    ['method not allowed', { status: 405 }, 'noEndpoint'],
    [
      'vLLM refuses suffix',
      { status: 400, serverMessage: 'suffix is not currently supported' },
      'suffixRefused',
    ],
    [
      'suffix named as the param',
      { status: 400, serverMessage: 'Extra inputs are not permitted', errorParam: 'suffix' },
      'suffixRefused',
    ],
    [
      'a chat model on /completions',
      {
        status: 400,
        serverMessage:
          'This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?',
      },
      'notSupported',
    ],
    [
      'llama.cpp without FIM tokens',
      { status: 501, serverMessage: 'Infill is not supported by this model' },
      'notSupported',
    ],
    [
      'not_supported_error type',
      { status: 400, serverMessage: 'nope', errorType: 'not_supported_error' },
      'notSupported',
    ],
    [
      'a relay without the route',
      { status: 400, serverMessage: 'unknown endpoint /v1/completions' },
      'noEndpoint',
    ],
    ['a missing model is not a refusal', { status: 400, serverMessage: 'model not found' }, undefined],
    ['auth', { status: 401, serverMessage: 'invalid api key' }, undefined],
    ['rate limit', { status: 429, serverMessage: 'suffix rate limited' }, undefined],
    ['server error', { status: 500, serverMessage: 'not supported' }, undefined],
    ['network', {}, undefined],
  ];
  for (const [name, error, reason] of cases) it(name, () => assert.equal(refusalOf(error), reason));
});

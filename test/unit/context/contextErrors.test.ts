import assert from 'node:assert/strict';
import { contextOverflowOf, parseContextOverflow } from '../../../src/common/context/contextErrors';
import { errorFromResponse, errorFromStreamPayload } from '../../../src/common/endpoint/endpointError';

/** Error bodies as the servers send them (status 400 unless said), and what they tell. */
const RECORDED: { name: string; status?: number; body: string; window?: number; requested?: number }[] = [
  {
    name: 'OpenAI',
    body: JSON.stringify({
      error: {
        message:
          "This model's maximum context length is 8192 tokens. However, your messages resulted in 9012 tokens. Please reduce the length of the messages.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    }),
    window: 8192,
    requested: 9012,
  },
  {
    name: 'OpenAI, newer wording (code only names it)',
    body: JSON.stringify({
      error: {
        message:
          'Your input exceeds the context window of this model. Please adjust your input and try again.',
        type: 'invalid_request_error',
        param: 'input',
        code: 'context_length_exceeded',
      },
    }),
  },
  {
    name: 'vLLM',
    body: JSON.stringify({
      object: 'error',
      message:
        "This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (4096 in the messages, 1024 in the completion). Please reduce the length of the messages or completion.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    }),
    window: 4096,
    requested: 5120,
  },
  {
    name: 'vLLM 0.9, input tokens',
    body: JSON.stringify({
      error: {
        message:
          "This model's maximum context length is 32768 tokens. However, your request has 40213 input tokens. Please reduce the length of the input messages.",
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    }),
    window: 32768,
    requested: 40213,
  },
  {
    name: 'llama.cpp server',
    body: JSON.stringify({
      error: {
        code: 400,
        message: 'the request exceeds the available context size, try increasing it',
        type: 'exceed_context_size_error',
        n_prompt_tokens: 9875,
        n_ctx: 8192,
      },
    }),
    window: 8192,
    requested: 9875,
  },
  {
    name: 'Ollama',
    body: JSON.stringify({ error: 'the input length exceeds the context length' }),
  },
  {
    name: 'Ollama, with its num_ctx',
    status: 500,
    body: JSON.stringify({ error: 'requested tokens (5000) exceed context window of 4096' }),
    window: 4096,
  },
  {
    name: 'new-api passing OpenAI through, with its request id',
    body: JSON.stringify({
      error: {
        message:
          "This model's maximum context length is 16385 tokens. However, your messages resulted in 17321 tokens. Please reduce the length of the messages. (request id: 20250114093512345678901ABCDEFG)",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    }),
    window: 16385,
    requested: 17321,
  },
  {
    name: 'one-api in Chinese',
    body: JSON.stringify({
      error: {
        message:
          '请求的上下文长度超过模型限制：最大上下文长度为 8192 tokens，当前请求 9500 tokens (request id: 2025011409)',
        type: 'one_api_error',
        code: 'context_length_exceeded',
      },
    }),
    window: 8192,
    requested: 9500,
  },
  {
    name: 'a Chinese relay, no code',
    body: JSON.stringify({ code: 400, msg: '输入长度超过模型最大上下文限制 32768', success: false }),
    window: 32768,
  },
  {
    name: 'Claude through a relay',
    body: JSON.stringify({
      error: {
        type: 'invalid_request_error',
        message: 'prompt is too long: 210345 tokens > 200000 maximum',
      },
    }),
    window: 200000,
    requested: 210345,
  },
  {
    name: 'Claude, input and max_tokens',
    body: JSON.stringify({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'input length and `max_tokens` exceed context limit: 197000 + 8192 > 200000, decrease input length or `max_tokens` and try again',
      },
    }),
    window: 200000,
    requested: 205192,
  },
  {
    name: 'Gemini through a relay',
    body: JSON.stringify({
      error: {
        code: 400,
        message: 'The input token count (1203456) exceeds the maximum number of tokens allowed (1048576).',
        status: 'INVALID_ARGUMENT',
      },
    }),
    window: 1048576,
    requested: 1203456,
  },
  {
    name: 'DeepSeek',
    body: JSON.stringify({
      error: {
        message:
          "This model's maximum context length is 65536 tokens. However, you requested 70210 tokens (66114 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.",
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    }),
    window: 65536,
    requested: 70210,
  },
  {
    name: 'Mistral',
    body: JSON.stringify({
      object: 'error',
      message:
        'Prompt contains 40211 tokens and 0 draft tokens, too large for model with 32768 maximum context length',
      type: 'invalid_request_message_error',
      code: '3051',
    }),
    window: 32768,
    requested: 40211,
  },
  {
    name: 'OpenRouter',
    body: JSON.stringify({
      error: {
        message:
          'This endpoint\'s maximum context length is 8192 tokens. However, you requested about 9230 tokens (8206 of text input, 1024 in the output). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.',
        code: 400,
      },
    }),
    window: 8192,
    requested: 9230,
  },
];

describe('context overflow errors', () => {
  for (const recorded of RECORDED) {
    it(`reads ${recorded.name}`, () => {
      const err = errorFromResponse(
        'relay.example.com',
        recorded.status ?? 400,
        new Headers(),
        recorded.body,
      );
      const overflow = contextOverflowOf(err);
      assert.ok(overflow, `not recognised: ${err.serverMessage}`);
      assert.deepEqual(overflow, {
        ...(recorded.window ? { window: recorded.window } : {}),
        ...(recorded.requested ? { requested: recorded.requested } : {}),
      });
    });
  }

  it('reads one inside a 200 stream (a relay whose upstream refused after the headers)', () => {
    const payload = JSON.stringify({
      error: {
        message:
          "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
        code: 'context_length_exceeded',
      },
    });
    assert.deepEqual(contextOverflowOf(errorFromStreamPayload('relay.example.com', payload)), {
      window: 8192,
      requested: 9000,
    });
  });

  it('leaves other refusals alone', () => {
    for (const [status, body] of [
      [
        400,
        '{"error":{"message":"Unrecognized request argument supplied: reasoning_effort","param":"reasoning_effort"}}',
      ],
      [401, '{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}'],
      [
        429,
        '{"error":{"message":"Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000, Requested 9000."}}',
      ],
      [
        400,
        '{"error":{"message":"max_tokens is too large: 100000. This model supports at most 16384 completion tokens."}}',
      ],
      [403, '{"error":{"message":"该令牌额度已用尽"}}'],
    ] as const) {
      assert.equal(contextOverflowOf(errorFromResponse('h', status, new Headers(), body)), undefined, body);
    }
    assert.equal(parseContextOverflow({ message: 'Internal server error' }), undefined);
  });
});

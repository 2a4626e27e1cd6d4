import assert from 'node:assert/strict';
import { buildCompletionRequest, HOLE } from '../../../../src/common/completion/request/completionBodies';
import { completionUrl, fimBaseUrl } from '../../../../src/common/completion/request/completionUrls';
import type { FimInput } from '../../../../src/common/completion/request/fimTemplates';

const INPUT: FimInput = {
  prefix: 'const x = ',
  suffix: ';\n',
  path: 'src/a.ts',
  snippets: [{ path: 'src/b.ts', text: 'export const y = 1;' }],
};

describe('completionUrls: where each mode posts', () => {
  it('follows baseUrl.ts: any pasted form reaches the same root', () => {
    for (const base of [
      'https://relay.example',
      'https://relay.example/v1/',
      'https://relay.example/v1/chat/completions',
    ]) {
      assert.equal(completionUrl('fim', base), 'https://relay.example/v1/completions');
      assert.equal(completionUrl('template', base), 'https://relay.example/v1/completions');
      assert.equal(completionUrl('mistral-fim', base), 'https://relay.example/v1/fim/completions');
      assert.equal(completionUrl('chat', base), 'https://relay.example/v1/chat/completions');
    }
  });

  it('llama.cpp’s /infill sits at the server root, beside /v1', () => {
    assert.equal(completionUrl('infill', 'http://127.0.0.1:8080/v1'), 'http://127.0.0.1:8080/infill');
    assert.equal(completionUrl('infill', 'http://127.0.0.1:8080'), 'http://127.0.0.1:8080/infill');
  });

  it('DeepSeek’s own host serves FIM under /beta; relays keep their root', () => {
    assert.equal(fimBaseUrl('https://api.deepseek.com'), 'https://api.deepseek.com/beta');
    assert.equal(
      completionUrl('fim', 'https://api.deepseek.com/v1'),
      'https://api.deepseek.com/beta/completions',
    );
    assert.equal(
      completionUrl('fim', 'https://api.deepseek.com/beta'),
      'https://api.deepseek.com/beta/completions',
    );
    assert.equal(
      completionUrl('chat', 'https://api.deepseek.com'),
      'https://api.deepseek.com/v1/chat/completions',
    );
    assert.equal(completionUrl('fim', 'https://relay.example/v1'), 'https://relay.example/v1/completions');
  });
});

describe('buildCompletionRequest: one body per mode', () => {
  it('native FIM: prompt + suffix, usage asked for in the stream', () => {
    const request = buildCompletionRequest('fim', 'https://api.deepseek.com', INPUT, {
      model: 'deepseek-chat',
      maxTokens: 64,
      temperature: 0,
      stream: true,
      streamUsage: true,
      stop: ['\n\n'],
    });
    assert.deepEqual(request, {
      mode: 'fim',
      url: 'https://api.deepseek.com/beta/completions',
      body: {
        model: 'deepseek-chat',
        prompt: 'const x = ',
        suffix: ';\n',
        max_tokens: 64,
        temperature: 0,
        stop: ['\n\n'],
        stream: true,
        stream_options: { include_usage: true },
      },
    });
  });

  it('Mistral FIM: prompt + suffix at /fim/completions, never stream_options (Mistral refuses it)', () => {
    const request = buildCompletionRequest('mistral-fim', 'https://codestral.mistral.ai/v1', INPUT, {
      model: 'codestral-latest',
      maxTokens: 32,
      stream: true,
      streamUsage: true,
    });
    assert.deepEqual(request, {
      mode: 'mistral-fim',
      url: 'https://codestral.mistral.ai/v1/fim/completions',
      body: { model: 'codestral-latest', prompt: 'const x = ', suffix: ';\n', max_tokens: 32, stream: true },
    });
  });

  it('llama.cpp infill: input_prefix/suffix, other files in input_extra, the prompt cache on', () => {
    const request = buildCompletionRequest('infill', 'http://localhost:8080/v1', INPUT, {
      model: 'qwen2.5-coder-1.5b',
      maxTokens: 48,
      temperature: 0.1,
      stream: false,
    });
    assert.deepEqual(request, {
      mode: 'infill',
      url: 'http://localhost:8080/infill',
      body: {
        model: 'qwen2.5-coder-1.5b',
        input_prefix: 'const x = ',
        input_suffix: ';\n',
        input_extra: [{ filename: 'src/b.ts', text: 'export const y = 1;' }],
        cache_prompt: true,
        n_predict: 48,
        temperature: 0.1,
        stream: false,
      },
    });
  });

  it('template: the family’s prompt, no suffix, its stop tokens then the engine’s', () => {
    const request = buildCompletionRequest('template', 'http://localhost:8000/v1', INPUT, {
      model: 'bigcode/starcoder2-3b',
      maxTokens: 64,
      stream: false,
      stop: ['\n'],
      family: 'starcoder2',
    });
    assert.deepEqual(request, {
      mode: 'template',
      url: 'http://localhost:8000/v1/completions',
      body: {
        model: 'bigcode/starcoder2-3b',
        prompt:
          '<file_sep>src/b.ts\nexport const y = 1;\n<file_sep><fim_prefix>src/a.ts\nconst x = <fim_suffix>;\n<fim_middle>',
        max_tokens: 64,
        stop: ['<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<file_sep>', '<|endoftext|>', '\n'],
        stream: false,
      },
    });
    assert.throws(
      () =>
        buildCompletionRequest('template', 'http://x', INPUT, { model: 'm', maxTokens: 1, stream: false }),
      /needs a model family/,
    );
  });

  it('chat: the file with the hole marked, asked for one line', () => {
    const request = buildCompletionRequest('chat', 'https://openrouter.ai/api/v1', INPUT, {
      model: 'openai/gpt-4o-mini',
      maxTokens: 40,
      temperature: 0,
      stream: true,
    });
    assert.equal(request.url, 'https://openrouter.ai/api/v1/chat/completions');
    assert.deepEqual(request.body, {
      model: 'openai/gpt-4o-mini',
      messages: [
        {
          role: 'system',
          content:
            `You complete code. The user sends a file with one hole marked ${HOLE}. ` +
            'Reply with only the text that replaces the hole: a single line at most, no explanation, ' +
            'no markdown fences, nothing that is already before or after the hole.',
        },
        {
          role: 'user',
          content:
            'src/b.ts:\n```\nexport const y = 1;\n```\n\nsrc/a.ts:\n```\nconst x = {{FILL_HERE}};\n\n```',
        },
      ],
      max_tokens: 40,
      temperature: 0,
      stream: true,
    });
  });
});

import assert from 'node:assert/strict';
import { isLocalEndpoint, localServerOf } from '../../../../src/common/completion/request/localEndpoint';

describe('localEndpoint: servers on this machine cost nothing', () => {
  const local: [string, ReturnType<typeof localServerOf>][] = [
    ['http://localhost:11434/v1', 'ollama'],
    ['127.0.0.1:8080', 'llamacpp'],
    ['http://[::1]:1234/v1', 'lmstudio'],
    ['http://127.0.1.1:8000/v1/chat/completions', 'vllm'],
    ['http://gpu-box.local:9000/v1', undefined],
    ['http://0.0.0.0:11434', 'ollama'],
  ];
  for (const [url, server] of local) {
    it(`${url} is local (${server ?? 'unknown server'})`, () => {
      assert.equal(isLocalEndpoint(url), true);
      assert.equal(localServerOf(url), server);
    });
  }

  for (const url of [
    'https://api.openai.com/v1',
    'https://openrouter.ai/api/v1',
    'http://192.168.1.5:11434',
    'http://localhost.example.com',
    'not a url ::',
  ]) {
    it(`${url} is not local`, () => {
      assert.equal(isLocalEndpoint(url), false);
      assert.equal(localServerOf(url), undefined);
    });
  }
});

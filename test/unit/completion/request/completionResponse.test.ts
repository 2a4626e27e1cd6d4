import assert from 'node:assert/strict';
import {
  CompletionStreamDecoder,
  parseCompletionBody,
} from '../../../../src/common/completion/request/completionResponse';
import { EndpointError } from '../../../../src/common/endpoint/endpointError';

/** Feeds a recorded stream at every split point and checks each gives the same text and usage. */
function everySplit(stream: string, check: (text: string, decoder: CompletionStreamDecoder) => void): void {
  const bytes = new TextEncoder().encode(stream);
  for (let at = 0; at <= bytes.length; at++) {
    const decoder = new CompletionStreamDecoder('relay.example');
    const text = decoder.push(bytes.subarray(0, at)) + decoder.push(bytes.subarray(at)) + decoder.end();
    assert.equal(decoder.text, text, `split at ${at}`);
    check(text, decoder);
  }
}

describe('completion responses: text and usage from every mode', () => {
  it('legacy /completions stream (vLLM, Ollama, DeepSeek /beta) with usage in the last chunk', () => {
    const stream =
      'data: {"id":"c1","object":"text_completion","choices":[{"index":0,"text":"1 + ","finish_reason":null}]}\n\n' +
      'data: {"id":"c1","object":"text_completion","choices":[{"index":0,"text":"2 — ünïcode","finish_reason":"stop"}]}\n\n' +
      'data: {"id":"c1","object":"text_completion","choices":[],"usage":{"prompt_tokens":57,"completion_tokens":6,"total_tokens":63}}\n\n' +
      'data: [DONE]\n\n';
    everySplit(stream, (text, decoder) => {
      assert.equal(text, '1 + 2 — ünïcode');
      assert.deepEqual(decoder.usage, { prompt_tokens: 57, completion_tokens: 6 });
      assert.equal(decoder.finishReason, 'stop');
      assert.equal(decoder.done, true);
    });
  });

  it('Mistral /fim/completions and chat streams: delta.content, CRLF framing', () => {
    const stream =
      'data: {"id":"m","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\r\n\r\n' +
      'data: {"id":"m","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"return a"},"finish_reason":null}]}\r\n\r\n' +
      'data: {"id":"m","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" + b"},"finish_reason":"stop"}],"usage":{"prompt_tokens":21,"total_tokens":25,"completion_tokens":4}}\r\n\r\n' +
      'data: [DONE]\r\n\r\n';
    everySplit(stream, (text, decoder) => {
      assert.equal(text, 'return a + b');
      assert.deepEqual(decoder.usage, { prompt_tokens: 21, completion_tokens: 4 });
    });
  });

  it('llama.cpp /infill stream: content pieces, counts on the stop chunk, no [DONE]', () => {
    const stream =
      'data: {"index":0,"content":"print(","stop":false,"id_slot":0}\n\n' +
      'data: {"index":0,"content":"x)","stop":false,"id_slot":0}\n\n' +
      'data: {"index":0,"content":"","stop":true,"stop_type":"eos","tokens_predicted":3,"tokens_evaluated":812,"timings":{"prompt_n":12,"predicted_n":3}}\n\n';
    everySplit(stream, (text, decoder) => {
      assert.equal(text, 'print(x)');
      // tokens_evaluated counts the whole prompt; timings.prompt_n only what the cache did not hold.
      assert.deepEqual(decoder.usage, { prompt_tokens: 812, completion_tokens: 3 });
      assert.equal(decoder.finishReason, 'eos');
      assert.equal(decoder.done, true);
    });
  });

  it('a relay’s error inside a 200 stream is the server’s error, after the text before it', () => {
    const decoder = new CompletionStreamDecoder('relay.example');
    assert.equal(decoder.push('data: {"choices":[{"index":0,"text":"ab"}]}\n\n'), 'ab');
    assert.throws(
      () => decoder.push('data: {"error":{"message":"upstream timed out","code":504}}\n\n'),
      (err: unknown) =>
        err instanceof EndpointError && err.serverMessage === 'upstream timed out' && err.status === 504,
    );
  });

  it('whole bodies of each mode', () => {
    assert.deepEqual(
      parseCompletionBody(
        'h',
        '{"object":"text_completion","choices":[{"index":0,"text":"fib(a-1)","finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":5,"total_tokens":14}}',
      ),
      { text: 'fib(a-1)', finishReason: 'stop', usage: { prompt_tokens: 9, completion_tokens: 5 } },
    );
    assert.deepEqual(
      parseCompletionBody(
        'h',
        '{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"x + 1"},"finish_reason":"stop"}]}',
      ),
      { text: 'x + 1', finishReason: 'stop' },
    );
    assert.deepEqual(
      parseCompletionBody(
        'h',
        '{"content":"  return 0;","stop":true,"stop_type":"limit","timings":{"prompt_n":40,"predicted_n":8}}',
      ),
      { text: '  return 0;', finishReason: 'limit', usage: { prompt_tokens: 40, completion_tokens: 8 } },
    );
    assert.throws(() => parseCompletionBody('h', '{"error":{"message":"bad model"}}'), /bad model/);
    assert.throws(() => parseCompletionBody('h', '<html>'), /Unreadable/);
  });
});

import assert from 'node:assert/strict';
import {
  limitsFromModelEntry,
  limitsFromOllamaShow,
  resolveWindow,
} from '../../../src/common/context/modelLimits';
import { familyLimits } from '../../../src/common/context/familyWindows';

describe('context window sources', () => {
  describe('the model list', () => {
    it('reads OpenRouter: context_length and top_provider', () => {
      const entry = {
        id: 'openai/gpt-4o-mini',
        context_length: 128000,
        top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
      };
      assert.deepEqual(limitsFromModelEntry(entry), { contextWindow: 128000, maxOutputTokens: 16384 });
    });
    it('reads top_provider.context_length when the entry has none of its own', () => {
      assert.deepEqual(limitsFromModelEntry({ id: 'x', top_provider: { context_length: 32768 } }), {
        contextWindow: 32768,
      });
    });
    it("reads vLLM's max_model_len", () => {
      const entry = {
        id: 'Qwen/Qwen2.5-7B-Instruct',
        object: 'model',
        owned_by: 'vllm',
        max_model_len: 8192,
      };
      assert.deepEqual(limitsFromModelEntry(entry), { contextWindow: 8192 });
    });
    it("reads LM Studio's max_context_length", () => {
      const entry = { id: 'qwen2.5-coder-7b', type: 'llm', max_context_length: 32768, state: 'loaded' };
      assert.deepEqual(limitsFromModelEntry(entry), { contextWindow: 32768 });
    });
    it('reads context_window (Groq)', () => {
      const entry = { id: 'llama-3.1-8b-instant', context_window: 131072, max_completion_tokens: 8192 };
      assert.deepEqual(limitsFromModelEntry(entry), { contextWindow: 131072, maxOutputTokens: 8192 });
    });
    it('says nothing for a bare OpenAI entry or nonsense', () => {
      assert.deepEqual(limitsFromModelEntry({ id: 'gpt-4o', object: 'model', owned_by: 'system' }), {});
      assert.deepEqual(limitsFromModelEntry({ id: 'x', context_length: -1 }), {});
      assert.deepEqual(limitsFromModelEntry('gpt-4o'), {});
    });
  });

  describe("Ollama's /api/show", () => {
    const show = {
      modelfile: '# Modelfile',
      parameters: 'num_ctx                        8192\nstop                           "<|eot_id|>"',
      details: { family: 'llama' },
      model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072 },
    };
    it('uses num_ctx, the window in use, over what the model supports', () => {
      assert.deepEqual(limitsFromOllamaShow(show), { contextWindow: 8192 });
    });
    it('uses <arch>.context_length without num_ctx', () => {
      assert.deepEqual(limitsFromOllamaShow({ ...show, parameters: 'stop "<|eot_id|>"' }), {
        contextWindow: 131072,
      });
      assert.deepEqual(
        limitsFromOllamaShow({
          model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 32768 },
        }),
        { contextWindow: 32768 },
      );
    });
  });

  describe('the families', () => {
    it('knows well-known families in relay spellings', () => {
      assert.equal(familyLimits('gpt-4o-mini').contextWindow, 128000);
      assert.equal(familyLimits('openai/gpt-4o').contextWindow, 128000);
      assert.equal(familyLimits('gpt-4').contextWindow, 8192);
      assert.equal(familyLimits('claude-3-5-sonnet-20241022').contextWindow, 200000);
      assert.equal(familyLimits('deepseek-chat').contextWindow, 128000);
      assert.equal(familyLimits('o3-mini').contextWindow, 200000);
      assert.equal(familyLimits('gemini-2.0-flash').contextWindow, 1048576);
    });
    it('knows nothing of a local model', () => assert.deepEqual(familyLimits('my-local-llama'), {}));
  });

  describe('which source wins', () => {
    it('override, then learnt, then listed, then family', () => {
      const all = {
        override: { contextWindow: 4096, maxOutputTokens: 512 },
        learnt: 6000,
        listed: { contextWindow: 8192, maxOutputTokens: 2048 },
        family: { contextWindow: 128000, maxOutputTokens: 16384 },
      };
      assert.deepEqual(resolveWindow(all), { tokens: 4096, maxOutputTokens: 512, source: 'override' });
      assert.deepEqual(resolveWindow({ ...all, override: undefined }), {
        tokens: 6000,
        maxOutputTokens: 2048,
        source: 'learnt',
      });
      assert.deepEqual(resolveWindow({ listed: all.listed, family: all.family }), {
        tokens: 8192,
        maxOutputTokens: 2048,
        source: 'listed',
      });
      assert.deepEqual(resolveWindow({ family: all.family }), {
        tokens: 128000,
        maxOutputTokens: 16384,
        source: 'family',
      });
      assert.equal(resolveWindow({}), undefined);
    });
    it('an override of the output limit alone keeps the listed window', () => {
      assert.deepEqual(
        resolveWindow({ override: { maxOutputTokens: 1000 }, listed: { contextWindow: 8192 } }),
        {
          tokens: 8192,
          maxOutputTokens: 1000,
          source: 'listed',
        },
      );
    });
  });
});

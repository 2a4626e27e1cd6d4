import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import type { ChatMessage, ContentPart } from '../../../src/common/endpoint/chatTypes';
import { isReasoningModel, modelRules } from '../../../src/common/endpoint/modelRules';
import { applyDowngrades } from '../../../src/common/endpoint/paramDowngrade';
import {
  buildChatRequest,
  prepareRequest,
  type ChatOptions,
} from '../../../src/common/endpoint/requestBuilder';
import { tinyPngDataUrl } from '../../../src/common/endpoint/tinyPng';
import { editTools, selectionTool } from '../../../src/common/edits/toolSchemas';

const spec = JSON.parse(
  readFileSync(
    join(__dirname, '..', '..', 'fixtures', 'openai-spec', 'chat-completions.schema.json'),
    'utf8',
  ),
);
// strict: false because the extracted spec carries OpenAPI keywords (x-oaiMeta, nullable…).
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(spec, 'spec');
const validateRequest = ajv.getSchema('spec#/$defs/CreateChatCompletionRequest')!;

function assertValid(body: unknown): void {
  const ok = validateRequest(body);
  assert.ok(
    ok,
    `${JSON.stringify(validateRequest.errors?.slice(0, 3), null, 1)}\n${JSON.stringify(body).slice(0, 600)}`,
  );
}

const tools: ChatOptions['tools'] = [
  {
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a file from the workspace.',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      strict: true,
    },
  },
];

const parts: ContentPart[] = [
  { type: 'text', text: 'What is in this image and this audio?' },
  { type: 'image_url', image_url: { url: tinyPngDataUrl(), detail: 'low' } },
  { type: 'input_audio', input_audio: { data: 'UklGRiQAAABXQVZF', format: 'wav' } },
  { type: 'file', file: { filename: 'notes.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
];

const conversation: ChatMessage[] = [
  { role: 'system', content: 'You are a coding assistant.' },
  { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
  { role: 'user', content: parts, name: 'dev' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
    ],
    reasoning_content: 'I should read the file.',
  },
  { role: 'tool', content: 'export const a = 1;', tool_call_id: 'call_1' },
  { role: 'assistant', content: 'It exports a constant.', reasoning_content: 'Easy.' },
  { role: 'user', content: 'Thanks' },
];

const everyOption: ChatOptions = {
  temperature: 0.7,
  topP: 0.95,
  n: 2,
  stop: ['\n\n', 'END'],
  maxTokens: 512,
  presencePenalty: 0.5,
  frequencyPenalty: -0.5,
  logitBias: { '50256': -100 },
  seed: 42,
  responseFormat: {
    type: 'json_schema',
    json_schema: {
      name: 'answer',
      schema: { type: 'object', properties: { a: { type: 'string' } } },
      strict: true,
    },
  },
  tools,
  toolChoice: { type: 'function', function: { name: 'read_file' } },
  parallelToolCalls: false,
  logprobs: true,
  topLogprobs: 3,
  reasoningEffort: 'high',
  includeUsage: true,
  user: 'user-123',
  metadata: { feature: 'chat' },
  store: false,
  serviceTier: 'auto',
};

const MODELS = [
  'gpt-4o-mini',
  'o1',
  'o1-mini',
  'o3-mini',
  'o4-mini',
  'gpt-5',
  'gpt-5-chat-latest',
  'openai/o3',
  'deepseek-reasoner',
  'deepseek-chat',
  'llama3.2',
  'qwen2.5:7b',
  'gemini-2.0-flash',
  'claude-3-5-sonnet',
];

describe('request builder', () => {
  it('sends only what the user set', () => {
    assert.deepEqual(buildChatRequest('gpt-4o-mini', [{ role: 'user', content: 'hi' }]), {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
  });

  it('maps every option to its wire name', () => {
    const body = buildChatRequest('gpt-4o-mini', [{ role: 'user', content: 'hi' }], everyOption);
    assert.deepEqual(Object.keys(body).sort(), [
      'frequency_penalty',
      'logit_bias',
      'logprobs',
      'max_tokens',
      'messages',
      'metadata',
      'model',
      'n',
      'parallel_tool_calls',
      'presence_penalty',
      'response_format',
      'seed',
      'service_tier',
      'stop',
      'store',
      'stream',
      'stream_options',
      'temperature',
      'tool_choice',
      'tools',
      'top_logprobs',
      'top_p',
      'user',
    ]);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('reasoning models: max_completion_tokens, no sampling, developer instead of system', () => {
    for (const model of [
      'o1',
      'o3-mini',
      'o4-mini-2025-04-16',
      'gpt-5',
      'gpt-5-mini',
      'openai/o3',
      'azure/o3-pro',
    ]) {
      const body = buildChatRequest(
        model,
        [
          { role: 'system', content: 'sys' },
          { role: 'user', content: 'hi' },
        ],
        everyOption,
      );
      assert.equal(body.max_completion_tokens, 512, model);
      assert.equal(body.max_tokens, undefined, model);
      for (const f of [
        'temperature',
        'top_p',
        'presence_penalty',
        'frequency_penalty',
        'logprobs',
        'top_logprobs',
        'logit_bias',
      ]) {
        assert.equal(body[f], undefined, `${model} ${f}`);
      }
      assert.equal(body.messages[0].role, 'developer', model);
      assert.equal(body.reasoning_effort, 'high', model);
    }
  });

  it('o1-mini and o1-preview take the system prompt as a user message', () => {
    const body = buildChatRequest('o1-mini', [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'hi' },
    ]);
    assert.deepEqual(body.messages[0], { role: 'user', content: 'sys' });
  });

  it('recognises model families by name, not by accident', () => {
    assert.equal(isReasoningModel('gpt-5-chat-latest'), false);
    assert.equal(isReasoningModel('gpt-4o'), false);
    assert.equal(isReasoningModel('yolo1'), false);
    assert.equal(modelRules('gpt-4o').systemRole, undefined);
    assert.equal(modelRules('llama3.2').systemRole, 'system');
  });

  it('non-OpenAI models get developer messages as system', () => {
    const body = buildChatRequest('llama3.2', [
      { role: 'developer', content: 'dev' },
      { role: 'user', content: 'hi' },
    ]);
    assert.equal(body.messages[0].role, 'system');
  });

  it('re-sends reasoning only on the current DeepSeek tool turn', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'q1' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'old',
        tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', content: 'r', tool_call_id: 'a' },
      { role: 'assistant', content: 'answer 1', reasoning_content: 'old final' },
      { role: 'user', content: 'q2' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'current',
        tool_calls: [{ id: 'b', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', content: 'r', tool_call_id: 'b' },
    ];
    const reasoningOf = (model: string) =>
      buildChatRequest(model, history).messages.map((m) =>
        m.role === 'assistant' ? (m.reasoning_content ?? '-') : '',
      );
    assert.deepEqual(reasoningOf('deepseek-reasoner'), ['', '-', '', '-', '', 'current', '']);
    assert.deepEqual(reasoningOf('gpt-4o'), ['', '-', '', '-', '', '-', '']);
    assert.ok(!JSON.stringify(buildChatRequest('gpt-4o', history)).includes('reasoning_content'));
  });

  it('never changes the caller’s objects and is idempotent', () => {
    const messages = structuredClone(conversation);
    const body = buildChatRequest('o3', messages, everyOption);
    assert.deepEqual(messages, conversation);
    assert.deepEqual(prepareRequest(body), body);
  });

  it('drops tool_choice and parallel_tool_calls without tools, and stream_options without streaming', () => {
    const body = buildChatRequest('gpt-4o', [{ role: 'user', content: 'hi' }], {
      toolChoice: 'auto',
      parallelToolCalls: true,
      stream: false,
      includeUsage: true,
      topLogprobs: 2,
    });
    assert.deepEqual(Object.keys(body).sort(), ['logprobs', 'messages', 'model', 'stream', 'top_logprobs']);
  });

  it('passes provider-specific extras through', () => {
    const body = buildChatRequest('qwen3', [{ role: 'user', content: 'hi' }], {
      extra: { enable_thinking: false },
    });
    assert.equal(body.enable_thinking, false);
  });

  describe('against the OpenAI request schema', () => {
    it('the schema fixture is the request definition', () => {
      assert.equal(typeof validateRequest, 'function');
      assert.equal(validateRequest({ model: 'x' }), false, 'messages are required');
      const ok = { model: 'x', messages: [{ role: 'user', content: 'hi' }] };
      assert.equal(validateRequest(ok), true);
      assert.equal(validateRequest({ ...ok, temperature: 5 }), false, 'ranges are checked');
      assert.equal(
        validateRequest({ ...ok, messages: [{ role: 'robot', content: 'hi' }] }),
        false,
        'roles are checked',
      );
    });

    for (const model of MODELS) {
      it(`every option and every message kind, for ${model}`, () => {
        assertValid(buildChatRequest(model, conversation, everyOption));
        assertValid(buildChatRequest(model, conversation, { ...everyOption, stream: false }));
      });
    }

    it('each response_format, tool_choice and stop shape', () => {
      const formats: ChatOptions['responseFormat'][] = [
        { type: 'text' },
        { type: 'json_object' },
        everyOption.responseFormat,
      ];
      const choices: ChatOptions['toolChoice'][] = ['none', 'auto', 'required', everyOption.toolChoice];
      for (const responseFormat of formats)
        for (const toolChoice of choices)
          for (const stop of ['END', ['a', 'b'], undefined]) {
            assertValid(
              buildChatRequest('gpt-4o', conversation, { responseFormat, toolChoice, tools, stop }),
            );
          }
    });

    it('the edit tools, strict and not, each a valid JSON Schema', () => {
      for (const strict of [true, false]) {
        const tools = [...editTools(strict), selectionTool(strict)];
        assertValid(buildChatRequest('gpt-4o', conversation, { tools, toolChoice: 'auto' }));
        for (const tool of tools) {
          const params = tool.function.parameters as { properties: object; required: string[] };
          new Ajv2020({ strict: true }).compile(params);
          if (strict) assert.deepEqual(params.required, Object.keys(params.properties), tool.function.name);
        }
      }
    });

    it('after any set of downgrades', () => {
      const all = [
        'stream_options',
        'tools',
        'temperature',
        'top_p',
        'stream',
        'max_tokens',
        'max_completion_tokens',
        'developer',
        'reasoning_effort',
      ] as const;
      fc.assert(
        fc.property(fc.subarray([...all]), fc.constantFrom(...MODELS), (downgrades, model) => {
          assertValid(applyDowngrades(buildChatRequest(model, conversation, everyOption), downgrades));
        }),
        { numRuns: 150 },
      );
    });

    it('random option combinations (property)', () => {
      const options = fc.record(
        {
          temperature: fc.double({ min: 0, max: 2, noNaN: true }),
          topP: fc.double({ min: 0, max: 1, noNaN: true }),
          n: fc.integer({ min: 1, max: 4 }),
          stop: fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 4 })),
          maxTokens: fc.integer({ min: 1, max: 100_000 }),
          presencePenalty: fc.double({ min: -2, max: 2, noNaN: true }),
          frequencyPenalty: fc.double({ min: -2, max: 2, noNaN: true }),
          logitBias: fc.dictionary(
            fc.integer({ min: 0, max: 100_000 }).map(String),
            fc.integer({ min: -100, max: 100 }),
          ),
          seed: fc.integer(),
          responseFormat: fc.constantFrom<NonNullable<ChatOptions['responseFormat']>>(
            { type: 'text' },
            { type: 'json_object' },
          ),
          tools: fc.constant(tools),
          toolChoice: fc.constantFrom<NonNullable<ChatOptions['toolChoice']>>('auto', 'none', 'required'),
          parallelToolCalls: fc.boolean(),
          logprobs: fc.boolean(),
          topLogprobs: fc.integer({ min: 0, max: 20 }),
          reasoningEffort: fc.constantFrom<NonNullable<ChatOptions['reasoningEffort']>>(
            'minimal',
            'low',
            'medium',
            'high',
          ),
          stream: fc.boolean(),
          includeUsage: fc.boolean(),
          user: fc.string(),
          metadata: fc.dictionary(fc.string({ minLength: 1, maxLength: 16 }), fc.string()),
          store: fc.boolean(),
          serviceTier: fc.constantFrom<NonNullable<ChatOptions['serviceTier']>>(
            'auto',
            'default',
            'flex',
            'priority',
          ),
        },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(options, fc.constantFrom(...MODELS), (opts, model) => {
          assertValid(buildChatRequest(model, conversation, opts));
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('content on the wire', () => {
  const text = (t: string) => ({ type: 'text' as const, text: t });

  it('sends text-only content as one string for every role, parts a blank line apart', () => {
    const body = buildChatRequest('gpt-4o', [
      { role: 'system', content: [text('Be brief.'), text('Use English.')] },
      { role: 'developer', content: [text('Rules.')] },
      { role: 'user', content: [text('Why?'), text('File: a.ts\n```ts\nx\n```')] },
      { role: 'assistant', content: [text('Because.')] },
      { role: 'tool', content: [text('r1'), text('r2')], tool_call_id: 'c1' },
    ]);
    assert.deepEqual(
      body.messages.map((m) => m.content),
      ['Be brief.\n\nUse English.', 'Rules.', 'Why?\n\nFile: a.ts\n```ts\nx\n```', 'Because.', 'r1\n\nr2'],
    );
  });

  it('keeps an array only where a part is not text, and leaves the caller’s messages untouched', () => {
    const history: ChatMessage[] = [{ role: 'user', content: parts }];
    const body = buildChatRequest('gpt-4o', history);
    assert.deepEqual(body.messages[0].content, parts);
    const textOnly: ChatMessage[] = [{ role: 'user', content: [text('a'), text('b')] }];
    buildChatRequest('gpt-4o', textOnly);
    assert.deepEqual(textOnly[0].content, [text('a'), text('b')], 'the stored parts stay parts');
  });
});

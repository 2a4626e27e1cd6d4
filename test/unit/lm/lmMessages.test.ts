import assert from 'node:assert/strict';
import {
  LM_ROLE,
  LM_TOOL_MODE,
  messageText,
  toChatMessages,
  toChatTools,
  toLmToolCall,
  toToolChoice,
} from '../../../src/common/lm/lmMessages';

// The shapes of VS Code's part classes: LanguageModelTextPart, …ToolCallPart, …ToolResultPart, …DataPart.
const text = (value: string) => ({ value });
const toolCall = (callId: string, name: string, input: object) => ({ callId, name, input });
const toolResult = (callId: string, ...content: unknown[]) => ({ callId, content });
const data = (mimeType: string, bytes: number[]) => ({ mimeType, data: new Uint8Array(bytes) });

describe('LM messages → Chat Completions messages', () => {
  it('turns user, assistant and system text into the three roles', () => {
    assert.deepEqual(
      toChatMessages([
        { role: LM_ROLE.system, content: [text('Be brief.')] },
        { role: LM_ROLE.user, content: [text('Hello '), text('there')], name: 'ann' },
        { role: LM_ROLE.assistant, content: [text('Hi.')] },
      ]),
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there', name: 'ann' },
        { role: 'assistant', content: 'Hi.' },
      ],
    );
  });

  it('sends tool calls as tool_calls and tool results as role tool messages right after them', () => {
    assert.deepEqual(
      toChatMessages([
        { role: LM_ROLE.user, content: [text('Weather in Paris?')] },
        { role: LM_ROLE.assistant, content: [toolCall('call_1', 'weather', { city: 'Paris' })] },
        {
          role: LM_ROLE.user,
          content: [toolResult('call_1', text('18 °C'), text(', sunny')), text('Thanks')],
        },
      ]),
      [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18 °C, sunny' },
        { role: 'user', content: 'Thanks' },
      ],
    );
  });

  it('sends images as image_url data-URL parts beside the text', () => {
    assert.deepEqual(
      toChatMessages([{ role: LM_ROLE.user, content: [text('What is it?'), data('image/png', [1, 2, 3])] }]),
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is it?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } },
          ],
        },
      ],
    );
  });

  it('leaves out data parts a Chat Completions server cannot take, and messages left empty', () => {
    assert.deepEqual(
      toChatMessages([
        { role: LM_ROLE.user, content: [data('cache_control', [1])] },
        { role: LM_ROLE.user, content: [text('Only this')] },
      ]),
      [{ role: 'user', content: 'Only this' }],
    );
  });
});

describe('LM tools', () => {
  it('become function tools, with an empty object schema when none is given', () => {
    assert.deepEqual(
      toChatTools([
        {
          name: 'weather',
          description: 'Weather by city',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
        },
        { name: 'now', description: '' },
      ]),
      [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Weather by city',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
        { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
      ],
    );
    assert.equal(toChatTools([]), undefined);
  });

  it('Required mode names a single tool, asks for any of several, and Auto sends nothing', () => {
    const one = [{ name: 'a', description: '' }];
    const two = [...one, { name: 'b', description: '' }];
    assert.deepEqual(toToolChoice(LM_TOOL_MODE.required, one), { type: 'function', function: { name: 'a' } });
    assert.equal(toToolChoice(LM_TOOL_MODE.required, two), 'required');
    assert.equal(toToolChoice(LM_TOOL_MODE.auto, two), undefined);
  });

  it('parses a streamed call’s arguments, keeping unparsable text where the caller can see it', () => {
    assert.deepEqual(
      toLmToolCall({ id: 'c', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }),
      {
        callId: 'c',
        name: 'f',
        input: { x: 1 },
      },
    );
    assert.deepEqual(
      toLmToolCall({ id: 'c', type: 'function', function: { name: 'f', arguments: '' } }).input,
      {},
    );
    assert.deepEqual(
      toLmToolCall({ id: 'c', type: 'function', function: { name: 'f', arguments: '{"x":' } }).input,
      {
        arguments: '{"x":',
      },
    );
  });

  it('counts a message by its text, its tool calls and its tool results', () => {
    assert.equal(
      messageText({
        role: LM_ROLE.user,
        content: [text('a'), toolCall('c', 'f', { x: 1 }), toolResult('c', text('r'))],
      }),
      'a\nf{"x":1}\nr',
    );
  });
});

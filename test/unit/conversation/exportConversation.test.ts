import assert from 'node:assert/strict';
import type { ConversationRecord } from '../../../src/common/conversation/conversationStore';
import {
  chipSummary,
  conversationToJson,
  conversationToMarkdown,
  exportConversation,
} from '../../../src/common/conversation/exportConversation';
import { ChatSession } from '../../../src/common/conversation/chatSession';
import type { ModelPricing } from '../../../src/common/billing/pricing';
import type { Currency } from '../../../src/common/billing/money';
import { describeError } from '../../../src/common/panel/errorView';
import type { HostToWebview, ViewMessage } from '../../../src/common/panel/protocol';
import { PanelConversation, isConversationMessage } from '../../../src/common/panel/panelConversation';
import { sse } from '../../fakeServer/fakeServer';

const CNY: Currency = { symbol: '¥', perUsd: 7.2, code: 'CNY' };

/** A plain answer, a picked compare turn (one relay shows yuan) and a compare turn nobody picked from. */
function sky(): ConversationRecord {
  const views: ViewMessage[] = [
    { id: 'u1', role: 'user', text: 'Why is the sky blue?', context: [{ label: 'notes.md:1-2' }] },
    {
      id: 'a1',
      role: 'assistant',
      text: 'Rayleigh scattering.',
      status: 'complete',
      model: 'gpt-4o',
      usage: { prompt_tokens: 1000, completion_tokens: 500, prompt_tokens_details: { cached_tokens: 200 } },
      cost: 0.0075,
    },
    { id: 'u2', role: 'user', text: 'Which model explains it best?' },
    {
      id: 'a2',
      role: 'assistant',
      text: 'Answer two.',
      status: 'complete',
      model: 'glm-4',
      usage: { prompt_tokens: 2000, completion_tokens: 1000 },
      cost: 0.006,
      costCurrency: CNY,
      choiceLabels: ['p2/glm-4', 'p1/gpt-4o'],
      alternatives: ['Answer one.'],
      alternativeUsage: [
        { model: 'gpt-4o', usage: { prompt_tokens: 1000, completion_tokens: 500 }, cost: 0.0075 },
      ],
    },
    { id: 'u3', role: 'user', text: 'And now?', images: ['data:image/png;base64,AAAA'] },
    {
      id: 'a3',
      role: 'assistant',
      text: 'Still one.',
      status: 'stopped',
      model: 'gpt-4o',
      usage: { prompt_tokens: 10, completion_tokens: 5 },
      usageEstimated: true,
      cost: 0.00012,
      compare: { group: 'g3', model: 'p1/gpt-4o' },
    },
    {
      id: 'e3',
      role: 'error',
      text: 'HTTP 500',
      error: { title: 'HTTP 500 from relay.example', detail: 'upstream down', retryable: true },
      compare: { group: 'g3', model: 'p2/glm-4' },
    },
  ];
  return {
    id: 'c1',
    title: 'Sky',
    createdAt: Date.UTC(2026, 10, 30, 9, 0),
    updatedAt: Date.UTC(2026, 10, 30, 9, 5),
    // What went on the wire stays out of an export, whatever it holds.
    turns: views.map((view) => ({ view, api: { role: 'user', content: 'sk-never-exported' } })),
  };
}

describe('export: Markdown', () => {
  it('shows each answer’s usage line, every answer of a compare turn by model with the pick marked, and the total', () => {
    assert.equal(
      conversationToMarkdown(sky()),
      [
        '# Sky',
        '',
        '## You',
        '',
        '_Context: notes.md:1-2_',
        '',
        'Why is the sky blue?',
        '',
        '## Assistant',
        '',
        'Rayleigh scattering.',
        '',
        '_gpt-4o: 1,000 → 500 tokens · $0.0075_',
        '',
        '## You',
        '',
        'Which model explains it best?',
        '',
        '## Compare',
        '',
        '### p2/glm-4 ✓ picked',
        '',
        'Answer two.',
        '',
        '_glm-4: 2,000 → 1,000 tokens · ¥0.04_',
        '',
        '### p1/gpt-4o',
        '',
        'Answer one.',
        '',
        '_gpt-4o: 1,000 → 500 tokens · $0.0075_',
        '',
        '## You',
        '',
        'And now?',
        '',
        '## Compare (none picked)',
        '',
        '### p1/gpt-4o',
        '',
        'Still one.',
        '',
        '_(stopped)_',
        '',
        '_gpt-4o: ≈10 → 5 tokens · ≈$0.00012_',
        '',
        '### p2/glm-4',
        '',
        '> **Error:** HTTP 500 from relay.example — upstream down',
        '',
        // Yuan and dollars do not add up as either: the total is in the dollars costs are kept in.
        '---',
        '',
        '_Total: ≈4,010 → 2,005 tokens · ≈$0.02_',
        '',
      ].join('\n'),
    );
  });

  it('adds up in the relay’s currency where every cost is in it, and lists the other choices of n > 1', () => {
    const record: ConversationRecord = {
      id: 'c2',
      title: 'Yuan',
      createdAt: 0,
      updatedAt: 0,
      turns: [
        { view: { id: 'u', role: 'user', text: 'q' } },
        {
          view: {
            id: 'a',
            role: 'assistant',
            text: 'First choice.',
            alternatives: ['Second choice.'],
            usage: { prompt_tokens: 1000, completion_tokens: 500 },
            cost: 0.0075,
            costCurrency: CNY,
          },
        },
      ],
    };
    assert.equal(
      conversationToMarkdown(record),
      '# Yuan\n\n## You\n\nq\n\n## Assistant\n\nFirst choice.\n\n_1,000 → 500 tokens · ¥0.05_\n\n' +
        '### Choice 2\n\nSecond choice.\n\n---\n\n_Total: 1,000 → 500 tokens · ¥0.05_\n',
    );
  });
});

describe('export: JSON', () => {
  it('is the documented relay-chat.conversation v1 shape with usage and cost per answer and the total', () => {
    const usage = (prompt: number, completion: number, more: object = {}) => ({
      promptTokens: prompt,
      completionTokens: completion,
      totalTokens: prompt + completion,
      cachedTokens: 0,
      reasoningTokens: 0,
      estimated: false,
      ...more,
    });
    assert.deepEqual(conversationToJson(sky()), {
      format: 'relay-chat.conversation',
      version: 1,
      title: 'Sky',
      createdAt: '2026-11-30T09:00:00.000Z',
      updatedAt: '2026-11-30T09:05:00.000Z',
      messages: [
        { role: 'user', text: 'Why is the sky blue?', context: ['notes.md:1-2'] },
        {
          role: 'assistant',
          model: 'gpt-4o',
          text: 'Rayleigh scattering.',
          usage: usage(1000, 500, { cachedTokens: 200 }),
          cost: { amount: 0.0075, currency: 'USD', usd: 0.0075 },
        },
        { role: 'user', text: 'Which model explains it best?' },
        {
          role: 'compare',
          picked: 'p2/glm-4',
          answers: [
            {
              label: 'p2/glm-4',
              model: 'glm-4',
              text: 'Answer two.',
              usage: usage(2000, 1000),
              cost: { amount: 0.0432, currency: 'CNY', usd: 0.006 },
            },
            {
              label: 'p1/gpt-4o',
              model: 'gpt-4o',
              text: 'Answer one.',
              usage: usage(1000, 500),
              cost: { amount: 0.0075, currency: 'USD', usd: 0.0075 },
            },
          ],
        },
        { role: 'user', text: 'And now?', images: 1 },
        {
          role: 'compare',
          picked: null,
          answers: [
            {
              label: 'p1/gpt-4o',
              model: 'gpt-4o',
              text: 'Still one.',
              status: 'stopped',
              usage: usage(10, 5, { estimated: true }),
              cost: { amount: 0.00012, currency: 'USD', usd: 0.00012 },
            },
            {
              label: 'p2/glm-4',
              error: { title: 'HTTP 500 from relay.example', detail: 'upstream down' },
            },
          ],
        },
      ],
      total: {
        usage: usage(4010, 2005, { cachedTokens: 200, estimated: true }),
        cost: { amount: 0.02112, currency: 'USD', usd: 0.02112 },
      },
    });
  });

  it('writes indented JSON for the editor and nothing of the wire, images or keys', () => {
    const { content, language } = exportConversation(sky(), 'json');
    assert.equal(language, 'json');
    assert.ok(content.startsWith('{\n  "format": "relay-chat.conversation",\n  "version": 1,\n'));
    assert.ok(content.endsWith('}\n'));
    assert.deepEqual(JSON.parse(content), conversationToJson(sky()));
    assert.ok(!content.includes('sk-never-exported'));
    assert.ok(!content.includes('data:image'));
    assert.deepEqual(exportConversation(sky(), 'markdown'), {
      content: conversationToMarkdown(sky()),
      language: 'markdown',
    });
  });
});

describe('export: a compare turn from the real session', () => {
  it('keeps each alternative’s usage and cost, in its relay’s currency, through the pick', async () => {
    const posts: HostToWebview[] = [];
    let n = 0;
    const pricing: Record<string, ModelPricing> = {
      p1: { kind: 'tokens', price: { input: 2.5, output: 10 } },
      // 3,000 tokens at ratio 1: 3,000 units, $0.006, shown as ¥0.0432 by a relay that shows yuan.
      p2: {
        kind: 'ratio',
        modelRatio: 1,
        completionRatio: 1,
        groupRatio: 1,
        quotaPerUnit: 500_000,
        currency: CNY,
      },
    };
    const session = new ChatSession({
      fetch: async (input, init) => {
        const model = (JSON.parse(String(init?.body)) as { model: string }).model;
        const usage =
          model === 'gpt-4o'
            ? { prompt_tokens: 1000, completion_tokens: 500 }
            : { prompt_tokens: 2000, completion_tokens: 1000 };
        return new Response(sse(`Answer of ${String(input).split('/')[3]}.`, { model, usage }));
      },
      post: (m) => posts.push(m),
      resolveEndpoint: async () => assert.fail('a compare turn asks each model'),
      resolveEndpointFor: async (qualified) => {
        const [profileId, model] = qualified.split('/');
        return {
          config: { baseUrl: `http://127.0.0.1:1/${profileId}/v1`, retry: { maxRetries: 0 } },
          model,
          profileId,
        };
      },
      pricing: async (profileId) => pricing[profileId!],
      describeError: (err) => describeError(err),
      newId: () => `id${n++}`,
    });
    session.setCompare(['p1/gpt-4o', 'p2/glm-4']);
    await session.send({ display: 'Which is best?', content: 'Which is best?' });
    const second = session.state().messages.find((m) => m.compare?.model === 'p2/glm-4')!;
    assert.deepEqual(second.costCurrency, CNY);
    session.pickAnswer(second.id);
    const picked = session.state().messages[1];
    assert.deepEqual(picked.alternativeUsage, [
      {
        model: 'gpt-4o',
        usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
        cost: 0.0075,
      },
    ]);
    // The panel folds the same updates into the same message.
    const panel = new PanelConversation(() => assert.fail('no gap'));
    for (const m of posts) if (isConversationMessage(m)) panel.receive(m);
    assert.deepEqual(panel.messages, session.state().messages);

    const exported = conversationToJson(session.toRecord());
    assert.deepEqual(exported.messages[1], {
      role: 'compare',
      picked: 'p2/glm-4',
      answers: [
        {
          label: 'p2/glm-4',
          model: 'glm-4',
          text: 'Answer of p2.',
          usage: {
            promptTokens: 2000,
            completionTokens: 1000,
            totalTokens: 3000,
            cachedTokens: 0,
            reasoningTokens: 0,
            estimated: false,
          },
          cost: { amount: 0.0432, currency: 'CNY', usd: 0.006 },
        },
        {
          label: 'p1/gpt-4o',
          model: 'gpt-4o',
          text: 'Answer of p1.',
          usage: {
            promptTokens: 1000,
            completionTokens: 500,
            totalTokens: 1500,
            cachedTokens: 0,
            reasoningTokens: 0,
            estimated: false,
          },
          cost: { amount: 0.0075, currency: 'USD', usd: 0.0075 },
        },
      ],
    });
    assert.deepEqual(exported.total.cost, { amount: 0.0135, currency: 'USD', usd: 0.0135 });
  });
});

describe('export: what a question carried', () => {
  it('writes each chip with its kind, tokens, notes and, for the rules, their files', () => {
    assert.equal(chipSummary({ label: 'notes.md:1-2' }), 'notes.md:1-2');
    assert.equal(
      chipSummary({
        label: 'data/big.txt',
        kind: 'file',
        tokens: 1234,
        notes: ['lines 1–1,200 of 9,000 sent'],
        mention: { kind: 'file', path: 'data/big.txt' },
      }),
      'data/big.txt (file, 1.2k tokens; lines 1–1,200 of 9,000 sent)',
    );
    assert.equal(
      chipSummary({ label: 'Rules (2)', kind: 'rules', tokens: 310, paths: ['AGENTS.md', 'pkg/AGENTS.md'] }),
      'Rules (2) (rules, 310 tokens; AGENTS.md, pkg/AGENTS.md)',
    );
  });
});

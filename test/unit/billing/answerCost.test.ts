import assert from 'node:assert/strict';
import { ChatSession, type ChatSessionDeps } from '../../../src/common/conversation/chatSession';
import { describeError } from '../../../src/common/panel/errorView';
import type { HostToWebview, ViewMessage } from '../../../src/common/panel/protocol';
import type { ConversationRecord } from '../../../src/common/conversation/conversationStore';
import { conversationToMarkdown } from '../../../src/common/conversation/exportConversation';
import { usageSummary } from '../../../src/common/billing/usageSummary';
import { PanelConversation, isConversationMessage } from '../../../src/common/panel/panelConversation';
import { parsePricing, type ModelPricing } from '../../../src/common/billing/pricing';
import { estimateTokens } from '../../../src/common/tokens/estimateTokens';
import { sse } from '../../fakeServer/fakeServer';

const GPT_4O = parsePricing({
  data: [{ model_name: 'gpt-4o', quota_type: 0, model_ratio: 1.25, completion_ratio: 4 }],
}).get('gpt-4o')!;

function withUsage(text: string, prompt: number, completion: number): string {
  const body = sse(text, { done: false });
  const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  return `${body}data: ${JSON.stringify({ id: 'x', model: 'gpt-4o', choices: [], usage })}\n\ndata: [DONE]\n\n`;
}

function harness(bodies: string[], pricing?: ModelPricing) {
  const posts: HostToWebview[] = [];
  const asked: { profileId?: string; model: string }[] = [];
  const ended: (string | undefined)[] = [];
  let n = 0;
  const deps: ChatSessionDeps = {
    fetch: async () => {
      const body = bodies.shift();
      if (body === undefined) throw new Error('unexpected request');
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    },
    post: (m) => posts.push(m),
    resolveEndpoint: async () => ({
      config: { baseUrl: 'http://127.0.0.1:1/v1', retry: { maxRetries: 0 } },
      model: 'gpt-4o',
      profileId: 'relay',
    }),
    describeError: (err) => describeError(err),
    newId: () => `id${n++}`,
    pricing: async (profileId, model) => {
      asked.push({ profileId, model });
      return pricing;
    },
    onAnswerEnd: (profileId) => ended.push(profileId),
  };
  const panel = () => {
    const p = new PanelConversation(() => assert.fail('no gap'));
    for (const m of posts) if (isConversationMessage(m)) p.receive(m);
    return p.messages;
  };
  return { session: new ChatSession(deps), posts, asked, ended, panel };
}

describe('ChatSession: usage and cost', () => {
  it("costs an answer by the relay's price, and the panel folds the same figures", async () => {
    const h = harness([withUsage('Hello', 1000, 500)], GPT_4O);
    await h.session.send({ display: 'hi', content: 'hi' });
    const answer = h.session.state().messages[1];
    assert.equal(answer.cost, 0.0075);
    assert.equal(answer.usageEstimated, undefined);
    assert.deepEqual(h.asked, [{ profileId: 'relay', model: 'gpt-4o' }]);
    assert.deepEqual(h.ended, ['relay']);
    assert.deepEqual(h.panel(), h.session.state().messages);
  });

  it('estimates the tokens where the relay sent no usage, and marks them', async () => {
    const h = harness([sse('An answer of some words.')], GPT_4O);
    await h.session.send({ display: 'A question', content: 'A question' });
    const answer = h.session.state().messages[1];
    // The question's text, its message's overhead (4) and the request's priming (3).
    const prompt = estimateTokens('A question') + 4 + 3;
    const completion = estimateTokens('An answer of some words.');
    assert.deepEqual(answer.usage, {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    });
    assert.equal(answer.usageEstimated, true);
    assert.equal(answer.cost, Math.round((prompt + completion * 4) * 1.25) / 500_000);
    assert.deepEqual(h.panel(), h.session.state().messages);
  });

  it('shows no cost for a model without a price, and adds a Continue to what came before', async () => {
    const none = harness([withUsage('Hi', 10, 2)]);
    await none.session.send({ display: 'q', content: 'q' });
    assert.equal(none.session.state().messages[1].cost, undefined);

    // Cut off after its usage: the answer stays, incomplete, with Continue.
    const usage = { prompt_tokens: 1000, completion_tokens: 500 };
    const cut = `data: ${JSON.stringify({ id: 'x', choices: [{ index: 0, delta: { content: 'Half' } }], usage })}\n\n`;
    const h = harness([cut, withUsage(' more', 1000, 500)], GPT_4O);
    await h.session.send({ display: 'q', content: 'q' });
    assert.equal(h.session.state().messages[1].cost, 0.0075);
    await h.session.continueAnswer();
    assert.equal(h.session.state().messages[1].cost, 0.015);
    assert.deepEqual(h.panel(), h.session.state().messages);
  });
});

describe('export: usage and cost of each answer', () => {
  const record = (views: ViewMessage[]): ConversationRecord => ({
    id: 'c',
    title: 'Costs',
    createdAt: 0,
    updatedAt: 0,
    turns: views.map((view) => ({ view })),
  });

  it('puts each answer’s tokens and cost under it in Markdown, ≈ where estimated', () => {
    const md = conversationToMarkdown(
      record([
        { id: 'u', role: 'user', text: 'q' },
        {
          id: 'a',
          role: 'assistant',
          text: 'A.',
          model: 'gpt-4o',
          usage: { prompt_tokens: 1000, completion_tokens: 500 },
          cost: 0.0075,
        },
        { id: 'u2', role: 'user', text: 'q2' },
        {
          id: 'b',
          role: 'assistant',
          text: 'B.',
          usage: { prompt_tokens: 9, completion_tokens: 3 },
          usageEstimated: true,
        },
      ]),
    );
    assert.equal(
      md,
      '# Costs\n\n## You\n\nq\n\n## Assistant\n\nA.\n\n_gpt-4o: 1,000 → 500 tokens · $0.0075_\n\n' +
        '## You\n\nq2\n\n## Assistant\n\nB.\n\n_≈9 → 3 tokens_\n\n' +
        // One answer's figures were estimated: the total is marked too, as in the panel.
        '---\n\n_Total: ≈1,009 → 503 tokens · ≈$0.0075_\n',
    );
  });

  it('keeps usage, the estimate mark and the cost in the saved (JSON) record', () => {
    const view: ViewMessage = {
      id: 'a',
      role: 'assistant',
      text: 'A.',
      usage: { prompt_tokens: 9, completion_tokens: 3 },
      usageEstimated: true,
      cost: 0.00012,
    };
    const back = JSON.parse(JSON.stringify(record([view]))) as ConversationRecord;
    assert.deepEqual(back.turns[0].view, view);
    assert.equal(usageSummary(view), '≈9 → 3 tokens · ≈$0.00012');
  });
});

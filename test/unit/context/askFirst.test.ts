import assert from 'node:assert/strict';
import { checkBeforeSend, costQuestion } from '../../../src/common/context/askFirst';
import { buildSelectionParts } from '../../../src/common/conversation/selectionPrompt';
import type { ChatMessage } from '../../../src/common/endpoint/chatTypes';
import { planRequest } from '../../../src/common/context/contextPlan';

const lines = (n: number) =>
  Array.from({ length: n }, (_, i) => `export const item${i} = compute(${i}, 'value ${i}');`).join('\n');

function selectionQuestion(text: string, startLine = 1): ChatMessage {
  const sel = {
    path: 'src/big.ts',
    languageId: 'typescript',
    startLine,
    endLine: startLine + text.split('\n').length - 1,
    text,
  };
  return { role: 'user', content: buildSelectionParts('What does this do?', sel) };
}

describe('asking before sending', () => {
  it('offers the lines of a too-large selection that fit, from its start', () => {
    const text = lines(60_000);
    const question = selectionQuestion(text, 10);
    const check = checkBeforeSend({
      model: 'small',
      history: [],
      question,
      window: { tokens: 8192, source: 'override' },
      selection: { text, startLine: 10 },
      confirmAboveCost: 0.5,
    });
    assert.equal(check.kind, 'tooLarge');
    if (check.kind !== 'tooLarge') return;
    assert.equal(check.window, 8192);
    assert.ok(check.tokens > 500_000, `${check.tokens}`);
    assert.equal(check.fit?.startLine, 10);
    assert.ok(check.fit!.endLine > 10);
    // What it offers does fit, with the question around it.
    const cut = selectionQuestion(check.fit!.text, 10);
    const plan = planRequest([cut], { tokens: 8192, source: 'override' });
    assert.ok(plan.fits, `${plan.promptTokens} + ${plan.reserve}`);
  });

  it('asks about a question above 128k tokens when the window is unknown, and not below', () => {
    const big = selectionQuestion(lines(20_000));
    assert.equal(
      checkBeforeSend({ model: 'm', history: [], question: big, confirmAboveCost: 0 }).kind,
      'unknownWindow',
    );
    const small = selectionQuestion(lines(200));
    assert.equal(
      checkBeforeSend({ model: 'm', history: [], question: small, confirmAboveCost: 0 }).kind,
      'ok',
    );
  });

  it('asks above relayChat.confirmAboveCost only where a price is known', () => {
    const question = selectionQuestion(lines(3000));
    const base = {
      model: 'gpt-4o',
      history: [],
      question,
      window: { tokens: 128000, source: 'family' as const },
    };
    assert.equal(checkBeforeSend({ ...base, confirmAboveCost: 0.5 }).kind, 'ok');
    assert.equal(checkBeforeSend({ ...base, priceOf: () => undefined, confirmAboveCost: 0.5 }).kind, 'ok');
    const check = checkBeforeSend({
      ...base,
      priceOf: () => ({ input: 10, output: 30 }),
      confirmAboveCost: 0.5,
    });
    assert.equal(check.kind, 'cost');
    if (check.kind === 'cost') assert.ok(check.usd > 0.5 && check.limit === 0.5);
    assert.equal(
      checkBeforeSend({ ...base, priceOf: () => ({ input: 10, output: 30 }), confirmAboveCost: 0 }).kind,
      'ok',
    );
    // A one-line question at a dear price: priced with a typical answer, not the whole reserve.
    const oneLine = { ...base, question: { role: 'user' as const, content: 'Why?' } };
    assert.equal(
      checkBeforeSend({ ...oneLine, priceOf: () => ({ input: 10, output: 40 }), confirmAboveCost: 0.5 }).kind,
      'ok',
    );
    const capped = checkBeforeSend({
      ...oneLine,
      maxTokens: 20_000,
      priceOf: () => ({ input: 10, output: 40 }),
      confirmAboveCost: 0.5,
    });
    assert.equal(capped.kind, 'cost');
  });

  it('asks in the relay’s currency, with US dollars beside it, as relayChat.confirmAboveCost is', () => {
    const t = (message: string, ...args: unknown[]) =>
      message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
    const yuan = { symbol: '¥', perUsd: 7.2, code: 'CNY' };
    const check = {
      kind: 'cost' as const,
      usd: 0.62,
      tokens: 20_480,
      limit: 0.5,
    };
    assert.deepEqual(costQuestion(check, 'gpt-4o', t), {
      message: 'This question may cost about $0.62.',
      detail: 'About 20k tokens at the price of gpt-4o; relayChat.confirmAboveCost is $0.50 (in US dollars).',
    });
    assert.equal(
      costQuestion({ ...check, currency: yuan }, 'gpt-4o', t).message,
      'This question may cost about ¥4.46 ($0.62).',
    );
    const priced = checkBeforeSend({
      model: 'gpt-4o',
      history: [],
      question: { role: 'user', content: 'Why?' },
      window: { tokens: 128000, source: 'family' },
      maxTokens: 20_000,
      priceOf: () => ({ input: 10, output: 40, currency: yuan }),
      confirmAboveCost: 0.5,
    });
    assert.equal(priced.kind === 'cost' && priced.currency, yuan);
  });
});

import assert from 'node:assert/strict';
import type { ChatMessage } from '../../../src/common/endpoint/chatTypes';
import { fitHistory } from '../../../src/common/context/fitHistory';
import { planRequest } from '../../../src/common/context/contextPlan';
import { messageTokens, REQUEST_OVERHEAD } from '../../../src/common/context/requestTokens';

/** mulberry32: a small seeded generator, so a failing seed can be run again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'the',
  'function',
  'returns',
  '值',
  '函数',
  'const x = 1;',
  '{',
  '}',
  '\n',
  'refactor',
  'λ',
  '😀',
];

function text(rand: () => number, maxWords: number): string {
  const n = 1 + Math.floor(rand() * maxWords);
  return Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
}

function conversation(rand: () => number): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (rand() < 0.6) messages.push({ role: 'system', content: text(rand, 80) });
  const turns = Math.floor(rand() * 30);
  for (let i = 0; i < turns; i++) {
    messages.push({ role: 'user', content: text(rand, 200) });
    if (rand() < 0.9) messages.push({ role: 'assistant', content: text(rand, 400) });
  }
  // The current question, sometimes with attached code.
  messages.push(
    rand() < 0.5
      ? { role: 'user', content: text(rand, 50) }
      : {
          role: 'user',
          content: [
            { type: 'text', text: text(rand, 30) },
            { type: 'text', text: `File: a.ts\n\`\`\`ts\n${text(rand, 600)}\n\`\`\`` },
          ],
        },
  );
  return messages;
}

const SEEDS = Number(process.env.RELAY_PROPERTY_SEEDS ?? 1000);

describe('fitting the history to the window (property)', () => {
  it(`always fits when it can, and never drops the system prompt, the context or the question (${SEEDS} seeds)`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rand = random(seed);
      const messages = conversation(rand);
      const question = messages[messages.length - 1];
      const systems = messages.filter((m) => m.role === 'system');
      const budget = 50 + Math.floor(rand() * 6000);
      const fit = fitHistory(messages, budget);
      const sent = fit.messages;
      const where = `seed ${seed}, budget ${budget}`;
      // The question and its attached context, whole and last.
      assert.equal(sent[sent.length - 1], question, where);
      for (const system of systems) assert.ok(sent.includes(system), where);
      // The estimate it reports is what it sends.
      const total = REQUEST_OVERHEAD + sent.reduce((sum, m) => sum + messageTokens(m), 0);
      assert.equal(fit.promptTokens, total, where);
      const kept = REQUEST_OVERHEAD + [...systems, question].reduce((sum, m) => sum + messageTokens(m), 0);
      assert.equal(fit.keptTokens, kept, where);
      if (kept <= budget) {
        assert.ok(fit.fits && total <= budget, `${where}: ${total} > ${budget}`);
      } else {
        assert.equal(fit.fits, false, where);
      }
      // Oldest first: what is left is a suffix of the earlier turns, in order, still alternating.
      const earlier = messages.filter((m) => m.role !== 'system' && m !== question);
      const keptEarlier = sent.filter((m) => m.role !== 'system' && m !== question);
      assert.deepEqual(keptEarlier, earlier.slice(earlier.length - keptEarlier.length), where);
      assert.ok(keptEarlier.length === 0 || keptEarlier[0].role === 'user', where);
      assert.equal(fit.leftOut, earlier.length - keptEarlier.length, where);
      // Nothing left out that did not need to be: one more turn would not have fit.
      if (fit.leftOut > 0 && fit.fits) {
        const firstLeftOutTurn = earlier.length - keptEarlier.length;
        let back = firstLeftOutTurn - 1;
        while (back > 0 && earlier[back].role !== 'user') back--;
        const extra = earlier.slice(back, firstLeftOutTurn).reduce((sum, m) => sum + messageTokens(m), 0);
        assert.ok(total + extra > budget, `${where}: left out a turn that fitted`);
      }
    }
  });

  it('leaves the whole history when the window is unknown', () => {
    const messages = conversation(random(7));
    const plan = planRequest(messages, undefined);
    assert.equal(plan.leftOut, 0);
    assert.deepEqual(plan.messages, messages);
  });

  it('keeps the answer reserve free: max_tokens, else a share of the window', () => {
    const messages = conversation(random(11));
    const plan = planRequest(messages, { tokens: 8192, source: 'listed' }, { maxTokens: 2000 });
    assert.equal(plan.reserve, 2000);
    assert.ok(plan.promptTokens <= 8192 - 2000 || !plan.fits);
    assert.equal(planRequest(messages, { tokens: 8192, source: 'listed' }).reserve, 1638);
    assert.equal(planRequest(messages, { tokens: 1_000_000, source: 'listed' }).reserve, 16384);
  });
});

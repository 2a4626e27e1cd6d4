/**
 * A conversation as a file to keep: Markdown to read, JSON for other tools. Both carry each answer's
 * usage and cost and every answer of a compare turn; neither carries what was sent on the wire
 * (`StoredTurn.api`), image data or anything of the profile (keys, headers).
 */
import type { Usage } from '../endpoint/chatTypes';
import { USD, type AnswerBilling, type Currency } from '../billing/money';
import { answerBilling, usageSummary } from '../billing/usageSummary';
import { usageTotals } from '../billing/usageTotals';
import type { ContextChip, MessageStatus, ViewMessage } from '../panel/protocol';
import { compactTokens } from '../context/tokenLabels';
import type { ConversationRecord } from './conversationStore';

export type ExportFormat = 'markdown' | 'json';

/** Tokens of one answer (or the conversation), as the relay counted them or Relay Chat estimated them. */
export interface ExportedUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens the relay served from its cache (billed at the cache price). */
  cachedTokens: number;
  reasoningTokens: number;
  /** The relay sent no usage: Relay Chat estimated these. */
  estimated: boolean;
}

/** A cost: `amount` in `currency` (ISO code, or the relay's symbol), and the US dollars it was worked out in. */
export interface ExportedCost {
  amount: number;
  currency: string;
  usd: number;
}

export interface ExportedError {
  title: string;
  detail?: string;
}

/** One answer of a compare turn: `label` is the `<profile id>/<model id>` it was asked of. */
export interface ExportedCompareAnswer {
  label: string;
  /** The model as the server named it. */
  model?: string;
  text?: string;
  reasoning?: string;
  status?: MessageStatus;
  usage?: ExportedUsage;
  cost?: ExportedCost;
  error?: ExportedError;
}

export type ExportedMessage =
  | { role: 'user'; text: string; context?: string[]; images?: number }
  | {
      role: 'assistant';
      text: string;
      model?: string;
      reasoning?: string;
      status?: MessageStatus;
      usage?: ExportedUsage;
      cost?: ExportedCost;
      /** n > 1: the other choices of the same request (its usage covers them all). */
      alternatives?: { text: string }[];
    }
  /** Several models asked at once; `picked`: the label of the answer the conversation went on with. */
  | { role: 'compare'; picked: string | null; answers: ExportedCompareAnswer[] }
  | { role: 'error'; error: ExportedError };

/** `relayChat.exportConversation` as JSON, version 1. Later versions only add fields. */
export interface ExportedConversation {
  format: 'relay-chat.conversation';
  version: 1;
  title: string;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  messages: ExportedMessage[];
  /** Every answer's tokens and cost added up (the answers of a compare turn not picked too). */
  total: { usage: ExportedUsage; cost?: ExportedCost };
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);
/** No float dust from the conversion ($0.0075 × 7.2 is 0.054, not 0.054000000000000006). */
const tidy = (n: number) => Number(n.toPrecision(12));

function exportedUsage(usage: Usage, estimated: boolean | undefined): ExportedUsage {
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: count(usage.total_tokens) || prompt + completion,
    cachedTokens: count(usage.prompt_tokens_details?.cached_tokens),
    reasoningTokens: count(usage.completion_tokens_details?.reasoning_tokens),
    estimated: estimated === true,
  };
}

function exportedCost(usd: number, currency: Currency = USD): ExportedCost {
  return { amount: tidy(usd * currency.perUsd), currency: currency.code ?? currency.symbol, usd: tidy(usd) };
}

function billingFields(b: AnswerBilling): { usage?: ExportedUsage; cost?: ExportedCost } {
  return {
    ...(b.usage ? { usage: exportedUsage(b.usage, b.usageEstimated) } : {}),
    ...(b.cost !== undefined ? { cost: exportedCost(b.cost, b.costCurrency) } : {}),
  };
}

const errorOf = (view: ViewMessage): ExportedError => ({
  title: view.error?.title ?? view.text,
  ...(view.error?.detail ? { detail: view.error.detail } : {}),
});

function answerFields(view: ViewMessage) {
  return {
    ...(view.model ? { model: view.model } : {}),
    text: view.text,
    ...(view.reasoning ? { reasoning: view.reasoning } : {}),
    ...(view.status && view.status !== 'complete' ? { status: view.status } : {}),
    ...billingFields(view),
  };
}

/**
 * The turns in the order shown, a compare turn as one entry: its answers side by side before a pick
 * (consecutive messages of one group), or the picked answer with the others as alternatives after.
 */
type Entry =
  { kind: 'message'; view: ViewMessage } | { kind: 'compare'; picked?: ViewMessage; answers: ViewMessage[] };

function entriesOf(record: ConversationRecord): Entry[] {
  const out: Entry[] = [];
  for (const { view } of record.turns) {
    const last = out[out.length - 1];
    if (view.compare) {
      const group = view.compare.group;
      if (last?.kind === 'compare' && !last.picked && last.answers[0].compare?.group === group)
        last.answers.push(view);
      else out.push({ kind: 'compare', answers: [view] });
    } else if (view.role === 'assistant' && view.choiceLabels?.length) {
      out.push({ kind: 'compare', picked: view, answers: [view] });
    } else {
      out.push({ kind: 'message', view });
    }
  }
  return out;
}

/** The picked answer of a compare turn first, then each alternative with its label, usage and cost. */
function pickedAnswers(view: ViewMessage): ExportedCompareAnswer[] {
  const labels = view.choiceLabels ?? [];
  const first: ExportedCompareAnswer = { label: labels[0] ?? '', ...answerFields(view) };
  const others = (view.alternatives ?? []).map((text, i): ExportedCompareAnswer => {
    const billing = view.alternativeUsage?.[i] ?? {};
    return {
      label: labels[i + 1] ?? '',
      ...(billing.model ? { model: billing.model } : {}),
      text,
      ...billingFields(billing),
    };
  });
  return [first, ...others];
}

function compareAnswer(view: ViewMessage): ExportedCompareAnswer {
  const label = view.compare?.model ?? '';
  return view.role === 'error' ? { label, error: errorOf(view) } : { label, ...answerFields(view) };
}

/** Every answer's usage and cost, the alternatives of picked compare turns included. */
function allAnswers(record: ConversationRecord): AnswerBilling[] {
  return record.turns.flatMap(({ view }) =>
    view.role === 'assistant' ? [answerBilling(view), ...(view.alternativeUsage ?? [])] : [],
  );
}

function totalOf(record: ConversationRecord): ExportedConversation['total'] {
  const totals = usageTotals(allAnswers(record));
  const usage: ExportedUsage = {
    promptTokens: totals.prompt,
    completionTokens: totals.completion,
    totalTokens: totals.total,
    cachedTokens: 0,
    reasoningTokens: 0,
    estimated: totals.estimated,
  };
  for (const answer of allAnswers(record)) {
    if (!answer.usage) continue;
    usage.cachedTokens += count(answer.usage.prompt_tokens_details?.cached_tokens);
    usage.reasoningTokens += count(answer.usage.completion_tokens_details?.reasoning_tokens);
  }
  return {
    usage,
    ...(totals.cost !== undefined ? { cost: exportedCost(totals.cost, totals.currency) } : {}),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function conversationToJson(record: ConversationRecord): ExportedConversation {
  const messages = entriesOf(record).map((entry): ExportedMessage => {
    if (entry.kind === 'compare') {
      return entry.picked
        ? { role: 'compare', picked: entry.picked.choiceLabels![0], answers: pickedAnswers(entry.picked) }
        : { role: 'compare', picked: null, answers: entry.answers.map(compareAnswer) };
    }
    const { view } = entry;
    if (view.role === 'user') {
      return {
        role: 'user',
        text: view.text,
        ...(view.context?.length ? { context: view.context.map(chipSummary) } : {}),
        ...(view.images?.length ? { images: view.images.length } : {}),
      };
    }
    if (view.role === 'error') return { role: 'error', error: errorOf(view) };
    return {
      role: 'assistant',
      ...answerFields(view),
      ...(view.alternatives?.length ? { alternatives: view.alternatives.map((text) => ({ text })) } : {}),
    };
  });
  return {
    format: 'relay-chat.conversation',
    version: 1,
    title: record.title,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    messages,
    total: totalOf(record),
  };
}

/** The usage line under an answer, as the panel shows it, with the model that answered. */
function usageLine(b: AnswerBilling): string[] {
  const usage = usageSummary(b);
  return usage ? [`_${b.model ? `${b.model}: ` : ''}${usage}_`, ''] : [];
}

function errorLines(view: ViewMessage): string[] {
  const { title, detail } = errorOf(view);
  return [`> **Error:** ${title}${detail ? ` — ${detail}` : ''}`, ''];
}

function answerLines(view: ViewMessage): string[] {
  const out: string[] = [];
  if (view.reasoning)
    out.push('<details><summary>Thinking</summary>', '', view.reasoning, '', '</details>', '');
  out.push(view.text, '');
  if (view.status === 'incomplete' || view.status === 'stopped') out.push(`_(${view.status})_`, '');
  out.push(...usageLine(view));
  return out;
}

function compareLines(entry: Extract<Entry, { kind: 'compare' }>): string[] {
  const picked = entry.picked;
  if (!picked) {
    const out = ['## Compare (none picked)', ''];
    for (const view of entry.answers) {
      out.push(`### ${view.compare?.model ?? ''}`, '');
      out.push(...(view.role === 'error' ? errorLines(view) : answerLines(view)));
    }
    return out;
  }
  const labels = picked.choiceLabels ?? [];
  const out = ['## Compare', '', `### ${labels[0] ?? ''} ✓ picked`, '', ...answerLines(picked)];
  (picked.alternatives ?? []).forEach((text, i) => {
    out.push(`### ${labels[i + 1] ?? ''}`, '', text, '', ...usageLine(picked.alternativeUsage?.[i] ?? {}));
  });
  return out;
}

/** The conversation as Markdown: each answer with its usage line, compare turns in full, the total. */
export function conversationToMarkdown(record: ConversationRecord): string {
  const out = [`# ${record.title}`, ''];
  for (const entry of entriesOf(record)) {
    if (entry.kind === 'compare') {
      out.push(...compareLines(entry));
      continue;
    }
    const { view } = entry;
    if (view.role === 'user') {
      out.push('## You', '');
      if (view.context?.length) out.push(`_Context: ${view.context.map(chipSummary).join('; ')}_`, '');
      out.push(view.text, '');
    } else if (view.role === 'assistant') {
      out.push('## Assistant', '', ...answerLines(view));
      view.alternatives?.forEach((text, i) => out.push(`### Choice ${i + 2}`, '', text, ''));
    } else if (view.error) {
      out.push(...errorLines(view));
    }
  }
  const total = usageTotals(allAnswers(record));
  if (total.total > 0) {
    const usage = { prompt_tokens: total.prompt, completion_tokens: total.completion };
    const line = usageSummary({
      usage,
      usageEstimated: total.estimated,
      cost: total.cost,
      costCurrency: total.currency,
    });
    out.push('---', '', `_Total: ${line}_`, '');
  }
  return out.join('\n');
}

/** The file text and the editor language for a format. */
export function exportConversation(
  record: ConversationRecord,
  format: ExportFormat,
): { content: string; language: 'markdown' | 'json' } {
  return format === 'json'
    ? { content: `${JSON.stringify(conversationToJson(record), null, 2)}\n`, language: 'json' }
    : { content: conversationToMarkdown(record), language: 'markdown' };
}

/**
 * What a question carried, in one line: `src/a.ts (file, 1.2k tokens; lines 1–1,200 of 9,000 sent)`,
 * `Rules (2) (rules, 310 tokens: AGENTS.md, pkg/AGENTS.md)`. A chip saved before mentions is its label.
 */
export function chipSummary(chip: ContextChip): string {
  const facts = [
    chip.kind,
    chip.tokens !== undefined ? `${compactTokens(chip.tokens)} tokens` : undefined,
  ].filter(Boolean);
  const more = [...(chip.notes ?? []), ...(chip.paths?.length ? [chip.paths.join(', ')] : [])];
  if (!facts.length && !more.length) return chip.label;
  return `${chip.label} (${[facts.join(', '), ...more].filter(Boolean).join('; ')})`;
}

import type { ChatCompletionRequest, ChatMessage } from './chatTypes';

/**
 * A parameter an endpoint refused, and so one we stop sending. `max_tokens` means "send
 * max_completion_tokens instead" and vice versa; `developer` means "send that role as system";
 * `stream` means "ask for one JSON answer".
 */
export type Downgrade =
  | 'stream_options'
  | 'tools'
  | 'temperature'
  | 'top_p'
  | 'stream'
  | 'max_tokens'
  | 'max_completion_tokens'
  | 'developer'
  | 'reasoning_effort';

// Words servers use when they refuse a field rather than its value (OpenAI, vLLM/pydantic, Ollama,
// new-api/one-api in English and Chinese). "does not support" covers OpenAI's "'temperature' does
// not support 0.2 with this model", where only dropping the field helps.
const REFUSAL =
  /unsupported|not supported|unrecognized|unknown|extra (inputs|fields)|not permitted|not allowed|does not support|unexpected|invalid (parameter|argument|field|role)|不支持|未知|不允许/i;

interface Rule {
  downgrade: Downgrade;
  applies(body: ChatCompletionRequest): boolean;
  named: RegExp;
  /** Wording that refuses this field even without a word from REFUSAL. */
  refusedAs?: RegExp;
}

const hasDeveloper = (body: ChatCompletionRequest) => body.messages.some((m) => m.role === 'developer');

// Checked in order: the more specific names first, so "stream_options" is not read as "stream".
const RULES: Rule[] = [
  { downgrade: 'stream_options', applies: (b) => b.stream_options !== undefined, named: /stream_options/ },
  { downgrade: 'max_tokens', applies: (b) => b.max_tokens !== undefined, named: /\bmax_tokens\b/ },
  {
    downgrade: 'max_completion_tokens',
    applies: (b) => b.max_completion_tokens !== undefined,
    named: /max_completion_tokens/,
  },
  {
    downgrade: 'reasoning_effort',
    applies: (b) => b.reasoning_effort !== undefined,
    named: /reasoning_effort/,
  },
  { downgrade: 'temperature', applies: (b) => b.temperature !== undefined, named: /\btemperature\b/ },
  { downgrade: 'top_p', applies: (b) => b.top_p !== undefined, named: /\btop_p\b/ },
  {
    downgrade: 'developer',
    applies: hasDeveloper,
    named: /\bdeveloper\b/,
    // OpenAI and older Azure deployments: "Invalid value: 'developer'. Supported values are: …"
    refusedAs: /invalid value:? '?developer/i,
  },
  {
    downgrade: 'tools',
    applies: (b) => b.tools !== undefined || b.tool_choice !== undefined,
    named: /\btool(s|_choice|_calls)?\b|function call/i,
  },
  { downgrade: 'stream', applies: (b) => b.stream === true, named: /\bstream\b(?!_)/ },
];

/** The parameter a 400/422 refuses, when its message names one this request carries. */
export function detectDowngrade(
  status: number | undefined,
  message: string | undefined,
  body: ChatCompletionRequest,
  alreadyTried: readonly Downgrade[] = [],
): Downgrade | undefined {
  if ((status !== 400 && status !== 422) || !message) return undefined;
  const refusal = REFUSAL.test(message);
  for (const rule of RULES) {
    if (alreadyTried.includes(rule.downgrade) || !rule.applies(body) || !rule.named.test(message)) continue;
    if (refusal || rule.refusedAs?.test(message)) return rule.downgrade;
  }
  return undefined;
}

/** A copy of `body` without what `downgrade` names; the caller's object is never changed. */
export function applyDowngrade(body: ChatCompletionRequest, downgrade: Downgrade): ChatCompletionRequest {
  const next: ChatCompletionRequest = { ...body };
  switch (downgrade) {
    case 'stream_options':
    case 'temperature':
    case 'top_p':
    case 'reasoning_effort':
      delete next[downgrade];
      break;
    case 'tools':
      delete next.tools;
      delete next.tool_choice;
      delete next.parallel_tool_calls;
      break;
    case 'stream':
      next.stream = false;
      delete next.stream_options;
      break;
    case 'max_tokens':
      if (next.max_tokens !== undefined && next.max_completion_tokens === undefined) {
        next.max_completion_tokens = next.max_tokens;
      }
      delete next.max_tokens;
      break;
    case 'max_completion_tokens':
      if (next.max_completion_tokens !== undefined && next.max_tokens === undefined) {
        next.max_tokens = next.max_completion_tokens;
      }
      delete next.max_completion_tokens;
      break;
    case 'developer':
      next.messages = next.messages.map((m): ChatMessage =>
        m.role === 'developer' ? { ...m, role: 'system' } : m,
      );
      break;
  }
  return next;
}

export function applyDowngrades(
  body: ChatCompletionRequest,
  downgrades: readonly Downgrade[],
): ChatCompletionRequest {
  return downgrades.reduce(applyDowngrade, body);
}

/** One English line for logs and the notice event; the host translates by `downgrade`. */
export function downgradeMessage(downgrade: Downgrade, host: string): string {
  switch (downgrade) {
    case 'max_tokens':
      return `${host} refused max_tokens; sent max_completion_tokens instead.`;
    case 'max_completion_tokens':
      return `${host} refused max_completion_tokens; sent max_tokens instead.`;
    case 'developer':
      return `${host} refused the developer role; sent it as a system message.`;
    case 'stream':
      return `${host} refused streaming; asked for the whole answer at once.`;
    case 'tools':
      return `${host} refused tools for this model; sent the request without them.`;
    default:
      return `${host} refused ${downgrade}; sent the request without it.`;
  }
}

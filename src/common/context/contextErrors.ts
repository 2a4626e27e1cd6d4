import { EndpointError } from '../endpoint/endpointError';

/** What a refusal for length says, as far as it says it. */
export interface ContextOverflow {
  /** The model's (or the relay's) window in tokens. */
  window?: number;
  /** What the request came to by the server's count (prompt, or prompt + completion). */
  requested?: number;
}

// The wordings of a request too long for the window, by server. Each recorded in
// test/unit/context/contextErrors.test.ts.
const OVERFLOW = [
  /context[_ ]length[_ ]exceeded/i, // OpenAI's code, Groq, relays
  /maximum context length/i, // OpenAI, vLLM, DeepSeek, OpenRouter, Mistral
  /context (size|window|length|limit)/i, // llama.cpp, Ollama, Anthropic
  /exceeds? the (available )?context/i,
  /prompt is too long/i, // Anthropic
  /input token count.*exceeds the maximum/i, // Gemini
  /too large for model with \d+ maximum context/i, // Mistral
  /tokens \+ `max_new_tokens` must be <=/i, // TGI
  /exceed_context_size_error/i, // llama.cpp's type
  /上下文(长度|窗口)?.{0,12}(超过|超出|超限|过长)|(超过|超出).{0,12}上下文/, // new-api/one-api, Chinese relays
  /(输入|提示|请求).{0,6}(长度|token).{0,8}(超过|超出).{0,10}(最大|限制)/,
];

const num = (text: string | undefined) => (text ? Number(text.replace(/[,_\s]/g, '')) : undefined);
const N = '(\\d[\\d,]*)';

// Figures in the words, most exact first. `window` is the limit; `requested` what was asked.
const WINDOW_PATTERNS = [
  new RegExp(`maximum context length is ${N}`, 'i'),
  new RegExp(`with ${N} maximum context length`, 'i'),
  new RegExp(`tokens > ${N} maximum`, 'i'),
  new RegExp(`maximum number of tokens allowed \\(${N}\\)`, 'i'),
  new RegExp(`> ${N}, decrease input length`, 'i'),
  new RegExp(`must be <= ${N}`, 'i'),
  new RegExp(`context (?:size|length|window|limit) (?:is |of )?${N}`, 'i'),
  new RegExp(`(?:n_ctx|num_ctx|context_length)"?[=:\\s]+${N}`, 'i'),
  new RegExp(`最大上下文(?:长度|窗口)?(?:为|是|:|：)?\\s*${N}`),
  new RegExp(`(?:上限|限制)(?:为|是|:|：)?\\s*${N}`),
];

const REQUESTED_PATTERNS = [
  new RegExp(`you requested (?:about )?${N} tokens`, 'i'),
  new RegExp(`(?:messages|request) (?:resulted in|has) ${N} (?:input )?tokens`, 'i'),
  new RegExp(`prompt is too long: ${N} tokens`, 'i'),
  new RegExp(`input token count \\(${N}\\)`, 'i'),
  new RegExp(`prompt contains ${N} tokens`, 'i'),
  new RegExp(`exceed context limit: ${N} \\+ ${N}`, 'i'),
  new RegExp(`Given: ${N} \`inputs\` tokens`, 'i'),
  new RegExp(`(?:n_prompt_tokens|prompt_tokens)"?[=:\\s]+${N}`, 'i'),
  new RegExp(`(?:当前|本次|您的)(?:请求|输入|消息)?(?:长度|共|为|有|包含)?(?:为|:|：)?\\s*${N}`),
];

/**
 * Whether this server message (with its code, type and raw body) says the request was too long
 * for the model's window, and the figures it gives. Undefined for any other refusal.
 */
export function parseContextOverflow(info: {
  message?: string;
  code?: string;
  type?: string;
  body?: string;
}): ContextOverflow | undefined {
  const words = [info.code, info.type, info.message].filter(Boolean).join(' ');
  if (!OVERFLOW.some((pattern) => pattern.test(words))) return undefined;
  const all = `${info.message ?? ''} ${info.body ?? ''}`;
  const first = (patterns: RegExp[]) => {
    for (const pattern of patterns) {
      const match = pattern.exec(all);
      if (!match) continue;
      // "197000 + 8192 > 200000": the request is the sum.
      return match[2] ? num(match[1])! + num(match[2])! : num(match[1]);
    }
    return undefined;
  };
  const window = first(WINDOW_PATTERNS);
  const requested = first(REQUESTED_PATTERNS);
  return {
    ...(window && window >= 256 ? { window } : {}),
    ...(requested && requested !== window ? { requested } : {}),
  };
}

/** The overflow an endpoint error reports, if that is what it is. */
export function contextOverflowOf(err: unknown): ContextOverflow | undefined {
  if (!(err instanceof EndpointError) || (err.kind !== 'http' && err.kind !== 'stream')) return undefined;
  if (
    err.status !== undefined &&
    err.status !== 400 &&
    err.status !== 413 &&
    err.status !== 422 &&
    err.status !== 500
  )
    return undefined;
  return parseContextOverflow({
    message: err.serverMessage,
    code: err.errorCode,
    type: err.errorType,
    body: err.body,
  });
}

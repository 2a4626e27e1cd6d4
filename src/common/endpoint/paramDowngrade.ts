import type { ChatCompletionRequest, ChatMessage } from './chatTypes';
import { withSchemaInstruction } from '../structured/schemaDowngrade';

/**
 * A parameter an endpoint refused, and so one we stop sending. `max_tokens` means "send
 * max_completion_tokens instead" and vice versa; `developer` means "send that role as system";
 * `stream` means "ask for one JSON answer"; `name` means "no name on messages"; `null_content`
 * means "an empty string where an assistant message with tool calls has no text";
 * `content_array` means "message content only as a string" (text parts joined); `strict` means
 * "tool schemas without `strict: true`" (the tools themselves stay); `json_schema` means
 * "`response_format: json_object`, the schema in the system prompt".
 */
export type Downgrade =
  | 'stream_options'
  | 'tools'
  | 'temperature'
  | 'top_p'
  | 'presence_penalty'
  | 'frequency_penalty'
  | 'stream'
  | 'max_tokens'
  | 'max_completion_tokens'
  | 'developer'
  | 'reasoning_effort'
  | 'n'
  | 'logprobs'
  | 'logit_bias'
  | 'parallel_tool_calls'
  | 'user'
  | 'metadata'
  | 'store'
  | 'service_tier'
  | 'name'
  | 'null_content'
  | 'content_array'
  | 'strict'
  | 'image_webp'
  | 'json_schema';

// Words servers use when they refuse a field rather than its value (OpenAI, vLLM/pydantic, Ollama,
// Groq, Gemini, xAI, new-api/one-api in English and Chinese). "does not support" covers OpenAI's
// "'temperature' does not support 0.2 with this model", where only dropping the field helps.
const REFUSAL =
  /unsupported|not supported|unrecognized|unknown|extra (inputs|fields)|not permitted|not allowed|does not support|unexpected|invalid (parameter|argument|field|role)|cannot find field|is not one of|不支持|未知|不允许|不合法|非法/i;

/** A field name as servers spell it: `reasoning_effort`, `reasoningEffort`, `'reasoning_effort'`. */
function field(name: string): RegExp {
  const spelled = name
    .split('_')
    .map((part, i) => (i === 0 ? part : `_?${part}`))
    .join('');
  return new RegExp(`(^|[^A-Za-z0-9_])${spelled}(?![A-Za-z0-9_])`, 'i');
}

// Content that must be a string: serde (DeepSeek), pydantic (vLLM, SiliconFlow), Go (Ollama),
// and the Chinese wordings relays put in front of them.
const WANTS_STRING =
  /invalid type: sequence, expected a string|(content|value) must be (a )?string|input should be a valid string|cannot unmarshal array into .*content.* of type string|expected (a )?string|(必须|应该?|需要)(是|为)字符串|字符串类型/i;
// A text model refusing the image itself (Moonshot, relays).
const NO_IMAGES =
  /image (input )?(is )?not supported|does not support (images?|vision|image input)|不支持(图片|图像|视觉)/i;
const REFUSES_NULL =
  /invalid type: null, expected a string|input should be a valid string|content.{0,40}(must not be|cannot be|can't be|should not be) (null|none|empty)|must have either content or tool_calls|不能为空|不能为 ?null/i;

// "role 'user'" or pydantic's "messages.0.user.name" name a role, not the `user` field.
const ROLE_VALUE =
  /role\s*[:=]?\s*['"`]?(user|assistant|system|tool)\b['"`]?|(messages\.\d+\.)(user|assistant|system|tool)\b/gi;

interface Rule {
  downgrade: Downgrade;
  applies(body: ChatCompletionRequest): boolean;
  named: RegExp;
  /** Wording that refuses this field even without a word from REFUSAL. */
  refusedAs?: RegExp;
}

const hasDeveloper = (body: ChatCompletionRequest) => body.messages.some((m) => m.role === 'developer');
const hasName = (body: ChatCompletionRequest) =>
  body.messages.some((m) => 'name' in m && m.name !== undefined);
const hasArray = (body: ChatCompletionRequest) => body.messages.some((m) => Array.isArray(m.content));
const hasNullContent = (body: ChatCompletionRequest) =>
  body.messages.some((m) => m.role === 'assistant' && m.content === null);
const sent = (key: keyof ChatCompletionRequest) => (body: ChatCompletionRequest) => body[key] !== undefined;

// Checked in order: the more specific names first, so "stream_options" is not read as "stream",
// "top_logprobs" not as "logprobs", and a refused message shape before any field.
const RULES: Rule[] = [
  {
    downgrade: 'content_array',
    applies: hasArray,
    named: /content|messages|image/i,
    refusedAs: new RegExp(`${WANTS_STRING.source}|${NO_IMAGES.source}`, 'i'),
  },
  { downgrade: 'null_content', applies: hasNullContent, named: /content|messages/i, refusedAs: REFUSES_NULL },
  {
    downgrade: 'json_schema',
    applies: (b) => b.response_format?.type === 'json_schema',
    // Not OpenAI's "Invalid schema for response_format 'x': … is not permitted": that schema needs
    // fixing, and JSON mode would hide it.
    named: /^(?![\s\S]*invalid schema)[\s\S]*(response_?format|json_?schema)/i,
    // DeepSeek: "This response_format type is unavailable now"; OpenAI's older models: "Invalid
    // parameter: 'response_format' of type 'json_schema' is not supported with this model."
    refusedAs:
      /response_format type is unavailable|json_schema['"`]? (is )?(not supported|unsupported|unavailable)/i,
  },
  { downgrade: 'stream_options', applies: sent('stream_options'), named: field('stream_options') },
  { downgrade: 'max_tokens', applies: sent('max_tokens'), named: field('max_tokens') },
  {
    downgrade: 'max_completion_tokens',
    applies: sent('max_completion_tokens'),
    named: field('max_completion_tokens'),
  },
  {
    downgrade: 'reasoning_effort',
    applies: sent('reasoning_effort'),
    named: new RegExp(`${field('reasoning_effort').source}|invalid reasoning value`, 'i'),
    // Ollama: "invalid reasoning value: 'minimal' (must be "high", "medium", "low", or "none")".
    refusedAs: /invalid reasoning value/i,
  },
  {
    downgrade: 'parallel_tool_calls',
    applies: sent('parallel_tool_calls'),
    named: field('parallel_tool_calls'),
  },
  {
    downgrade: 'logprobs',
    applies: (b) => b.logprobs !== undefined || b.top_logprobs !== undefined,
    named: /(^|[^a-z])(top_?)?logprobs/i,
  },
  { downgrade: 'logit_bias', applies: sent('logit_bias'), named: field('logit_bias') },
  { downgrade: 'service_tier', applies: sent('service_tier'), named: field('service_tier') },
  { downgrade: 'metadata', applies: sent('metadata'), named: field('metadata') },
  { downgrade: 'store', applies: sent('store'), named: field('store') },
  {
    downgrade: 'user',
    applies: sent('user'),
    named: /(^|[\s'"`.([])user(?=$|[\s'"`:)\],=.])(?! ?(message|role))/i,
  },
  {
    downgrade: 'n',
    applies: sent('n'),
    named: /(^|[\s'"`.([])n(?=$|[\s'"`:)\],=])/,
    // Groq, Anthropic: "'n' : number must be at most 1", "only n=1 is supported".
    refusedAs: /must be at most 1|only n ?= ?1/i,
  },
  { downgrade: 'temperature', applies: sent('temperature'), named: field('temperature') },
  { downgrade: 'top_p', applies: sent('top_p'), named: field('top_p') },
  { downgrade: 'presence_penalty', applies: sent('presence_penalty'), named: field('presence_penalty') },
  { downgrade: 'frequency_penalty', applies: sent('frequency_penalty'), named: field('frequency_penalty') },
  {
    downgrade: 'developer',
    applies: hasDeveloper,
    named: /\bdeveloper\b|\brole\b/,
    // OpenAI and older Azure deployments: "Invalid value: 'developer'. Supported values are: …";
    // Vercel: "Invalid enum value. Expected 'system' | … received 'developer'"; pydantic relays
    // list the roles they take: "messages.0.role: Input should be 'system', 'user', …".
    refusedAs: /invalid value:? '?developer|received '?developer|\brole\b.*(should be|one of|expected)/i,
  },
  {
    downgrade: 'name',
    applies: hasName,
    // Not Gemini's "Unknown name \"store\"", which names the field after it.
    named: /(?<!unknown )\bname\b/i,
    // xAI: "Only messages of role 'user' can have a name."
    refusedAs: /can have a name/i,
  },
  {
    downgrade: 'strict',
    applies: (b) => !!b.tools?.some((t) => t.function.strict),
    named: field('strict'),
  },
  {
    downgrade: 'tools',
    applies: (b) => b.tools !== undefined || b.tool_choice !== undefined,
    named: /\btool(s|_choice|_calls)?\b|function call/i,
  },
  { downgrade: 'stream', applies: (b) => b.stream === true, named: /\bstream\b(?!_)/ },
];

/**
 * The parameter a 400/422 refuses, when its message (or the `param` the error names) points at one
 * this request carries.
 */
export function detectDowngrade(
  status: number | undefined,
  message: string | undefined,
  body: ChatCompletionRequest,
  alreadyTried: readonly Downgrade[] = [],
  param?: string,
): Downgrade | undefined {
  if ((status !== 400 && status !== 422) || !message) return undefined;
  const refusal = REFUSAL.test(message);
  let text = (param ? `${message} ${param}` : message).replace(ROLE_VALUE, 'role');
  // A refusal about roles lists them ("expected one of `system`, `user`, …"): those are role
  // names, not the `user` field.
  if (/\brole\b/i.test(text))
    text = text.replace(/['"`](user|assistant|system|tool|function)['"`]/g, 'a role');
  for (const rule of RULES) {
    if (alreadyTried.includes(rule.downgrade) || !rule.applies(body)) continue;
    if (rule.refusedAs?.test(message) && rule.named.test(text)) return rule.downgrade;
    if (refusal && rule.named.test(text) && !isShapeRule(rule.downgrade)) return rule.downgrade;
  }
  return undefined;
}

// "messages"/"content" appear in many refusals (a name on a message, a role): the shape rules
// need their own wording, never just a refusal word.
function isShapeRule(downgrade: Downgrade): boolean {
  return downgrade === 'content_array' || downgrade === 'null_content';
}

/** True when some message carries a part that is not text (an image, audio, a file). */
export function hasNonTextParts(body: ChatCompletionRequest): boolean {
  return body.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type !== 'text'));
}

/** Text parts joined in order, a blank line apart, so a fenced block stays on lines of its own. */
export function joinTextParts(parts: readonly { type: string; text?: string }[]): string {
  return parts.map((p) => p.text ?? '').join('\n\n');
}

/** Message content as one string wherever every part is text; arrays only where something is not. */
export function flattenTextContent(message: ChatMessage): ChatMessage {
  const content = message.content;
  if (!Array.isArray(content) || content.some((p) => p.type !== 'text')) return message;
  return { ...message, content: joinTextParts(content) } as ChatMessage;
}

/** A copy of `body` without what `downgrade` names; the caller's object is never changed. */
export function applyDowngrade(body: ChatCompletionRequest, downgrade: Downgrade): ChatCompletionRequest {
  const next: ChatCompletionRequest = { ...body };
  switch (downgrade) {
    case 'stream_options':
    case 'temperature':
    case 'top_p':
    case 'presence_penalty':
    case 'frequency_penalty':
    case 'reasoning_effort':
    case 'n':
    case 'logit_bias':
    case 'parallel_tool_calls':
    case 'user':
    case 'metadata':
    case 'store':
    case 'service_tier':
      delete next[downgrade];
      break;
    case 'logprobs':
      delete next.logprobs;
      delete next.top_logprobs;
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
    case 'name':
      next.messages = next.messages.map((m): ChatMessage => {
        if (!('name' in m)) return m;
        const { name: _dropped, ...rest } = m;
        return rest as ChatMessage;
      });
      break;
    case 'null_content':
      next.messages = next.messages.map((m): ChatMessage =>
        m.role === 'assistant' && m.content === null ? { ...m, content: '' } : m,
      );
      break;
    case 'strict':
      next.tools = next.tools?.map((t) => {
        const { strict: _dropped, ...fn } = t.function;
        return { ...t, function: fn };
      });
      break;
    case 'json_schema':
      return withSchemaInstruction(next);
    case 'image_webp':
      // The client swaps WebP images for the PNG/JPEG copies it holds (imageBudget.withoutWebp);
      // the panel stops making WebP for this endpoint.
      break;
    case 'content_array':
      // Text parts only; a message with an image keeps its array, and the client tells the user
      // (an image is never dropped in silence).
      next.messages = next.messages.map(flattenTextContent);
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
    case 'name':
      return `${host} refused names on messages; sent them without.`;
    case 'null_content':
      return `${host} refused an empty (null) assistant message; sent it as empty text.`;
    case 'content_array':
      return `${host} takes message content only as text; sent each message as one string.`;
    case 'image_webp':
      return `${host} refused WebP images; sent them as PNG or JPEG.`;
    case 'json_schema':
      return `${host} refused response_format json_schema; asked for json_object with the schema in the prompt.`;
    default:
      return `${host} refused ${downgrade}; sent the request without it.`;
  }
}

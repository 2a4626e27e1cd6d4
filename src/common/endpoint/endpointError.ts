/**
 * One error type for everything that can go wrong talking to an endpoint, carrying what the user
 * needs to act: HTTP status, endpoint host, the server's own words, the request id, and a hint.
 * Hints are codes so the extension host can translate them (vscode.l10n).
 */
export type ErrorHint =
  | 'auth'
  | 'notFound'
  | 'rateLimited'
  | 'quota'
  | 'server'
  | 'badRequest'
  | 'unreachable'
  | 'dns'
  | 'timeout'
  | 'badResponse'
  | 'streamCut'
  /** The stream ended cleanly with nothing in it. */
  | 'emptyAnswer'
  /** The stream ended with a finish_reason outside the spec (e.g. "error"). */
  | 'unexpectedFinish'
  | 'config'
  /** The endpoint takes message content only as text, and this message carries an image or file. */
  | 'textOnly';

export type ErrorKind = 'http' | 'network' | 'timeout' | 'stream' | 'config';

export interface EndpointErrorInit {
  kind: ErrorKind;
  host: string;
  status?: number;
  serverMessage?: string;
  errorType?: string;
  errorCode?: string;
  /** The request field the server blames, when it names one. */
  errorParam?: string;
  requestId?: string;
  hint: ErrorHint;
  retryAfterMs?: number;
  /** The response body as sent (clipped), for figures the words leave out (llama.cpp's `n_ctx`). */
  body?: string;
  cause?: unknown;
}

export class EndpointError extends Error {
  readonly kind: ErrorKind;
  readonly host: string;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly errorType?: string;
  readonly errorCode?: string;
  readonly errorParam?: string;
  readonly requestId?: string;
  readonly hint: ErrorHint;
  readonly retryAfterMs?: number;
  readonly body?: string;

  constructor(init: EndpointErrorInit) {
    super(summarize(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'EndpointError';
    this.kind = init.kind;
    this.host = init.host;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.errorType = init.errorType;
    this.errorCode = init.errorCode;
    this.errorParam = init.errorParam;
    this.requestId = init.requestId;
    this.hint = init.hint;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
  }
}

function summarize(init: EndpointErrorInit): string {
  const head = init.status ? `HTTP ${init.status} from ${init.host}` : `Request to ${init.host} failed`;
  return init.serverMessage ? `${head}: ${init.serverMessage}` : head;
}

// Out of balance is a 429 (OpenAI's insufficient_quota), a 402, or a 403 with relay wording. Plain
// "quota" is not enough: Gemini says it on per-minute limits, which a retry does fix.
const QUOTA =
  /insufficient_(user_)?quota|exceeded your current quota|余额不足|额度不足|额度已用尽|欠费|billing/i;

export function hintForStatus(status: number, message?: string, code?: string): ErrorHint {
  if (status === 402) return 'quota';
  if ((status === 429 || status === 403) && QUOTA.test(`${code ?? ''} ${message ?? ''}`)) return 'quota';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'notFound';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'server';
  return 'badRequest';
}

const MAX_MESSAGE = 600;

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE - 1)}…` : oneLine;
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export interface ParsedErrorBody {
  message?: string;
  type?: string;
  code?: string;
  /** The request field the server blames (`param` in OpenAI's shape), when it names one. */
  param?: string;
}

/**
 * Pulls the human words, type, code and blamed field out of the shapes servers and relays use for
 * errors: `{error: {message}}`, a string `error` with `message` beside it, `{detail: "…"}`,
 * FastAPI's `{detail: [{loc, msg}]}`, `{message, success: false}`, `{error_msg}`,
 * `{errors: [{message}]}`, a message that is itself JSON, HTML pages and plain text.
 */
export function parseErrorBody(body: string): ParsedErrorBody {
  const text = body.trim();
  if (!text) return {};
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const parsed = fromJson(JSON.parse(text), 0);
      return { ...parsed, message: parsed.message ? clip(parsed.message) : undefined };
    } catch {
      // fall through: not JSON after all
    }
  }
  if (/^<(!doctype|html|head|body)|<\/html>/i.test(text)) return { message: fromHtml(text) };
  return { message: clip(text) };
}

/** A message, whatever shape holds it: a string, JSON in a string, an object, a list of issues. */
function wordsOf(value: unknown, depth: number): ParsedErrorBody | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (!trimmed) return undefined;
    if (/^[[{]/.test(trimmed)) {
      try {
        const inner = fromJson(JSON.parse(trimmed), depth + 1);
        if (inner.message) return inner;
      } catch {
        // a message that merely starts with a bracket
      }
    }
    return { message: trimmed };
  }
  if (typeof value === 'number') return { message: String(value) };
  if (Array.isArray(value)) {
    // pydantic/FastAPI list every failing field; the first few say enough.
    const items = value.slice(0, 3).map((item) => fromJson(item, depth + 1));
    const words = items.flatMap((item) => (item.message ? [item.message] : []));
    return words.length ? { message: words.join('; '), code: items[0].code } : undefined;
  }
  if (value && typeof value === 'object') {
    const inner = fromJson(value, depth + 1);
    return inner.message ? inner : undefined;
  }
  return undefined;
}

function fromJson(value: unknown, depth: number): ParsedErrorBody {
  if (depth > 4) return {};
  if (Array.isArray(value)) return value.length ? fromJson(value[0], depth + 1) : {};
  if (!value || typeof value !== 'object') return { message: asString(value) };
  const obj = value as Record<string, unknown>;
  const code = asString(obj.code) ?? asString(obj.error_code);
  const param = asString(obj.param);
  const error = obj.error;
  if (typeof error === 'string') {
    // {"error":"SyntaxError","message":"Expected double-quoted property name…"}: both say something.
    const beside = wordsOf(obj.message ?? obj.detail ?? obj.msg, depth)?.message;
    const message = beside && beside !== error.trim() ? `${error.trim()}: ${beside}` : error;
    return { message, code, param, type: asString(obj.type) };
  }
  if (error && typeof error === 'object' && !Array.isArray(error)) {
    const inner = error as Record<string, unknown>;
    const nested = fromJson(inner, depth + 1);
    return {
      // {"error":{"code":"x"},"message":"…"}: the words sit beside the object.
      message: nested.message ?? wordsOf(obj.message ?? obj.msg, depth)?.message,
      type: asString(inner.type) ?? nested.type,
      code: asString(inner.code) ?? nested.code ?? code,
      param: asString(inner.param) ?? nested.param ?? param,
    };
  }
  const words =
    wordsOf(obj.message, depth) ??
    wordsOf(obj.msg, depth) ??
    wordsOf(obj.detail, depth) ??
    wordsOf(obj.error_msg, depth) ??
    wordsOf(obj.errors, depth) ??
    wordsOf(obj.description, depth) ??
    (Array.isArray(error) ? wordsOf(error, depth) : undefined);
  // pydantic (vLLM, FastAPI relays) names the refused field only in `loc`: ["body", "stream_options"].
  if (words?.message && Array.isArray(obj.loc)) {
    const field = obj.loc.filter((part) => part !== 'body').join('.');
    return { message: field ? `${field}: ${words.message}` : words.message, type: asString(obj.type), param };
  }
  return {
    message: words?.message,
    type: asString(obj.type) ?? words?.type,
    code: code ?? words?.code,
    param: param ?? words?.param,
  };
}

function fromHtml(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  const pick = (heading ?? title ?? html).replace(/<[^>]+>/g, ' ');
  return clip(decodeEntities(pick));
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const REQUEST_ID_HEADERS = [
  'x-request-id',
  'openai-request-id',
  'x-oneapi-request-id',
  'request-id',
  'cf-ray',
];

export function requestIdFrom(headers: Headers | undefined, message?: string): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers?.get(name);
    if (value) return value;
  }
  return message ? /request id[:：]\s*([\w-]+)/i.exec(message)?.[1] : undefined;
}

/** `Retry-After` as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function errorFromResponse(
  host: string,
  status: number,
  headers: Headers,
  body: string,
): EndpointError {
  const parsed = parseErrorBody(body);
  return new EndpointError({
    kind: 'http',
    host,
    status,
    serverMessage: parsed.message,
    errorType: parsed.type,
    errorCode: parsed.code,
    errorParam: parsed.param,
    requestId: requestIdFrom(headers, parsed.message),
    hint: hintForStatus(status, parsed.message, parsed.code),
    retryAfterMs: retryAfterMs(headers),
    body: body.slice(0, 4000),
  });
}

/**
 * An `{error: …}` object where a chunk should be: relays send one inside a 200 stream when the
 * upstream fails after the headers went out.
 */
export function errorFromStreamPayload(host: string, payload: string, headers?: Headers): EndpointError {
  const parsed = parseErrorBody(payload);
  let status: number | undefined;
  try {
    const value = JSON.parse(payload) as {
      error?: { status?: unknown; code?: unknown };
      status?: unknown;
      code?: unknown;
    };
    const candidate = Number(value.error?.status ?? value.status ?? value.error?.code ?? value.code);
    if (Number.isInteger(candidate) && candidate >= 400 && candidate < 600) status = candidate;
  } catch {
    // not JSON: the message is all there is
  }
  return new EndpointError({
    kind: 'stream',
    host,
    status,
    serverMessage: parsed.message,
    errorType: parsed.type,
    errorCode: parsed.code,
    requestId: requestIdFrom(headers, parsed.message),
    hint: status ? hintForStatus(status, parsed.message, parsed.code) : 'server',
    body: payload.slice(0, 4000),
  });
}

/** fetch() rejects with a bare TypeError; the useful code hides in `cause`. */
export function errorFromNetwork(host: string, err: unknown): EndpointError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  const detail = cause?.message ?? (err instanceof Error ? err.message : String(err));
  const hint: ErrorHint =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'dns'
      : code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT'
        ? 'timeout'
        : 'unreachable';
  return new EndpointError({
    kind: 'network',
    host,
    serverMessage: code ? `${code}: ${detail}` : detail,
    hint,
    cause: err,
  });
}

export function isAbortError(err: unknown): boolean {
  return (
    !!err &&
    typeof err === 'object' &&
    ((err as { name?: string }).name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR')
  );
}

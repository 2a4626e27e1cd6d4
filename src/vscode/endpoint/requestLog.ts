import type * as vscode from 'vscode';
import { redactHeaders, redactSecrets } from '../../common/endpoint/redact';

/** Query parameters some providers use for keys (Gemini's `?key=`). */
const SECRET_QUERY = /([?&](?:key|api_key|api-key|token|access_token)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1***');
}

/** What the body says about the request, without its contents (they are the user's code). */
function describeBody(body: RequestInit['body']): string {
  if (typeof body !== 'string') return '';
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> & { messages?: unknown[] };
    const params = Object.keys(parsed).filter((k) => k !== 'messages' && k !== 'model' && k !== 'tools');
    const tools = Array.isArray(parsed.tools) ? ` tools=${parsed.tools.length}` : '';
    return ` model=${String(parsed.model)} messages=${parsed.messages?.length ?? 0}${tools} params=[${params.join(',')}]`;
  } catch {
    return '';
  }
}

const MAX_LOGGED_BODY = 2000;

/**
 * An error body as the server sent it, for the log: the panel shows the words it found there, the
 * log keeps the whole thing. pydantic's `input` echoes what was sent (the user's code), so it goes.
 */
export function loggableErrorBody(text: string): string {
  let body = text.trim();
  try {
    body = JSON.stringify(JSON.parse(body), (key, value: unknown) => (key === 'input' ? '…' : value));
  } catch {
    // not JSON: as sent
  }
  body = body.replace(/\s+/g, ' ');
  return body.length > MAX_LOGGED_BODY ? `${body.slice(0, MAX_LOGGED_BODY)}…` : body;
}

/**
 * fetch with a log line per request: method, URL, status, time to headers, request id; headers at
 * trace level with credentials masked; never message contents. Anything that looks like a key is
 * masked, the known keys too.
 */
export function loggingFetch(
  log: vscode.LogOutputChannel,
  secrets: () => readonly (string | undefined)[],
  base: typeof fetch,
): typeof fetch {
  return async (input, init) => {
    const started = Date.now();
    const method = init?.method ?? 'GET';
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const clean = (text: string) => redactSecrets(text, secrets());
    const url = clean(redactUrl(raw));
    // Headers only at trace level (custom relay headers are worth seeing), credentials masked.
    log.trace(clean(`${method} ${url} headers ${JSON.stringify(redactHeaders(new Headers(init?.headers)))}`));
    try {
      const response = await base(input, init);
      const requestId =
        response.headers.get('x-request-id') ??
        response.headers.get('openai-request-id') ??
        response.headers.get('cf-ray');
      log.info(
        clean(
          `${method} ${url} → ${response.status} in ${Date.now() - started} ms${requestId ? ` request-id=${requestId}` : ''}${describeBody(init?.body)}`,
        ),
      );
      if (!response.ok) {
        // A clone, so the client still reads the body; the raw words stay here for a bug report.
        const text = await response
          .clone()
          .text()
          .catch(() => '');
        if (text.trim())
          log.warn(clean(`${method} ${url} → ${response.status} body: ${loggableErrorBody(text)}`));
      }
      return response;
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      log.warn(
        clean(
          `${method} ${url} failed after ${Date.now() - started} ms: ${String(err)}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`,
        ),
      );
      throw err;
    }
  };
}

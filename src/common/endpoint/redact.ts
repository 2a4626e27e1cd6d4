/** Shown instead of any secret in logs. */
export const MASK = '***';

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'api-key',
  'x-api-key',
  'x-goog-api-key',
]);

// Keys that look like keys even when nobody told us about them: OpenAI/relay `sk-…`, bearer tokens.
const KEY_SHAPES = [/\bsk-[A-Za-z0-9_-]{16,}/g, /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi];

/**
 * Replaces every occurrence of the given secrets, and anything shaped like an API key, with `***`.
 * Secrets shorter than 4 characters are ignored: masking "a" would mangle the whole log.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = secrets.filter((s): s is string => !!s && s.length >= 4).sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join(MASK);
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (_match, prefix?: string) =>
      typeof prefix === 'string' && /^Bearer/i.test(prefix) ? `${prefix}${MASK}` : MASK,
    );
  }
  return out;
}

/** A copy of `headers` safe to log: credential headers masked, the rest as they were. */
export function redactHeaders(headers: Record<string, string> | Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? MASK : value;
  return out;
}

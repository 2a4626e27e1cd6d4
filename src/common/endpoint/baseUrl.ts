/**
 * Users paste whatever their relay's dashboard shows: `https://host`, `https://host/v1/`, or the
 * full `.../v1/chat/completions`. All of them must reach the same endpoint.
 */
const ENDPOINT_SUFFIXES = ['/chat/completions', '/completions', '/models'];

export class BaseUrlError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'BaseUrlError';
  }
}

/** Returns the API root (no trailing slash), e.g. `https://host/v1`. */
export function normalizeBaseUrl(input: string): string {
  const trimmed = input.trim();
  if (!trimmed) throw new BaseUrlError(input, 'The base URL is empty.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new BaseUrlError(input, `"${input}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BaseUrlError(input, `"${input}" must start with http:// or https://.`);
  }
  let path = url.pathname.replace(/\/+$/, '');
  for (const suffix of ENDPOINT_SUFFIXES) {
    if (path.toLowerCase().endsWith(suffix)) {
      path = path.slice(0, -suffix.length).replace(/\/+$/, '');
      break;
    }
  }
  // A bare host means the conventional OpenAI layout. Any other path (`/api/paas/v4`,
  // `/v1beta/openai`, `/api/v1`) is the provider's own root and is kept as given.
  if (path === '') path = '/v1';
  url.pathname = path;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

export function chatCompletionsUrl(baseUrl: string): string {
  return `${normalizeBaseUrl(baseUrl)}/chat/completions`;
}

export function modelsUrl(baseUrl: string): string {
  return `${normalizeBaseUrl(baseUrl)}/models`;
}

/** The host users recognise in error messages; never includes credentials or query strings. */
export function endpointHost(baseUrl: string): string {
  try {
    return new URL(normalizeBaseUrl(baseUrl)).host;
  } catch {
    return baseUrl;
  }
}

import type { EndpointError } from '../../endpoint/endpointError';

/**
 * Why an endpoint turned a completion mode down, as opposed to failing this once (a 401, a 429, a
 * 5xx, a cut connection: those say nothing about the mode, and the ladder must not step down on
 * them, or one bad minute would cost the user native FIM for good).
 * - `noEndpoint`: the path does not exist there (404/405, "Invalid URL", "unknown endpoint");
 * - `suffixRefused`: the server refuses `suffix` (vLLM: "suffix is not currently supported");
 * - `notSupported`: the mode exists but not for this model (OpenAI: "This is a chat model and not
 *   supported in the v1/completions endpoint"; llama.cpp 501 "Infill is not supported by this model").
 */
export type RefusalReason = 'noEndpoint' | 'suffixRefused' | 'notSupported';

type ErrorFacts = Pick<EndpointError, 'status' | 'serverMessage' | 'errorParam' | 'errorType'>;

// Not "not found": on a 400 that is nearly always the model, which says nothing about the mode.
const NO_ENDPOINT = /invalid url|unknown (endpoint|url|path|route)|no route|cannot post/i;
const NOT_SUPPORTED =
  /not[ _](currently )?supported|unsupported|does not support|doesn't support|not implemented|not a completion model|only supports? chat|use (the )?(v1\/)?chat\/completions/i;

export function refusalOf(error: ErrorFacts): RefusalReason | undefined {
  const status = error.status;
  const words = `${error.serverMessage ?? ''} ${error.errorType ?? ''}`;
  if (status === 404 || status === 405) return 'noEndpoint';
  if (status === 501) return 'notSupported';
  if (status !== 400 && status !== 422) return undefined;
  if (error.errorParam === 'suffix' || /\bsuffix\b/i.test(words)) return 'suffixRefused';
  if (NOT_SUPPORTED.test(words)) return 'notSupported';
  if (NO_ENDPOINT.test(words)) return 'noEndpoint';
  return undefined;
}

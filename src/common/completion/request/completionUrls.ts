import { chatCompletionsUrl, normalizeBaseUrl } from '../../endpoint/baseUrl';
import { relayRoot } from '../../billing/relayRoot';
import type { CompletionMode } from './completionMode';

/**
 * DeepSeek serves FIM only under `/beta` (api-docs.deepseek.com, "FIM Completion (Beta)"): the
 * official host's `/v1` (or bare host) root becomes `/beta`. Relays in front of DeepSeek keep their
 * own root; whether they pass `suffix` on is the probe's to find out.
 */
export function fimBaseUrl(baseUrl: string): string {
  const root = normalizeBaseUrl(baseUrl);
  const url = new URL(root);
  if (url.hostname.toLowerCase() === 'api.deepseek.com' && /^\/v1$/i.test(url.pathname)) {
    return `${url.origin}/beta`;
  }
  return root;
}

/** Where each mode posts, by the same conventions as `baseUrl.ts` (users paste any of its forms). */
export function completionUrl(mode: CompletionMode, baseUrl: string): string {
  switch (mode) {
    case 'fim':
      return `${fimBaseUrl(baseUrl)}/completions`;
    case 'template':
      return `${normalizeBaseUrl(baseUrl)}/completions`;
    case 'mistral-fim':
      return `${normalizeBaseUrl(baseUrl)}/fim/completions`;
    case 'infill':
      // llama.cpp serves /infill beside /v1, at the server's root.
      return `${relayRoot(baseUrl)}/infill`;
    case 'chat':
      return chatCompletionsUrl(baseUrl);
  }
}

import { normalizeBaseUrl } from '../endpoint/baseUrl';

/**
 * Where a relay serves its own API (`/api/...`, `/dashboard/...`): the base URL without its
 * trailing `/v1`. `https://relay.example/v1` and `https://relay.example` give `https://relay.example`.
 */
export function relayRoot(baseUrl: string): string {
  return normalizeBaseUrl(baseUrl).replace(/\/v1$/i, '');
}

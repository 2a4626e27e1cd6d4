import { normalizeBaseUrl } from '../../endpoint/baseUrl';

/** The servers people run on their own machine, by the port each listens on out of the box. */
export type LocalServer = 'ollama' | 'llamacpp' | 'lmstudio' | 'vllm';

const DEFAULT_PORTS: Record<LocalServer, number> = {
  ollama: 11434,
  llamacpp: 8080,
  lmstudio: 1234,
  vllm: 8000,
};

function hostnameOf(baseUrl: string): URL | undefined {
  try {
    return new URL(normalizeBaseUrl(baseUrl));
  } catch {
    return undefined;
  }
}

/**
 * A server on this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0) or named on the local network by
 * mDNS (`*.local`): completions there cost nothing, so no price, no budget, a shorter debounce.
 */
export function isLocalEndpoint(baseUrl: string): boolean {
  const url = hostnameOf(baseUrl);
  if (!url) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host === '::1' ||
    host === '0.0.0.0' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/** Which local server a base URL most likely points at, from its default port; a guess, never a rule. */
export function localServerOf(baseUrl: string): LocalServer | undefined {
  if (!isLocalEndpoint(baseUrl)) return undefined;
  const port = Number(hostnameOf(baseUrl)?.port);
  return (Object.keys(DEFAULT_PORTS) as LocalServer[]).find((server) => DEFAULT_PORTS[server] === port);
}

import { EndpointError } from '../endpoint/endpointError';

/**
 * What both stream readers (chat's SSE decoder, completion's) say of a payload that is not a chunk:
 * text that is not JSON, and an error object where a chunk should be.
 */

/** An error object in place of a chunk (a relay whose upstream failed); an error beside `choices` is not one. */
export function isErrorObject(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const obj = value as Record<string, unknown>;
  return !!obj.error && !('choices' in obj);
}

/** Data from the server that is not JSON, as the error the panel shows: its first words, quoted. */
export function unreadablePayload(host: string, data: string): EndpointError {
  return new EndpointError({
    kind: 'stream',
    host,
    hint: 'badResponse',
    serverMessage: `Unreadable data from the server: ${data.slice(0, 200)}`,
  });
}

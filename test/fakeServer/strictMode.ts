/**
 * The strict-server catalogue (test/fixtures/strict/catalogue.json) and the rule the fake server's
 * strict mode applies: refuse, with the entry's exact status and body, any request that carries
 * the entry's field; answer normally otherwise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Downgrade } from '../../src/common/endpoint/paramDowngrade';
import type { ServerKind } from '../../src/common/endpoint/serverKind';

/**
 * The fields a catalogue entry can refuse: the engine's own downgrades, less those no strict
 * server in the catalogue refuses as a field.
 */
export type StrictField = Exclude<
  Downgrade,
  'tools' | 'temperature' | 'top_p' | 'stream' | 'max_tokens' | 'image_webp'
>;

export interface StrictEntry {
  id: string;
  server: string;
  /** The profile's serverKind for this server; null for relays with no kind of their own. */
  serverKind: ServerKind | null;
  field: StrictField;
  status: number;
  contentType: string;
  body: string;
  /** "real": words quoted from a public report; "reconstructed": the server's style, not a quote. */
  wording: 'real' | 'reconstructed';
  source: string;
  note?: string;
  /** content_array only: what a message with an image ends as (`error`: the words name no field). */
  imageExpect?: 'textOnly' | 'error';
  /** content_array only: the error detail the panel shows for the image case, exactly. */
  shown?: string;
}

export const CATALOGUE: StrictEntry[] = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'strict', 'catalogue.json'), 'utf8'),
);

export function catalogueEntry(id: string): StrictEntry {
  const entry = CATALOGUE.find((e) => e.id === id);
  if (!entry) throw new Error(`No catalogue entry ${id}`);
  return entry;
}

interface WireMessage {
  role?: string;
  content?: unknown;
  name?: unknown;
}

/** True when `body` carries what `entry` refuses. */
export function refuses(entry: StrictEntry, body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const request = body as Record<string, unknown> & { messages?: WireMessage[] };
  const messages = Array.isArray(request.messages) ? request.messages : [];
  switch (entry.field) {
    case 'content_array':
      return messages.some((m) => Array.isArray(m.content));
    case 'null_content':
      return messages.some((m) => m.role === 'assistant' && m.content === null);
    case 'name':
      return messages.some((m) => m.name !== undefined);
    case 'developer':
      return messages.some((m) => m.role === 'developer');
    case 'logprobs':
      return request.logprobs !== undefined || request.top_logprobs !== undefined;
    default:
      return request[entry.field] !== undefined;
  }
}

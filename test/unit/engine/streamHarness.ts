/** Shared by the engine tests: run bytes through the real decoding path and fold the events. */
import { createParser } from 'eventsource-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatEvent } from '../../../src/common/stream/chatEvents';
import { EndpointError, errorFromStreamPayload } from '../../../src/common/endpoint/endpointError';
import { ChatStreamDecoder } from '../../../src/common/stream/sseDecoder';
import { StreamAssembler } from '../../../src/common/stream/streamAssembler';

export const STREAMS = join(__dirname, '..', '..', 'fixtures', 'streams');

export interface ManifestCase {
  name: string;
  fixture: string;
  kind: 'stream' | 'json' | 'error';
  note: string;
  status?: number;
  headers?: Record<string, string>;
  expect: Record<string, unknown>;
}

export const manifest: ManifestCase[] = JSON.parse(readFileSync(join(STREAMS, 'manifest.json'), 'utf8'));

export function fixtureBytes(name: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(readFileSync(join(STREAMS, name)));
}

export interface Outcome {
  events: ChatEvent[];
  error?: EndpointError;
}

/**
 * Bytes in the given pieces → events, through the decoder's own read and finish steps, the ones
 * the client's read loop takes (without its timers and awaits).
 */
export function decodePieces(pieces: Uint8Array[], asJson = false): Outcome {
  const decoder = new ChatStreamDecoder('relay.test');
  const events: ChatEvent[] = [];
  if (!asJson) {
    for (const piece of pieces) {
      const error = decoder.read(piece, events);
      if (error) return { events, error };
      if (decoder.done) break;
    }
  }
  const error = decoder.finish(events, asJson ? new TextDecoder().decode(concat(pieces)) : undefined);
  if (error) return { events, error };
  if (!decoder.complete) {
    return { events, error: new EndpointError({ kind: 'stream', host: 'relay.test', hint: 'streamCut' }) };
  }
  return { events };
}

/**
 * What the decoder must produce, with no fast path anywhere: eventsource-parser for framing,
 * JSON.parse for every payload, the assembler for folding (its errors named by hint).
 */
export function plainPath(text: string): { events: ChatEvent[]; error?: string } {
  const assembler = new StreamAssembler();
  const events: ChatEvent[] = [];
  let done = false;
  let error: string | undefined;
  const parser = createParser({
    onEvent(message) {
      if (done || error) return;
      if (message.data.trim() === '[DONE]') {
        done = true;
        return;
      }
      if (!message.data.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(message.data);
      } catch {
        error = 'badResponse';
        return;
      }
      const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
      // An error where a chunk should be ends the answer; one beside `choices` after what it carried.
      if (obj.error && !('choices' in obj)) {
        error = errorFromStreamPayload('relay.test', message.data).hint;
        return;
      }
      assembler.push(value, events);
      if (obj.error) error = errorFromStreamPayload('relay.test', message.data).hint;
    },
  });
  parser.feed(text);
  parser.reset({ consume: true });
  if (error) return { events, error };
  assembler.end(events, done || assembler.finished);
  return { events, error: done || assembler.finished ? undefined : 'streamCut' };
}

export function splitAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const cuts = [...new Set(offsets)].filter((o) => o > 0 && o < bytes.length).sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  return pieces;
}

/** Offsets where a split hurts: inside UTF-8 sequences, between CR and LF, inside `data:`. */
export function awkwardOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  const text = new TextDecoder().decode(bytes);
  for (let i = 1; i < bytes.length; i++) {
    if ((bytes[i] & 0xc0) === 0x80) offsets.push(i);
    if (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) offsets.push(i);
  }
  if (text.length === bytes.length) {
    for (const m of text.matchAll(/data:/g)) offsets.push(m.index + 2, m.index + 5);
  }
  return offsets;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

interface ChoiceSummary {
  content?: string;
  reasoning?: string;
  refusal?: string;
  toolCalls?: { id: string; name: string; arguments: string }[];
  annotations?: number;
  logprobs?: number;
  finish?: string;
}

/** The events folded into what a reader of the answer sees; what the manifest's `expect` holds. */
export function summarize(outcome: Outcome): Record<string, unknown> {
  const choices: Record<number, ChoiceSummary> = {};
  const summary: Record<string, unknown> = { choices };
  const sources = new Set<string>();
  const at = (i: number) => (choices[i] ??= {});
  for (const e of outcome.events) {
    switch (e.type) {
      case 'meta':
        summary.meta ??= { id: e.id, model: e.model, systemFingerprint: e.systemFingerprint };
        break;
      case 'content':
      case 'refusal':
        at(e.choice)[e.type] = (at(e.choice)[e.type] ?? '') + e.text;
        break;
      case 'reasoning':
        at(e.choice).reasoning = (at(e.choice).reasoning ?? '') + e.text;
        if (e.source) sources.add(e.source);
        break;
      case 'contentWasReasoning': {
        const choice = at(e.choice);
        choice.reasoning = (choice.reasoning ?? '') + (choice.content ?? '');
        delete choice.content;
        break;
      }
      case 'toolCalls':
        at(e.choice).toolCalls = e.calls.map((c) => ({
          id: c.id,
          name: c.function.name,
          arguments: c.function.arguments,
        }));
        break;
      case 'annotations':
        at(e.choice).annotations = (at(e.choice).annotations ?? 0) + e.annotations.length;
        break;
      case 'logprobs':
        at(e.choice).logprobs = (at(e.choice).logprobs ?? 0) + (e.content?.length ?? 0);
        break;
      case 'usage':
        summary.usage = e.usage;
        break;
      case 'finish':
        at(e.choice).finish = e.reason;
        break;
      default:
        break;
    }
  }
  if (sources.size) summary.reasoningSources = [...sources];
  if (outcome.error) {
    const err = outcome.error;
    summary.error = {
      kind: err.kind,
      hint: err.hint,
      status: err.status,
      message: err.serverMessage,
      requestId: err.requestId,
    };
  }
  return summary;
}

/** Compares only what the expectation names (an error's keys included), the rest exactly. */
export function pick(
  actual: Record<string, unknown>,
  expect: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(expect)) {
    if (key === 'error' && actual.error && typeof expect.error === 'object') {
      const err = actual.error as Record<string, unknown>;
      out.error = Object.fromEntries(Object.keys(expect.error as object).map((k) => [k, err[k]]));
    } else out[key] = actual[key];
  }
  return out;
}

import { estimateTokens } from '../../tokens/estimateTokens';
import type { PromptSnippet } from './types';

export interface RingSettings {
  /** Lines per chunk, centred where the user was. */
  chunkLines: number;
  /** Chunks kept; the oldest goes first. */
  maxChunks: number;
  /** A new chunk this similar to a kept one replaces it (the same place seen again, a little edited). */
  replaceSimilarity: number;
}

/** llama.vscode's defaults, about: 64-line chunks, 16 of them. */
export const DEFAULT_RING_SETTINGS: RingSettings = { chunkLines: 64, maxChunks: 16, replaceSimilarity: 0.9 };

interface Chunk extends PromptSnippet {
  words: Set<string>;
  tokens: number;
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** The identifiers of a text, as a set: cheap, and what code that belongs together shares. */
export function identifiers(text: string): Set<string> {
  return new Set(text.match(IDENTIFIER) ?? []);
}

/** |a ∩ b| / |a ∪ b|; two empty sets are unrelated (0), not equal. */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const w of small) if (large.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Recently seen chunks of the open editors (where the user scrolled, edited, switched to), to show
 * a completion model code it would otherwise not know: the names a call needs are usually a few
 * files away.
 */
export class SnippetRing {
  private chunks: Chunk[] = [];

  constructor(private readonly settings: RingSettings = DEFAULT_RING_SETTINGS) {}

  get size(): number {
    return this.chunks.length;
  }

  /** Remembers the chunk of `text` around `line` (0-based). Blank chunks are not worth a place. */
  add(path: string, text: string, line: number): void {
    const lines = text.split('\n');
    const half = Math.floor(this.settings.chunkLines / 2);
    const start = Math.max(0, Math.min(line - half, lines.length - this.settings.chunkLines));
    const body = lines.slice(start, start + this.settings.chunkLines).join('\n');
    if (!body.trim()) return;
    const words = identifiers(body);
    this.chunks = this.chunks.filter(
      (c) => c.text !== body && jaccard(c.words, words) < this.settings.replaceSimilarity,
    );
    this.chunks.push({ path, text: body, words, tokens: estimateTokens(body) });
    if (this.chunks.length > this.settings.maxChunks) this.chunks.shift();
  }

  /**
   * The chunks most like `context` (the text around the cursor) that fit `budget` tokens together,
   * most similar first. Chunks nearly the same as the context add nothing the prompt lacks.
   */
  pick(context: string, budget: number): PromptSnippet[] {
    if (budget <= 0 || this.chunks.length === 0) return [];
    const words = identifiers(context);
    const scored = this.chunks
      .map((chunk) => ({ chunk, score: jaccard(chunk.words, words) }))
      .filter((s) => s.score < this.settings.replaceSimilarity)
      .sort((a, b) => b.score - a.score);
    const out: PromptSnippet[] = [];
    let used = 0;
    for (const { chunk } of scored) {
      if (used + chunk.tokens > budget) continue;
      used += chunk.tokens;
      out.push({ path: chunk.path, text: chunk.text });
    }
    return out;
  }
}

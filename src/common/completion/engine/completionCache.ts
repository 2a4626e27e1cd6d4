export interface CacheHit {
  /** The completion still to offer: what the cached one holds beyond what was typed since. */
  remainder: string;
  /** Characters typed since the cached prefix. */
  typed: number;
}

export interface CacheSettings {
  /** Entries kept; the least recently used goes first. */
  capacity: number;
  /** The key is this much of the prefix's end: enough to tell places apart, short enough to hash per keystroke. */
  keyChars: number;
  /** How far past a cached prefix a lookup looks back for it. */
  maxTyped: number;
}

export const DEFAULT_CACHE_SETTINGS: CacheSettings = { capacity: 500, keyChars: 256, maxTyped: 64 };

/**
 * Completions by the text before the cursor, longest match first: a completion stored at prefix P
 * is offered at P + typed while `typed` is a start of it. Undo, redo and coming back into a line
 * therefore cost no request. The suffix is not part of the key; the engine post-processes a hit
 * against the suffix of the moment.
 */
export class CompletionCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly settings: CacheSettings = DEFAULT_CACHE_SETTINGS) {}

  get size(): number {
    return this.entries.size;
  }

  set(prefix: string, completion: string): void {
    if (!completion) return;
    const key = this.key(prefix, prefix.length);
    this.entries.delete(key);
    this.entries.set(key, completion);
    if (this.entries.size > this.settings.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  /** The nearest cached prefix at or before the end of `prefix` whose completion the typing since has followed. */
  get(prefix: string): CacheHit | undefined {
    const furthest = Math.min(this.settings.maxTyped, prefix.length);
    for (let typed = 0; typed <= furthest; typed++) {
      const end = prefix.length - typed;
      const key = this.key(prefix, end);
      const completion = this.entries.get(key);
      if (completion === undefined) continue;
      if (completion.length <= typed || !completion.startsWith(prefix.slice(end))) continue;
      this.entries.delete(key);
      this.entries.set(key, completion);
      return { remainder: completion.slice(typed), typed };
    }
    return undefined;
  }

  private key(prefix: string, end: number): string {
    return prefix.slice(Math.max(0, end - this.settings.keyChars), end);
  }
}

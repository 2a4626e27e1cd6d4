import {
  fuzzyScore,
  matchPositions,
  normalizeQuery,
  NO_MATCH,
  preparePath,
  type PreparedPath,
} from './fuzzyScore';

/**
 * The workspace's files and folders as the `@` picker searches them. The host fills it once
 * (findFiles, honouring the excludes) and then keeps it current from a file watcher; the picker asks
 * it on every keystroke. Folders are not added: they are derived from the files below them, and
 * disappear with their last file.
 *
 * Paths are shown as the model will be told them: relative to their workspace folder, prefixed with
 * the folder's name when the workspace has more than one (as `resolveWorkspacePath` reads them).
 */

export type IndexedKind = 'file' | 'folder';

export interface PathMatch {
  kind: IndexedKind;
  /** What the picker shows and the request names: `src/a.ts`, or `app/src/a.ts` in a multi-root workspace. */
  path: string;
  /** The workspace folder's name. */
  folder: string;
  /** Relative to that folder. */
  relative: string;
  score: number;
  /** Indexes into `path` of the characters the query matched, ascending. */
  positions: number[];
}

export interface QueryOptions {
  /** How many matches to return, best first (default 50). */
  limit?: number;
  /** Checked between chunks of CHUNK entries; an aborted query resolves to undefined. */
  signal?: AbortSignal;
  /** How the scan lets other work run between chunks; tests pass their own. */
  pause?: () => Promise<void>;
}

/** Entries scored between two pauses: small enough that a new keystroke is seen within a few ms. */
export const CHUNK = 4096;

interface Entry extends PreparedPath {
  readonly kind: IndexedKind;
  readonly folder: string;
  readonly relative: string;
}

// setImmediate, not setTimeout(0): it runs right after pending I/O (the next keystroke's message),
// without the timer's 1 ms clamp that cost a 50,000-path scan ~20 ms over its 13 pauses.
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class PathIndex {
  // Entries are immutable and removal swaps with the last one, so a query scans a cheap copy of
  // this array while the watcher keeps changing the original.
  private entries: Entry[] = [];
  private readonly at = new Map<string, number>();
  /** How many files lie below each derived folder, by key. */
  private readonly filesBelow = new Map<string, number>();
  private folders: string[] = [];
  /** Bumped on every change, so a remembered query's matches are only reused on the same index. */
  private version = 0;
  /**
   * The last finished query and every entry it matched. A query that extends it (the next
   * keystroke) can only match a subset of these, since a path that holds `abc` in order holds `ab`
   * in order: it scans them instead of the whole index.
   */
  private last: { query: string; version: number; matches: Entry[] } | undefined;

  /** The workspace folders' names, in order. A folder no longer listed loses its entries. */
  setFolders(names: readonly string[]): void {
    this.version++;
    const wasMulti = this.folders.length > 1;
    this.folders = [...names];
    const keep = new Set(names);
    for (const entry of [...this.entries]) {
      if (!keep.has(entry.folder) && entry.kind === 'file') this.remove(entry.folder, entry.relative);
    }
    if (wasMulti !== names.length > 1) {
      // The prefix appears or goes: every shown path, and so every precomputed bonus, changes.
      this.entries = this.entries.map((e) => this.entry(e.kind, e.folder, e.relative));
    }
  }

  /** Files indexed (folders not counted). */
  get fileCount(): number {
    return this.entries.length - this.filesBelow.size;
  }

  has(folder: string, relative: string): boolean {
    return this.at.has(key(folder, clean(relative)));
  }

  /** A file the watcher (or the first listing) reported. Adding a known file changes nothing. */
  add(folder: string, relative: string): void {
    const rel = clean(relative);
    if (!rel || this.at.has(key(folder, rel))) return;
    this.insert(this.entry('file', folder, rel));
    for (const dir of ancestors(rel)) {
      const k = key(folder, dir);
      const count = this.filesBelow.get(k) ?? 0;
      this.filesBelow.set(k, count + 1);
      if (count === 0) this.insert(this.entry('folder', folder, dir));
    }
  }

  /**
   * A file or folder the watcher reported deleted. A folder takes everything below it with it (a
   * watcher reports one event for a deleted folder, not one per file).
   */
  remove(folder: string, relative: string): void {
    const rel = clean(relative);
    const known = this.at.get(key(folder, rel));
    if (known !== undefined && this.entries[known].kind === 'file') {
      this.removeFile(folder, rel);
      return;
    }
    const prefix = `${rel}/`;
    const below = this.entries.filter(
      (e) => e.kind === 'file' && e.folder === folder && e.relative.startsWith(prefix),
    );
    for (const e of below) this.removeFile(folder, e.relative);
  }

  /** The files below a folder, relative to it, sorted: the tree a folder mention sends. */
  filesUnder(folder: string, relative: string): string[] {
    const rel = clean(relative);
    const prefix = rel ? `${rel}/` : '';
    return this.entries
      .filter((e) => e.kind === 'file' && e.folder === folder && e.relative.startsWith(prefix))
      .map((e) => e.relative.slice(prefix.length))
      .sort(byCodeUnits);
  }

  /**
   * The best `limit` matches for what the user typed, best first; undefined when `signal` aborted
   * it. It scans a snapshot in chunks of CHUNK entries and pauses between them, so a keystroke that
   * supersedes it can abort it (see LatestQuery) instead of waiting behind it. A query that extends
   * the last finished one on an unchanged index scans only that one's matches: typing narrows.
   */
  async query(text: string, options: QueryOptions = {}): Promise<PathMatch[] | undefined> {
    const { limit = 50, signal, pause = yieldToEventLoop } = options;
    if (limit < 1) return [];
    const query = normalizeQuery(text);
    const version = this.version;
    const last = this.last;
    const narrowed = last && last.version === version && query.startsWith(last.query);
    const snapshot = narrowed ? last.matches : this.entries.slice();
    const matches: Entry[] = [];
    const top: Ranked[] = [];
    for (let start = 0; start < snapshot.length; start += CHUNK) {
      if (start > 0) await pause();
      if (signal?.aborted) return undefined;
      const end = Math.min(start + CHUNK, snapshot.length);
      for (let i = start; i < end; i++) {
        const entry = snapshot[i];
        const score = fuzzyScore(query, entry);
        if (score === NO_MATCH) continue;
        matches.push(entry);
        const rank = rankOf(score, entry);
        // A one-letter query matches nearly every path: most lose to the last of the top on rank
        // alone, so they are turned away before an object is made for them.
        if (top.length === limit && rank < top[limit - 1].rank) continue;
        const item = { entry, score, rank };
        if (top.length === limit && compareRanked(item, top[limit - 1]) >= 0) continue;
        insertSorted(top, item, limit);
      }
    }
    if (signal?.aborted) return undefined;
    this.last = { query, version, matches };
    return top.map(({ entry, score }) => ({
      kind: entry.kind,
      path: entry.path,
      folder: entry.folder,
      relative: entry.relative,
      score,
      positions: matchPositions(query, entry) ?? [],
    }));
  }

  private entry(kind: IndexedKind, folder: string, relative: string): Entry {
    const shown = this.folders.length > 1 ? `${folder}/${relative}` : relative;
    return { ...preparePath(shown), kind, folder, relative };
  }

  private insert(entry: Entry): void {
    this.version++;
    this.at.set(key(entry.folder, entry.relative), this.entries.length);
    this.entries.push(entry);
  }

  private removeFile(folder: string, rel: string): void {
    this.drop(key(folder, rel));
    for (const dir of ancestors(rel)) {
      const k = key(folder, dir);
      const count = (this.filesBelow.get(k) ?? 1) - 1;
      if (count > 0) {
        this.filesBelow.set(k, count);
        continue;
      }
      this.filesBelow.delete(k);
      this.drop(k);
    }
  }

  private drop(k: string): void {
    const index = this.at.get(k);
    if (index === undefined) return;
    this.version++;
    this.at.delete(k);
    const last = this.entries.pop()!;
    if (index < this.entries.length) {
      this.entries[index] = last;
      this.at.set(key(last.folder, last.relative), index);
    }
  }
}

interface Ranked {
  entry: Entry;
  score: number;
  rank: number;
}

/**
 * The order of equal scores, folded into one number so the scan compares strings only on a full
 * tie: a file before a folder (a mention is mostly a file; `src/index.ts` before `src/index/`), then
 * the shorter path.
 */
function rankOf(score: number, entry: Entry): number {
  return score * 8192 - (entry.kind === 'folder' ? 4096 : 0) - Math.min(entry.path.length, 4095);
}

/**
 * Negative when `a` ranks higher: the higher rank (score, file before folder, shorter), then the
 * path's code units, so the order never depends on the order the watcher reported files in.
 */
function compareRanked(a: Ranked, b: Ranked): number {
  if (a.rank !== b.rank) return b.rank - a.rank;
  return byCodeUnits(a.entry.path, b.entry.path);
}

/** Binary search: a one-letter query matches nearly every path, and most of them enter `top` once. */
function insertSorted(top: Ranked[], item: Ranked, limit: number): void {
  let low = 0;
  let high = top.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compareRanked(item, top[mid]) < 0) high = mid;
    else low = mid + 1;
  }
  top.splice(low, 0, item);
  if (top.length > limit) top.pop();
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function key(folder: string, relative: string): string {
  return `${folder}\u0000${relative}`;
}

/** Forward slashes, no leading `./` or `/`, no trailing `/`. */
function clean(relative: string): string {
  return relative
    .replace(/\\/g, '/')
    .replace(/^(\.?\/)+/, '')
    .replace(/\/+$/, '');
}

/** `a/b/c.ts` → `a`, `a/b`. */
function ancestors(relative: string): string[] {
  const out: string[] = [];
  for (let i = relative.indexOf('/'); i > 0; i = relative.indexOf('/', i + 1)) out.push(relative.slice(0, i));
  return out;
}

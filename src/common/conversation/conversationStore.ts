import type { ChatMessage } from '../endpoint/chatTypes';
import type { ViewMessage } from '../panel/protocol';

/**
 * Where conversations live: a folder of small files. The host backs it with the extension's
 * global storage and makes every write atomic (temp file + rename), so a crash mid-write leaves
 * the previous version intact.
 */
export interface FileStore {
  read(name: string): Promise<string | undefined>;
  /** Must be atomic: readers see the old content or the new, never half of it. */
  write(name: string, data: string): Promise<void>;
  delete(name: string): Promise<void>;
}

export interface StoredTurn {
  view: ViewMessage;
  api?: ChatMessage;
  /** A question's system message (the rules that applied), so Continue after a restart still has them. */
  system?: string;
  /** A question's last parts that its @-mentions made. */
  mentionParts?: number;
  /** The files a question is about (absolute): Regenerate reads their rules again. */
  files?: string[];
}

export interface ConversationRecord {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: StoredTurn[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  bytes: number;
  /** Lower-cased text of the user messages, for search without loading every file. */
  searchText: string;
}

export interface StoreLimits {
  /** Total size of all conversations; the oldest are removed beyond it. */
  maxBytes: number;
}

export interface SaveResult {
  /** Titles of conversations removed to stay under the size cap. */
  evicted: string[];
  /** The conversation alone is larger than the cap: kept, but nothing else fits. */
  oversized: boolean;
}

const INDEX = 'index.json';
/** Which conversation the panel shows; a file of its own so it is on disk as soon as it changes. */
const CURRENT = 'current.json';
const fileOf = (id: string) => `conversation-${id.replace(/[^\w-]/g, '_')}.json`;

export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line || 'New chat';
}

export class ConversationStore {
  constructor(
    private readonly files: FileStore,
    private readonly limits: () => StoreLimits,
  ) {}

  async list(query = ''): Promise<ConversationSummary[]> {
    const all = [...(await this.loadIndex())].sort((a, b) => b.updatedAt - a.updatedAt);
    const q = query.trim().toLowerCase();
    return q ? all.filter((c) => c.title.toLowerCase().includes(q) || c.searchText.includes(q)) : all;
  }

  async load(id: string): Promise<ConversationRecord | undefined> {
    const raw = await this.files.read(fileOf(id));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as ConversationRecord;
    } catch {
      return undefined;
    }
  }

  async save(record: ConversationRecord): Promise<SaveResult> {
    const data = JSON.stringify(record);
    await this.files.write(fileOf(record.id), data);
    const index = (await this.loadIndex()).filter((c) => c.id !== record.id);
    index.push({
      id: record.id,
      title: record.title,
      updatedAt: record.updatedAt,
      bytes: data.length,
      searchText: record.turns
        .filter((t) => t.view.role === 'user')
        .map((t) => t.view.text)
        .join('\n')
        .toLowerCase()
        .slice(0, 4000),
    });
    const result = await this.enforceCap(index, record.id);
    await this.writeIndex(index);
    return result;
  }

  async current(): Promise<string | undefined> {
    const raw = await this.files.read(CURRENT);
    try {
      const id = raw ? (JSON.parse(raw) as { id?: unknown }).id : undefined;
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  }

  async setCurrent(id: string): Promise<void> {
    await this.files.write(CURRENT, JSON.stringify({ id }));
  }

  async rename(id: string, title: string): Promise<void> {
    const record = await this.load(id);
    if (!record) return;
    record.title = titleFrom(title);
    await this.save(record);
  }

  async delete(id: string): Promise<void> {
    await this.files.delete(fileOf(id));
    await this.writeIndex((await this.loadIndex()).filter((c) => c.id !== id));
  }

  private async enforceCap(index: ConversationSummary[], keepId: string): Promise<SaveResult> {
    const { maxBytes } = this.limits();
    let total = index.reduce((sum, c) => sum + c.bytes, 0);
    const evicted: string[] = [];
    const oldestFirst = [...index].sort((a, b) => a.updatedAt - b.updatedAt);
    for (const victim of oldestFirst) {
      if (total <= maxBytes) break;
      if (victim.id === keepId) continue;
      await this.files.delete(fileOf(victim.id));
      index.splice(index.indexOf(victim), 1);
      total -= victim.bytes;
      evicted.push(victim.title);
    }
    return { evicted, oversized: total > maxBytes };
  }

  /** Read fresh each time: another VS Code window may have saved in between. */
  private async loadIndex(): Promise<ConversationSummary[]> {
    const raw = await this.files.read(INDEX);
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? (parsed as ConversationSummary[]) : [];
    } catch {
      return [];
    }
  }

  private async writeIndex(index: ConversationSummary[]): Promise<void> {
    await this.files.write(INDEX, JSON.stringify(index));
  }
}

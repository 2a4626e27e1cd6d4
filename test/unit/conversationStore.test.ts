import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConversationStore,
  titleFrom,
  type ConversationRecord,
  type FileStore,
} from '../../src/common/conversation/conversationStore';
import { conversationToMarkdown } from '../../src/common/conversation/exportConversation';
import { AtomicFileStore } from '../../src/vscode/chat/atomicFileStore';

class MemoryFiles implements FileStore {
  readonly files = new Map<string, string>();
  async read(name: string) {
    return this.files.get(name);
  }
  async write(name: string, data: string) {
    this.files.set(name, data);
  }
  async delete(name: string) {
    this.files.delete(name);
  }
}

function record(
  id: string,
  updatedAt: number,
  text = `question ${id}`,
  answer = 'answer',
): ConversationRecord {
  return {
    id,
    title: titleFrom(text),
    createdAt: updatedAt,
    updatedAt,
    turns: [
      { view: { id: `${id}-u`, role: 'user', text }, api: { role: 'user', content: text } },
      {
        view: { id: `${id}-a`, role: 'assistant', text: answer, status: 'complete' },
        api: { role: 'assistant', content: answer },
      },
    ],
  };
}

describe('ConversationStore', () => {
  it('saves, lists newest first, loads, renames and deletes', async () => {
    const store = new ConversationStore(new MemoryFiles(), () => ({ maxBytes: 1e6 }));
    await store.save(record('a', 1));
    await store.save(record('b', 2));
    assert.deepEqual(
      (await store.list()).map((c) => c.id),
      ['b', 'a'],
    );
    assert.equal((await store.load('a'))!.turns[1].view.text, 'answer');
    await store.rename('a', 'Renamed chat');
    assert.equal((await store.load('a'))!.title, 'Renamed chat');
    await store.delete('b');
    assert.deepEqual(
      (await store.list()).map((c) => c.id),
      ['a'],
    );
    assert.equal(await store.load('b'), undefined);
  });

  it('remembers which conversation is open, in a file of its own', async () => {
    const files = new MemoryFiles();
    const store = new ConversationStore(files, () => ({ maxBytes: 1e6 }));
    assert.equal(await store.current(), undefined);
    await store.setCurrent('abc');
    assert.equal(await new ConversationStore(files, () => ({ maxBytes: 1e6 })).current(), 'abc');
    files.files.set('current.json', 'not json');
    assert.equal(await store.current(), undefined);
  });

  it('searches titles and user messages', async () => {
    const store = new ConversationStore(new MemoryFiles(), () => ({ maxBytes: 1e6 }));
    await store.save(record('a', 1, 'How do I parse SSE?'));
    await store.save(record('b', 2, 'Explain 斐波那契'));
    assert.deepEqual(
      (await store.list('sse')).map((c) => c.id),
      ['a'],
    );
    assert.deepEqual(
      (await store.list('斐波那契')).map((c) => c.id),
      ['b'],
    );
  });

  it('removes the oldest conversations beyond the size cap, never the one being saved', async () => {
    const files = new MemoryFiles();
    const store = new ConversationStore(files, () => ({ maxBytes: 2200 }));
    const big = 'x'.repeat(400);
    await store.save(record('old', 1, 'old one', big));
    await store.save(record('mid', 2, 'mid one', big));
    const result = await store.save(record('new', 3, 'new one', big));
    assert.deepEqual(result.evicted, ['old one']);
    assert.equal(result.oversized, false);
    assert.deepEqual(
      (await store.list()).map((c) => c.id),
      ['new', 'mid'],
    );
    const huge = await store.save(record('huge', 4, 'huge', 'y'.repeat(5000)));
    assert.equal(huge.oversized, true);
    assert.ok(await store.load('huge'), 'an oversized conversation is still kept');
  });

  it('exports Markdown with context, reasoning and errors', () => {
    const rec = record('a', 1, 'Why?', 'Because.');
    rec.turns[0].view.context = [{ label: 'src/a.ts:1-3' }];
    rec.turns[1].view.reasoning = 'hmm';
    rec.turns.push({
      view: {
        id: 'e',
        role: 'error',
        text: 'HTTP 500',
        error: { title: 'HTTP 500 from h', detail: 'boom', retryable: true },
      },
    });
    const md = conversationToMarkdown(rec);
    assert.match(md, /^# Why\?/);
    assert.match(md, /## You\n\n_Context: src\/a\.ts:1-3_\n\nWhy\?/);
    assert.match(md, /<summary>Thinking<\/summary>\n\nhmm/);
    assert.match(md, /## Assistant\n\n(.|\n)*Because\./);
    assert.match(md, /\*\*Error:\*\* HTTP 500 from h — boom/);
  });
});

describe('AtomicFileStore', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'relay-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes, reads, overwrites and deletes, leaving no temp files', async () => {
    const files = new AtomicFileStore(join(dir, 'nested'));
    assert.equal(await files.read('a.json'), undefined);
    await files.write('a.json', '{"v":1}');
    await files.write('a.json', '{"v":2}');
    assert.equal(await files.read('a.json'), '{"v":2}');
    assert.deepEqual(readdirSync(join(dir, 'nested')), ['a.json']);
    await files.delete('a.json');
    await files.delete('a.json');
    assert.equal(await files.read('a.json'), undefined);
  });

  it('a process killed mid-write leaves the previous version whole', async () => {
    const target = join(dir, 'conversation.json');
    const previous = JSON.stringify({ version: 'previous', body: 'p'.repeat(1000) });
    writeFileSync(target, previous);
    // A child that keeps rewriting a large file until it is killed.
    const script = `
      const { AtomicFileStore } = require(${JSON.stringify(join(__dirname, '../../src/vscode/chat/atomicFileStore.ts'))});
      const files = new AtomicFileStore(${JSON.stringify(dir)});
      const big = JSON.stringify({ version: 'next', body: 'n'.repeat(30_000_000) });
      (async () => { process.stdout.write('go\\n'); for (;;) await files.write('conversation.json', big); })();
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const content = readFileSync(target, 'utf8');
    const parsed = JSON.parse(content) as { version: string };
    assert.ok(parsed.version === 'previous' || parsed.version === 'next', 'the file is one whole version');
  });
});

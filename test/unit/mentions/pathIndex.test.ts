import assert from 'node:assert/strict';
import { LatestQuery } from '../../../src/common/mentions/latestQuery';
import { CHUNK, PathIndex, type PathMatch } from '../../../src/common/mentions/pathIndex';

const noPause = async () => {};

function indexOf(paths: readonly string[], folders: readonly string[] = ['app']): PathIndex {
  const index = new PathIndex();
  index.setFolders(folders);
  for (const p of paths) {
    const [folder, rel] =
      folders.length > 1 ? [p.slice(0, p.indexOf('/')), p.slice(p.indexOf('/') + 1)] : [folders[0], p];
    index.add(folder, rel);
  }
  return index;
}

async function top(index: PathIndex, text: string, limit = 10): Promise<string[]> {
  const found = await index.query(text, { limit, pause: noPause });
  return found!.map((m) => (m.kind === 'folder' ? `${m.path}/` : m.path));
}

describe('mentions: path index', () => {
  it('ranks a basename match above the same letters spread over a deep path', async () => {
    const index = indexOf([
      'src/deep/path/index/other.ts',
      'lib/indexing/x.ts',
      'src/idx.ts',
      'docs/index.md',
    ]);
    assert.deepEqual((await top(index, 'idx')).slice(0, 1), ['src/idx.ts']);
    assert.deepEqual((await top(index, 'index')).slice(0, 1), ['docs/index.md']);
  });

  it('prefers segment and word starts', async () => {
    const index = indexOf(['src/xpathyindex.ts', 'src/pathIndex.ts', 'src/path-index.ts']);
    // p and i at the start of words (camelCase or after `-`) beat p and i inside one; of the two,
    // the smaller gap wins.
    assert.deepEqual(await top(index, 'pi'), ['src/pathIndex.ts', 'src/path-index.ts', 'src/xpathyindex.ts']);
    const segments = indexOf(['tests/xsxcx.ts', 'src/cli.ts']);
    assert.deepEqual(await top(segments, 'sc'), ['src/cli.ts', 'src/', 'tests/xsxcx.ts']);
  });

  it('prefers consecutive characters', async () => {
    const index = indexOf(['src/chat.ts', 'src/cxhxaxt.ts']);
    assert.deepEqual(await top(index, 'chat'), ['src/chat.ts', 'src/cxhxaxt.ts']);
  });

  it('ignores case, whitespace and backslashes in the query', async () => {
    const index = indexOf(['src/Common/ReadMe.MD', 'src/other.ts']);
    assert.deepEqual(await top(index, 'README'), ['src/Common/ReadMe.MD']);
    assert.deepEqual(await top(index, 'common\\read me'), ['src/Common/ReadMe.MD']);
  });

  it('returns the matched positions for highlighting, on the basename when it can', async () => {
    const index = indexOf(['src/index/idx.ts']);
    const [match] = (await index.query('idx', { pause: noPause }))! as PathMatch[];
    assert.deepEqual(match.positions, [10, 11, 12]);
    assert.equal(match.path.slice(10, 13), 'idx');
    const other = indexOf(['src/common/pathIndex.ts']);
    const [pi] = (await other.query('pi', { pause: noPause }))!;
    assert.deepEqual(pi.positions, [11, 15]);
  });

  it('lists folders derived from the files, and drops them with their last file', async () => {
    const index = indexOf(['src/a/one.ts', 'src/a/two.ts', 'src/b.ts']);
    assert.deepEqual(await top(index, 'src/a'), ['src/a/', 'src/a/one.ts', 'src/a/two.ts']);
    index.remove('app', 'src/a/one.ts');
    assert.deepEqual(await top(index, 'src/a'), ['src/a/', 'src/a/two.ts']);
    index.remove('app', 'src/a/two.ts');
    assert.deepEqual(await top(index, 'src/a'), []);
    assert.deepEqual(await top(index, ''), ['src/b.ts', 'src/']);
    assert.equal(index.fileCount, 1);
  });

  it('ranks a file before a folder of equal score', async () => {
    const index = indexOf(['src/index.ts', 'src/index/a.ts']);
    assert.deepEqual((await top(index, 'index')).slice(0, 2), ['src/index.ts', 'src/index/']);
  });

  it('add is idempotent; removing a folder removes everything below it', async () => {
    const index = indexOf(['src/a/one.ts', 'src/a/deep/two.ts', 'src/ab.ts']);
    index.add('app', 'src/a/one.ts');
    index.add('app', './src\\a\\one.ts');
    assert.equal(index.fileCount, 3);
    index.remove('app', 'src/a');
    assert.equal(index.fileCount, 1);
    assert.deepEqual(await top(index, ''), ['src/ab.ts', 'src/']);
    assert.equal(index.has('app', 'src/a/one.ts'), false);
    assert.equal(index.has('app', 'src/ab.ts'), true);
  });

  it('prefixes the folder name in a multi-root workspace, and the prefix is searchable', async () => {
    const index = indexOf(['web/src/main.ts', 'api/src/main.ts'], ['web', 'api']);
    assert.deepEqual(await top(index, 'main'), ['api/src/main.ts', 'web/src/main.ts']);
    assert.deepEqual(await top(index, 'apimain'), ['api/src/main.ts']);
    const [hit] = (await index.query('apimain', { pause: noPause }))!;
    assert.deepEqual([hit.folder, hit.relative], ['api', 'src/main.ts']);
  });

  it('re-prefixes every path when a second folder is added, and drops a removed folder', async () => {
    const index = indexOf(['src/main.ts']);
    index.setFolders(['app', 'lib']);
    index.add('lib', 'main.ts');
    assert.deepEqual(await top(index, 'main'), ['lib/main.ts', 'app/src/main.ts']);
    index.setFolders(['lib']);
    assert.deepEqual(await top(index, ''), ['main.ts']);
  });

  it('lists the files under a folder for its tree', () => {
    const index = indexOf(['src/b.ts', 'src/a/z.ts', 'srcx/no.ts', 'README.md']);
    assert.deepEqual(index.filesUnder('app', 'src'), ['a/z.ts', 'b.ts']);
    assert.deepEqual(index.filesUnder('app', ''), ['README.md', 'src/a/z.ts', 'src/b.ts', 'srcx/no.ts']);
  });

  it('finds the right top results among 50,000 paths, whatever order they were added in', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 50_000; i++) paths.push(`packages/pkg${i % 40}/src/feature${i % 900}/part${i}.ts`);
    paths.push('packages/pkg7/src/chatView.ts', 'packages/pkg7/src/chat/view.ts', 'docs/chat-view.md');
    const forward = indexOf(paths);
    const backward = indexOf([...paths].reverse());
    // chatView: all eight consecutive from the basename's start; chat-view: a gap before the v.
    const expected = ['packages/pkg7/src/chatView.ts', 'docs/chat-view.md', 'packages/pkg7/src/chat/view.ts'];
    assert.deepEqual(await top(forward, 'chatview', 3), expected);
    assert.deepEqual(await top(backward, 'chatview', 3), expected);
    assert.deepEqual(await top(forward, 'part49999', 1), ['packages/pkg39/src/feature499/part49999.ts']);
    assert.deepEqual(await top(backward, 'pkg39/feature899/', 2), [
      'packages/pkg39/src/feature899/part1799.ts',
      'packages/pkg39/src/feature899/part3599.ts',
    ]);
    assert.deepEqual(await top(backward, 'pkg39feature899', 1), ['packages/pkg39/src/feature899/']);
  });

  it('stops a query whose signal is aborted between chunks', async () => {
    const index = indexOf(
      Array.from({ length: CHUNK * 3 }, (_, i) => `f${i}.ts`),
      ['app'],
    );
    const controller = new AbortController();
    let pauses = 0;
    const result = await index.query('f', {
      signal: controller.signal,
      pause: async () => {
        pauses++;
        controller.abort();
      },
    });
    assert.equal(result, undefined);
    assert.equal(pauses, 1);
  });

  it('LatestQuery: a new keystroke supersedes the query still scanning', async () => {
    const index = indexOf(
      Array.from({ length: CHUNK * 2 }, (_, i) => `dir/file${i}.ts`),
      ['app'],
    );
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let paused = 0;
    const latest = new LatestQuery(index, async () => {
      paused++;
      if (paused === 1) await gate;
    });
    const first = latest.run('fi');
    const second = latest.run('file1');
    release();
    assert.equal(await first, undefined);
    const found = await second;
    assert.equal(found![0].path, 'dir/file1.ts');
  });

  it('narrows a query that extends the last one to its matches, with the same results', async () => {
    const paths = Array.from({ length: CHUNK * 3 }, (_, i) => `src/mod${i % 97}/file${i}.ts`);
    paths.push('src/chat/chatView.ts', 'docs/chatter.md');
    const index = indexOf(paths);
    const fresh = indexOf(paths);
    let pauses = 0;
    const counting = async () => {
      pauses++;
    };
    await index.query('ch', { pause: counting });
    assert.equal(pauses, 3);
    pauses = 0;
    const narrowed = await index.query('chatv', { pause: counting });
    // Three paths matched `ch`: one chunk, no pause.
    assert.equal(pauses, 0);
    assert.deepEqual(narrowed, await fresh.query('chatv', { pause: noPause }));
    // A query that does not extend the last one scans everything again.
    pauses = 0;
    await index.query('file1', { pause: counting });
    assert.equal(pauses, 3);
  });

  it('does not narrow across a change to the index', async () => {
    const index = indexOf(['src/a.ts', 'src/b.ts']);
    assert.deepEqual(await top(index, 'ab'), []);
    index.add('app', 'lib/about.ts');
    assert.deepEqual(await top(index, 'abo'), ['lib/about.ts']);
    index.remove('app', 'lib/about.ts');
    assert.deepEqual(await top(index, 'abou'), []);
    index.setFolders(['app', 'more']);
    index.add('more', 'about.ts');
    assert.deepEqual(await top(index, 'about'), ['more/about.ts']);
  });

  it('an aborted query is not remembered for narrowing', async () => {
    const index = indexOf(Array.from({ length: CHUNK * 2 }, (_, i) => `f${i}.ts`));
    const controller = new AbortController();
    const aborted = await index.query('f1', {
      signal: controller.signal,
      pause: async () => controller.abort(),
    });
    assert.equal(aborted, undefined);
    assert.deepEqual(await top(index, 'f10', 1), ['f10.ts']);
  });
});

import assert from 'node:assert/strict';
import type { ToolCall } from '../../../src/common/endpoint/chatTypes';
import { EditToolRunner, type SelectionTarget } from '../../../src/common/edits/editToolRunner';
import { FakeWorkspace } from './fakeWorkspace';
import {
  DEFAULT_PROTECTED,
  protectedBy,
  resolveWorkspacePath,
} from '../../../src/common/edits/workspacePath';
import { editTools, selectionTool, withoutStrict } from '../../../src/common/edits/toolSchemas';

let n = 0;
const call = (name: string, args: unknown): ToolCall => ({
  id: `call_${n++}`,
  type: 'function',
  function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
});

function setup() {
  const ws = new FakeWorkspace();
  ws.put('/ws/app/src/a.ts', 'x = 1\ny = 2\nx = 1\n');
  ws.put('/ws/app/README.md', '# App\n');
  ws.put('/ws/lib/util.ts', 'export const u = 1;\n');
  ws.put('/ws/app/.env', 'SECRET=1\n');
  ws.put('/ws/outside/secret.txt', 'top secret\n');
  ws.links.set('/ws/app/escape', '/ws/outside');
  return { ws, runner: new EditToolRunner(ws) };
}

async function refusal(runner: EditToolRunner, c: ToolCall): Promise<string> {
  const out = await runner.run(c);
  assert.equal(out.status, 'refused', JSON.stringify(out));
  return out.result;
}

describe('edit tool schemas', () => {
  it('offers the six panel tools with their argument names, strict where asked', () => {
    const strict = editTools(true);
    assert.deepEqual(
      strict.map((t) => t.function.name),
      ['read_file', 'list_files', 'search_text', 'get_problems', 'replace_in_file', 'create_file'],
    );
    const replace = strict[4].function;
    assert.equal(replace.strict, true);
    assert.deepEqual((replace.parameters as { required: string[] }).required, [
      'path',
      'old_text',
      'new_text',
    ]);
    // Strict: every property required, the optional ones nullable.
    const read = strict[0].function.parameters as {
      required: string[];
      properties: Record<string, { type: unknown }>;
    };
    assert.deepEqual(read.required, ['path', 'start_line', 'end_line']);
    assert.deepEqual(read.properties.start_line.type, ['integer', 'null']);
    const loose = editTools(false)[0].function.parameters as { required: string[] };
    assert.deepEqual(loose.required, ['path']);
    assert.equal(selectionTool(true).function.name, 'replace_selection');
    assert.equal(
      withoutStrict(strict).some((t) => 'strict' in t.function),
      false,
    );
  });
});

describe('workspace paths', () => {
  const folders = [
    { name: 'app', path: '/ws/app' },
    { name: 'lib', path: '/ws/lib' },
  ];

  it('resolves relative paths in the first folder, and a second folder by its name', () => {
    const a = resolveWorkspacePath('src/./a.ts', folders);
    assert.deepEqual(a.ok && [a.absolute, a.display], ['/ws/app/src/a.ts', 'app/src/a.ts']);
    const b = resolveWorkspacePath('lib/util.ts', folders);
    assert.deepEqual(b.ok && [b.absolute, b.display], ['/ws/lib/util.ts', 'lib/util.ts']);
    const win = resolveWorkspacePath('src\\a.ts', [folders[0]]);
    assert.deepEqual(win.ok && [win.absolute, win.display], ['/ws/app/src/a.ts', 'src/a.ts']);
  });

  it('refuses absolute paths, "..", and an empty path', () => {
    for (const p of [
      '/etc/passwd',
      'C:\\Windows\\x',
      'c:/x',
      '~/.ssh/id_rsa',
      '../x',
      'src/../../x',
      '',
      '.',
    ]) {
      assert.equal(resolveWorkspacePath(p, folders).ok, false, p);
    }
  });

  it('matches protected patterns at any depth', () => {
    assert.equal(protectedBy('.git/config', DEFAULT_PROTECTED), '.git/**');
    assert.equal(protectedBy('sub/.git/HEAD', DEFAULT_PROTECTED), '.git/**');
    assert.equal(protectedBy('.env.local', DEFAULT_PROTECTED), '.env*');
    assert.equal(protectedBy('certs/server.pem', DEFAULT_PROTECTED), '*.pem');
    assert.equal(protectedBy('keys/id_ed25519', DEFAULT_PROTECTED), 'id_*');
    assert.equal(protectedBy('src/app.ts', DEFAULT_PROTECTED), undefined);
    assert.equal(protectedBy('config/prod.json', ['config/{prod,stage}.json']), 'config/{prod,stage}.json');
    assert.equal(protectedBy('a/b/c.lock', ['**/*.lock']), '**/*.lock');
  });
});

describe('edit tool runner: every refusal goes back to the model', () => {
  it('refuses an unknown tool and names the ones there are', async () => {
    const { runner } = setup();
    assert.equal(
      await refusal(runner, call('delete_file', { path: 'a' })),
      'Unknown tool "delete_file". The tools you can call are: read_file, list_files, search_text, get_problems, replace_in_file, create_file.',
    );
    assert.match(
      await refusal(runner, call('replace_selection', { text: 'x' })),
      /Unknown tool "replace_selection"/,
    );
  });

  it('refuses arguments that are not JSON after one repair', async () => {
    const { runner } = setup();
    assert.match(
      await refusal(runner, call('read_file', '{"path": app/src/a.ts}')),
      /^The arguments of read_file are not valid JSON \(.+\)\. Call read_file again/,
    );
    // A cut-off stream is repaired once and then checked as usual.
    const repaired = await runner.run(call('read_file', '{"path":"app/README.md'));
    assert.equal(repaired.status, 'done');
  });

  it('refuses missing, mistyped and unknown arguments', async () => {
    const { runner } = setup();
    assert.equal(
      await refusal(runner, call('replace_in_file', { path: 'app/src/a.ts', new_text: 'y' })),
      'replace_in_file: the argument "old_text" is missing. Arguments: path, old_text, new_text.',
    );
    assert.equal(
      await refusal(runner, call('read_file', { path: 5 })),
      'read_file: "path" must be a string.',
    );
    assert.equal(
      await refusal(runner, call('read_file', { path: 'app/README.md', start_line: 0 })),
      'read_file: "start_line" must be at least 1.',
    );
    assert.match(
      await refusal(runner, call('create_file', { path: 'x', content: '', mode: 1 })),
      /unknown argument "mode"/,
    );
  });

  it('refuses paths outside the workspace: absolute, "..", a symlink that leads out', async () => {
    const { runner } = setup();
    assert.match(await refusal(runner, call('read_file', { path: '/etc/passwd' })), /is an absolute path/);
    assert.match(
      await refusal(runner, call('read_file', { path: 'app/../outside/secret.txt' })),
      /contains "\.\."/,
    );
    assert.equal(
      await refusal(runner, call('read_file', { path: 'app/escape/secret.txt' })),
      '"app/escape/secret.txt" is a symlink that leads outside the workspace (to /ws/outside/secret.txt). Only files inside the workspace folders can be used.',
    );
    assert.match(
      await refusal(runner, call('create_file', { path: 'app/escape/new.txt', content: 'x' })),
      /symlink that leads outside/,
    );
  });

  it('reads and edits a file of the second workspace folder', async () => {
    const { runner } = setup();
    const read = await runner.run(call('read_file', { path: 'lib/util.ts' }));
    assert.deepEqual(read, {
      status: 'done',
      result: 'lib/util.ts (1 lines)\n1| export const u = 1;',
      target: 'lib/util.ts:1-1',
    });
    const edit = await runner.run(
      call('replace_in_file', { path: 'lib/util.ts', old_text: '= 1', new_text: '= 2' }),
    );
    assert.equal(edit.status === 'planned' && edit.edit.after, 'export const u = 2;\n');
  });

  it('refuses protected files, naming the pattern and the setting', async () => {
    const { runner, ws } = setup();
    assert.equal(
      await refusal(runner, call('read_file', { path: 'app/.env' })),
      '"app/.env" is protected (it matches ".env*" in relayChat.edits.protectedFiles) and cannot be read or changed. Leave it alone or ask the user to change it.',
    );
    ws.patterns = ['*.md'];
    assert.match(
      await refusal(
        runner,
        call('replace_in_file', { path: 'app/README.md', old_text: 'App', new_text: 'X' }),
      ),
      /matches "\*\.md"/,
    );
  });

  it('refuses old_text that is missing or ambiguous, with the lines', async () => {
    const { runner } = setup();
    assert.equal(
      await refusal(
        runner,
        call('replace_in_file', { path: 'app/src/a.ts', old_text: 'x = 1', new_text: 'x = 3' }),
      ),
      'old_text occurs 2 times in app/src/a.ts (lines 1 and 3); include more surrounding lines so it occurs once.',
    );
    assert.equal(
      await refusal(
        runner,
        call('replace_in_file', { path: 'app/src/a.ts', old_text: 'z = 9', new_text: 'x' }),
      ),
      'old_text was not found in app/src/a.ts. Read the file again with read_file and copy old_text exactly, without the line numbers.',
    );
    assert.match(
      await refusal(runner, call('replace_in_file', { path: 'app/src/a.ts', old_text: '', new_text: 'x' })),
      /old_text is empty/,
    );
  });

  it('refuses when the document changed since the model read it', async () => {
    const { runner, ws } = setup();
    await runner.run(call('read_file', { path: 'app/README.md' }));
    ws.put('/ws/app/README.md', '# App\nmore\n', 2);
    assert.match(
      await refusal(
        runner,
        call('replace_in_file', { path: 'app/README.md', old_text: '# App', new_text: '# B' }),
      ),
      /^app\/README\.md changed since you read it/,
    );
    // After reading again, or after our own edit (noteVersion), it goes through.
    await runner.run(call('read_file', { path: 'app/README.md' }));
    ws.put('/ws/app/README.md', '# B\nmore\n', 3);
    runner.noteVersion('/ws/app/README.md', 3);
    assert.equal(
      (
        await runner.run(
          call('replace_in_file', { path: 'app/README.md', old_text: 'more', new_text: 'less' }),
        )
      ).status,
      'planned',
    );
  });

  it('refuses binary and oversized files', async () => {
    const { runner, ws } = setup();
    ws.put('/ws/app/logo.png', '\u0089PNG\u0000', 1, { binary: true });
    ws.put('/ws/app/big.log', 'x', 1, { size: 5_000_000 });
    assert.equal(
      await refusal(runner, call('read_file', { path: 'app/logo.png' })),
      '"app/logo.png" is a binary file; it cannot be read or edited as text.',
    );
    assert.match(
      await refusal(runner, call('replace_in_file', { path: 'app/big.log', old_text: 'x', new_text: 'y' })),
      /is too large \(5000000 bytes; the limit is 1000000\)/,
    );
  });

  it('refuses an edit that would empty a non-empty file', async () => {
    const { runner } = setup();
    assert.match(
      await refusal(
        runner,
        call('replace_in_file', { path: 'app/README.md', old_text: '# App\n', new_text: '' }),
      ),
      /would leave app\/README\.md empty/,
    );
  });

  it('refuses create_file for a file that exists, and a missing file for replace', async () => {
    const { runner } = setup();
    assert.match(
      await refusal(runner, call('create_file', { path: 'app/README.md', content: 'x' })),
      /already exists/,
    );
    assert.match(
      await refusal(runner, call('replace_in_file', { path: 'app/nope.ts', old_text: 'a', new_text: 'b' })),
      /does not exist/,
    );
  });

  it('tells the model the truth about the disk when the editor saves by itself', async () => {
    const { runner, ws } = setup();
    const saving = Object.assign(ws, { autoSaves: (absolute: string) => absolute.startsWith('/ws/app/') });
    assert.equal(saving.autoSaves('/ws/app/src/a.ts'), true);
    const out = await runner.run(
      call('replace_in_file', { path: 'app/src/a.ts', old_text: 'y = 2\n', new_text: 'y = 3\n' }),
    );
    assert.equal(
      out.status === 'planned' && out.result,
      "Replaced lines 2-2 of app/src/a.ts with 1 line. The change waits for the user's review; the editor saves the change to disk by itself (auto save), and undoing it restores the file.",
    );
    const created = await runner.run(call('create_file', { path: 'app/src/made.ts', content: 'x\n' }));
    assert.equal(
      created.status === 'planned' && created.result,
      "Created app/src/made.ts (1 line). It waits for the user's review; the editor saves it to disk by itself (auto save), and undoing it deletes the file.",
    );
  });

  it('plans a replacement and a new file without changing anything', async () => {
    const { runner, ws } = setup();
    const out = await runner.run(
      call('replace_in_file', { path: 'app/src/a.ts', old_text: 'y = 2\n', new_text: 'y = 3\nz = 4\n' }),
    );
    assert.equal(out.status, 'planned');
    if (out.status !== 'planned') return;
    assert.equal(out.target, 'app/src/a.ts:2-2');
    assert.equal(
      out.result,
      "Replaced lines 2-2 of app/src/a.ts with 2 lines. The change waits for the user's review; the file is not saved.",
    );
    assert.deepEqual([out.edit.start, out.edit.end, out.edit.replacement], [6, 12, 'y = 3\nz = 4\n']);
    assert.equal(out.edit.after, 'x = 1\ny = 3\nz = 4\nx = 1\n');
    assert.equal(ws.files.get('/ws/app/src/a.ts')!.text, 'x = 1\ny = 2\nx = 1\n');
    const created = await runner.run(
      call('create_file', { path: 'app/src/new.ts', content: 'export {};\n' }),
    );
    assert.equal(created.status === 'planned' && created.edit.kind, 'create');
  });

  it('reads with line numbers, a range, and a note when cut', async () => {
    const { runner, ws } = setup();
    ws.put('/ws/app/long.txt', Array.from({ length: 2500 }, (_, i) => `l${i + 1}`).join('\r\n') + '\r\n');
    const range = await runner.run(call('read_file', { path: 'app/long.txt', start_line: 2, end_line: 3 }));
    assert.equal(range.result, 'app/long.txt (2500 lines)\n2| l2\n3| l3');
    const whole = await runner.run(call('read_file', { path: 'app/long.txt' }));
    assert.ok(
      whole.result.endsWith(
        '2000| l2000\n[Cut at line 2000 of 2500. Call read_file with start_line 2001 for more.]',
      ),
    );
  });

  it('lists files without protected ones', async () => {
    const { runner } = setup();
    const out = await runner.run(call('list_files', { path: 'app' }));
    assert.equal(out.result, 'app/src/a.ts\napp/README.md');
  });

  it('replace_selection replaces exactly the range selected, and only in Edit Selection', async () => {
    const { ws } = setup();
    const selection: SelectionTarget = {
      absolute: '/ws/app/src/a.ts',
      display: 'app/src/a.ts',
      start: 6,
      end: 11,
      version: 1,
    };
    const runner = new EditToolRunner(ws, selection);
    const out = await runner.run(call('replace_selection', { text: 'y = 42' }));
    assert.equal(out.status === 'planned' && out.edit.after, 'x = 1\ny = 42\nx = 1\n');
    assert.match(
      await refusal(runner, call('read_file', { path: 'app/README.md' })),
      /The tools you can call are: replace_selection\./,
    );
    ws.put('/ws/app/src/a.ts', 'changed\n', 2);
    assert.match(
      await refusal(runner, call('replace_selection', { text: 'q' })),
      /changed since the selection was made/,
    );
  });
});

describe('strict tool schemas as a downgrade', () => {
  it('drops strict, and keeps the tools, when an endpoint refuses it', async () => {
    const { detectDowngrade, applyDowngrade } = await import('../../../src/common/endpoint/paramDowngrade');
    const body = { model: 'm', messages: [], tools: editTools(true) };
    const found = detectDowngrade(
      400,
      'Unrecognized request argument supplied: tools[0].function.strict',
      body,
    );
    assert.equal(found, 'strict');
    const next = applyDowngrade(body, 'strict');
    assert.deepEqual(
      next.tools?.map((t) => t.function.name),
      ['read_file', 'list_files', 'search_text', 'get_problems', 'replace_in_file', 'create_file'],
    );
    assert.equal(
      next.tools?.some((t) => 'strict' in t.function),
      false,
    );
    assert.equal(
      detectDowngrade(400, 'tools are not supported', { ...body, tools: editTools(false) }),
      'tools',
    );
  });
});

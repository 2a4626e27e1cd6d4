/**
 * Edit mode in a real VS Code: the model's tool calls stream into the editor, wait for review, and
 * are kept or undone; refusals go back to the model. Driven through the panel, the editor and the
 * palette, against the fake endpoint.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sse } from '../fakeServer/fakeServer';
import { toolCallSse } from '../fakeServer/toolCallStream';
import { useWorkbench } from './fixture';
import {
  activeEditorText,
  answerInputBox,
  ensurePanel,
  openFile,
  runCommand,
  selectLines,
  textOf,
} from './workbench';

interface ToolMessage {
  role: string;
  tool_call_id?: string;
  content: unknown;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Saves the active editor as a person does. */
async function saveActive(page: Page): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+S');
}

describe('Edit mode in a real VS Code', function () {
  this.timeout(180_000);
  // code-server saves after a delay by default; a person who reviews edits has it off.
  const wb = useWorkbench({ 'files.autoSave': 'off' });
  const panel = () => wb.panel();
  const file = (rel: string) => join(wb.vscode.workspace, rel);
  /**
   * VS Code's auto save on (code-server's default, what a new user has: it writes a change that
   * waits for review) or off, with File: Toggle Auto Save as a person does; waits until settings.json
   * says so. The tests that want it on come one after the other; the last turns it off, and so does
   * a failure.
   */
  let autoSaveOn = false;
  const autoSave = async (on: boolean) => {
    if (on === autoSaveOn) return;
    await runCommand(wb.page, 'File: Toggle Auto Save');
    // Back at the browser's default, VS Code may drop the key: absent means afterDelay here.
    await until('settings.json to hold the auto save mode', () => {
      try {
        const saved = JSON.parse(readFileSync(wb.settingsFile, 'utf8')) as Record<string, unknown>;
        return (saved['files.autoSave'] ?? 'afterDelay') === (on ? 'afterDelay' : 'off');
      } catch {
        return false; // caught mid-write
      }
    });
    autoSaveOn = on;
  };
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await autoSave(false);
  });
  const toolMessages = (n: number) =>
    ((wb.chatRequests()[n].body as { messages: ToolMessage[] }).messages ?? []).filter(
      (m) => m.role === 'tool',
    );
  const lastAnswer = () => panel().locator('[data-role="assistant"]').last();
  const finished = (text: string) =>
    panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: text })
      .waitFor({ timeout: 60_000 });

  before(async () => {
    await ensurePanel(wb.page);
    await panel().locator('select[data-testid="mode"]').selectOption('edit');
  });

  it('streams a replace_in_file into the editor, waits for review, and is kept and saved by the user', async () => {
    await wb.newChat();
    writeFileSync(file('src/greet.ts'), 'export function greet() {\n  return "hi";\n}\n');
    const newText =
      Array.from({ length: 30 }, (_, i) => `  // step ${i}`).join('\n') + '\n  return "hello";\n';
    wb.server.enqueue(
      {
        body: toolCallSse(
          [
            {
              name: 'replace_in_file',
              id: 'call_a',
              arguments: { path: 'src/greet.ts', old_text: '  return "hi";\n', new_text: newText },
            },
          ],
          { pieceSize: 8 },
        ),
        chunkSize: 400,
        delayMs: 20,
      },
      { body: sse('Changed greet.') },
    );
    await wb.ask('Say hello instead');
    const block = lastAnswer().locator('[data-role="tool"]');
    await block.and(panel().locator('[data-status="applied"]')).waitFor({ timeout: 60_000 });
    await finished('Changed greet.');
    assert.equal(await textOf(block.locator('[data-testid="tool-target"]')), 'src/greet.ts:2-2');
    // The model was told what happened, in a tool message answering its call.
    assert.deepEqual(toolMessages(1), [
      {
        role: 'tool',
        tool_call_id: 'call_a',
        content:
          "Replaced lines 2-2 of src/greet.ts with 31 lines. The change waits for the user's review; the file is not saved.",
      },
    ]);
    assert.equal(
      readFileSync(file('src/greet.ts'), 'utf8'),
      'export function greet() {\n  return "hi";\n}\n',
      'nothing saved',
    );
    await lastAnswer().locator('[data-testid="accept-edits"]').click();
    await lastAnswer().locator('[data-role="tool"][data-status="kept"]').waitFor({ timeout: 15_000 });
    await openFile(wb.page, 'src/greet.ts');
    await saveActive(wb.page);
    const expected = `export function greet() {\n${newText}}\n`;
    await until('the saved file', () => readFileSync(file('src/greet.ts'), 'utf8') === expected);
  });

  it('undoes one kept change with one Ctrl+Z', async () => {
    await wb.newChat();
    writeFileSync(file('src/undo.ts'), 'const a = 1;\nconst b = 2;\n');
    await openFile(wb.page, 'src/undo.ts');
    wb.server.enqueue(
      {
        body: toolCallSse([
          {
            name: 'replace_in_file',
            arguments: {
              path: 'src/undo.ts',
              old_text: 'const b = 2;',
              new_text: 'const b = 3;\nconst c = 4;',
            },
          },
        ]),
      },
      { body: sse('Done undo.') },
    );
    await wb.ask('Change b');
    await finished('Done undo.');
    assert.equal(await activeEditorText(wb.page), 'const a = 1;\nconst b = 3;\nconst c = 4;');
    await runCommand(wb.page, 'Relay Chat: Accept All Edits');
    await lastAnswer().locator('[data-role="tool"][data-status="kept"]').waitFor({ timeout: 15_000 });
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+Z');
    await until(
      'the editor after one undo',
      async () => (await activeEditorText(wb.page)) === 'const a = 1;\nconst b = 2;',
    );
    await saveActive(wb.page);
    await until(
      'the saved file',
      () => readFileSync(file('src/undo.ts'), 'utf8') === 'const a = 1;\nconst b = 2;\n',
    );
  });

  it('rejects an edit of a CRLF file with a BOM and restores it byte for byte', async () => {
    await wb.newChat();
    const original = Buffer.from('\uFEFFline one\r\nline two\r\nlast line without newline', 'utf8');
    writeFileSync(file('src/crlf.txt'), original);
    await openFile(wb.page, 'src/crlf.txt');
    wb.server.enqueue(
      {
        body: toolCallSse([
          {
            name: 'replace_in_file',
            arguments: { path: 'src/crlf.txt', old_text: 'line two\n', new_text: 'line 2\nline 2b\n' },
          },
        ]),
      },
      { body: sse('Done crlf.') },
    );
    await wb.ask('Rename line two');
    await finished('Done crlf.');
    await lastAnswer().locator('[data-role="tool"][data-status="applied"]').waitFor();
    assert.equal(await activeEditorText(wb.page), 'line one\nline 2\nline 2b\nlast line without newline');
    await lastAnswer().locator('[data-testid="reject-edits"]').click();
    await lastAnswer().locator('[data-role="tool"][data-status="undone"]').waitFor({ timeout: 15_000 });
    await until(
      'the editor restored',
      async () => (await activeEditorText(wb.page)) === 'line one\nline two\nlast line without newline',
    );
    assert.ok(readFileSync(file('src/crlf.txt')).equals(original), 'the disk as before the answer');
    // Saved by the user: the bytes are the original ones (BOM, CRLF, no final newline).
    await saveActive(wb.page);
    await new Promise((r) => setTimeout(r, 0));
    await until('the file on disk', () => readFileSync(file('src/crlf.txt')).equals(original));
    assert.equal(await wb.page.locator('.tab.active.dirty').count(), 0, 'not left dirty');
  });

  it('refuses bad calls with a tool result the model reads, and changes no file', async () => {
    await wb.newChat();
    writeFileSync(file('src/twice.ts'), 'x = 1\ny = 2\nx = 1\n');
    writeFileSync(file('.env'), 'SECRET=1\n');
    wb.server.enqueue(
      {
        body: toolCallSse([
          {
            name: 'replace_in_file',
            id: 'r1',
            arguments: { path: 'src/twice.ts', old_text: 'x = 1', new_text: 'x = 9' },
          },
          {
            name: 'replace_in_file',
            id: 'r2',
            arguments: { path: 'src/twice.ts', old_text: 'nope', new_text: 'x' },
          },
          { name: 'read_file', id: 'r3', arguments: { path: '.env' } },
          { name: 'read_file', id: 'r4', arguments: { path: '../outside.txt' } },
          { name: 'read_file', id: 'r5', arguments: { path: '/etc/passwd' } },
          { name: 'delete_file', id: 'r6', arguments: { path: 'src/twice.ts' } },
          { name: 'replace_in_file', id: 'r7', arguments: '{"path": src/twice.ts}' },
          {
            name: 'replace_in_file',
            id: 'r8',
            arguments: { path: 'src/twice.ts', old_text: 'x = 1\ny = 2\nx = 1\n', new_text: '' },
          },
          { name: 'create_file', id: 'r9', arguments: { path: 'src/twice.ts', content: 'x' } },
        ]),
      },
      { body: sse('I will try differently.') },
    );
    await wb.ask('Break things');
    await finished('I will try differently.');
    const results = toolMessages(1);
    assert.deepEqual(
      // JSON.parse's own words differ between Node versions: the rest is compared exactly.
      results.map((m) => [
        m.tool_call_id,
        String(m.content).replace(/not valid JSON \(.+\)\. Call/, 'not valid JSON (…). Call'),
      ]),
      [
        [
          'r1',
          'old_text occurs 2 times in src/twice.ts (lines 1 and 3); include more surrounding lines so it occurs once.',
        ],
        [
          'r2',
          'old_text was not found in src/twice.ts. Read the file again with read_file and copy old_text exactly, without the line numbers.',
        ],
        [
          'r3',
          '".env" is protected (it matches ".env*" in relayChat.edits.protectedFiles) and cannot be read or changed. Leave it alone or ask the user to change it.',
        ],
        ['r4', '"../outside.txt" contains "..". Only files inside the workspace folder can be used.'],
        [
          'r5',
          '"/etc/passwd" is an absolute path. Give a path relative to the workspace folder, for example "src/index.ts".',
        ],
        [
          'r6',
          'Unknown tool "delete_file". The tools you can call are: read_file, list_files, search_text, get_problems, replace_in_file, create_file.',
        ],
        [
          'r7',
          'The arguments of replace_in_file are not valid JSON (…). Call replace_in_file again with the arguments as one JSON object, strings escaped.',
        ],
        [
          'r8',
          'This would leave src/twice.ts empty. Replace only the part that should change; a file is never emptied by an edit.',
        ],
        ['r9', 'src/twice.ts already exists. Use read_file and replace_in_file to change it.'],
      ],
    );
    const statuses = await lastAnswer()
      .locator('[data-role="tool"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    assert.deepEqual(statuses, Array(9).fill('refused'));
    assert.equal(
      await textOf(lastAnswer().locator('[data-role="tool"]').first().locator('[data-testid="tool-result"]')),
      results[0].content,
    );
    assert.equal(readFileSync(file('src/twice.ts'), 'utf8'), 'x = 1\ny = 2\nx = 1\n');
    assert.equal(readFileSync(file('.env'), 'utf8'), 'SECRET=1\n');
    assert.equal(await wb.page.locator('.tab.dirty', { hasText: 'twice.ts' }).count(), 0);
  });

  it('creates a file with create_file, kept and saved', async () => {
    await wb.newChat();
    wb.server.enqueue(
      {
        body: toolCallSse([
          {
            name: 'create_file',
            arguments: { path: 'src/new/made.ts', content: 'export const made = true;\n' },
          },
        ]),
      },
      { body: sse('Created it.') },
    );
    await wb.ask('Make a file');
    await finished('Created it.');
    await lastAnswer().locator('[data-role="tool"][data-status="applied"]').waitFor();
    await lastAnswer().locator('[data-testid="accept-edits"]').click();
    await lastAnswer().locator('[data-role="tool"][data-status="kept"]').waitFor();
    await openFile(wb.page, 'src/new/made.ts');
    await saveActive(wb.page);
    await until(
      'the new file',
      () =>
        existsSync(file('src/new/made.ts')) &&
        readFileSync(file('src/new/made.ts'), 'utf8') === 'export const made = true;\n',
    );
  });

  it('reads the unsaved text of an open document, over three tool rounds in one turn', async () => {
    await wb.newChat();
    writeFileSync(file('src/draft.ts'), 'saved text\n');
    await openFile(wb.page, 'src/draft.ts');
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type('typed, unsaved');
    await wb.page.locator('.tab.active.dirty').waitFor();
    wb.server.enqueue(
      {
        body: toolCallSse([{ name: 'read_file', id: 'd1', arguments: { path: 'src/draft.ts' } }], {
          text: 'Reading. ',
        }),
      },
      {
        body: toolCallSse([
          {
            name: 'replace_in_file',
            id: 'd2',
            arguments: { path: 'src/draft.ts', old_text: 'typed, unsaved', new_text: 'typed and edited' },
          },
        ]),
      },
      { body: toolCallSse([{ name: 'list_files', id: 'd3', arguments: { path: 'src', glob: 'draft*' } }]) },
      { body: sse('Three rounds done.') },
    );
    await wb.ask('Look at my draft');
    await finished('Three rounds done.');
    await wb.waitForRequests(4);
    assert.deepEqual(toolMessages(1), [
      {
        role: 'tool',
        tool_call_id: 'd1',
        content: 'src/draft.ts (2 lines)\n1| saved text\n2| typed, unsaved',
      },
    ]);
    assert.deepEqual(
      toolMessages(3).map((m) => m.tool_call_id),
      ['d1', 'd2', 'd3'],
    );
    assert.equal(toolMessages(3)[2].content, 'src/draft.ts');
    assert.equal(await activeEditorText(wb.page), 'saved text\ntyped and edited');
    assert.equal(readFileSync(file('src/draft.ts'), 'utf8'), 'saved text\n');
    await runCommand(wb.page, 'Relay Chat: Reject All Edits');
    await until(
      'the draft restored',
      async () => (await activeEditorText(wb.page)) === 'saved text\ntyped, unsaved',
    );
    assert.equal(readFileSync(file('src/draft.ts'), 'utf8'), 'saved text\n', 'the disk as before the answer');
    await wb.page.locator('.tab.active.dirty').waitFor();
  });

  it('leaves nothing half-applied when Stop comes in the middle of the arguments', async () => {
    await wb.newChat();
    writeFileSync(file('src/stop.ts'), 'keep me\n');
    await openFile(wb.page, 'src/stop.ts');
    const long = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
    wb.server.enqueue({
      body: toolCallSse(
        [
          {
            name: 'replace_in_file',
            arguments: { path: 'src/stop.ts', old_text: 'keep me', new_text: long },
          },
        ],
        {
          pieceSize: 4,
          done: false,
        },
      ),
      chunkSize: 300,
      delayMs: 50,
    });
    await wb.ask('Rewrite slowly');
    // The new text grows in the editor while the arguments stream.
    await until('the preview in the editor', async () =>
      (await activeEditorText(wb.page)).includes('line 3'),
    );
    await panel().locator('[data-testid="stop"]').click();
    await panel().locator('[data-role="assistant"][data-status="stopped"]').waitFor({ timeout: 15_000 });
    await until('the editor back to its text', async () => (await activeEditorText(wb.page)) === 'keep me');
    assert.equal(wb.chatRequests().length, 1, 'no tool result was sent');
    assert.equal(readFileSync(file('src/stop.ts'), 'utf8'), 'keep me\n');
    assert.equal(await lastAnswer().locator('[data-status="applied"]').count(), 0);
  });

  it('Edit Selection forces replace_selection and streams into the selected range', async () => {
    await wb.newChat();
    writeFileSync(file('src/select.ts'), 'function a() {\n  return 1;\n}\nfunction b() {\n  return 2;\n}\n');
    await openFile(wb.page, 'src/select.ts');
    await selectLines(wb.page, 4, 6);
    wb.server.enqueue({
      body: toolCallSse([
        { name: 'replace_selection', arguments: { text: 'function b() {\n  return 20;\n}\n' } },
      ]),
    });
    await wb.page.keyboard.press('Control+I');
    await answerInputBox(wb.page, 'Edit src/select.ts:4-6', 'Return 20');
    await lastAnswer().locator('[data-role="tool"][data-status="applied"]').waitFor({ timeout: 60_000 });
    const body = wb.lastBody() as {
      tool_choice?: unknown;
      tools?: { function: { name: string } }[];
      messages: { content: string }[];
    };
    assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'replace_selection' } });
    assert.deepEqual(
      body.tools?.map((t) => t.function.name),
      ['replace_selection'],
    );
    assert.match(body.messages[1].content, /File: src\/select\.ts \(language: typescript\), lines 4-6:/);
    assert.equal(
      await activeEditorText(wb.page),
      'function a() {\n  return 1;\n}\nfunction b() {\n  return 20;\n}',
    );
    assert.equal(wb.chatRequests().length, 1, 'one round: the forced call is the answer');
    await runCommand(wb.page, 'Relay Chat: Reject All Edits');
    await until(
      'the selection restored',
      async () =>
        (await activeEditorText(wb.page)) ===
        'function a() {\n  return 1;\n}\nfunction b() {\n  return 2;\n}',
    );
    assert.equal(
      readFileSync(file('src/select.ts'), 'utf8'),
      'function a() {\n  return 1;\n}\nfunction b() {\n  return 2;\n}\n',
      'the disk as before the answer',
    );
  });

  it('keeps one change and undoes another from their CodeLens, per change', async () => {
    await wb.newChat();
    writeFileSync(file('src/lens.ts'), 'const first = 1;\nconst middle = 0;\nconst second = 2;\n');
    await openFile(wb.page, 'src/lens.ts');
    wb.server.enqueue(
      {
        body: toolCallSse([
          {
            name: 'replace_in_file',
            arguments: { path: 'src/lens.ts', old_text: 'const first = 1;', new_text: 'const first = 10;' },
          },
          {
            name: 'replace_in_file',
            arguments: { path: 'src/lens.ts', old_text: 'const second = 2;', new_text: 'const second = 20;' },
          },
        ]),
      },
      { body: sse('Two changes.') },
    );
    await wb.ask('Change both');
    await finished('Two changes.');
    const lenses = wb.page.locator('.editor-group-container.active .codelens-decoration a');
    await until('two Keep and two Undo lenses', async () => (await lenses.count()) === 6);
    if (process.env.RELAY_EDITS_SCREENSHOT) {
      await wb.page.screenshot({
        path: join(__dirname, '..', '..', 'media', 'screenshots', 'edit-review.png'),
      });
    }
    // The first change's Undo, then the remaining change's Keep.
    await lenses.filter({ hasText: 'Undo' }).first().click();
    await until('one change left', async () => (await lenses.count()) === 3);
    await until(
      'the first change undone',
      async () =>
        (await activeEditorText(wb.page)) === 'const first = 1;\nconst middle = 0;\nconst second = 20;',
    );
    await lenses.filter({ hasText: 'Keep' }).first().click();
    await until('no change left', async () => (await lenses.count()) === 0);
    const statuses = await lastAnswer()
      .locator('[data-role="tool"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    assert.deepEqual(statuses, ['undone', 'kept']);
    await saveActive(wb.page);
    await until(
      'the saved file',
      () =>
        readFileSync(file('src/lens.ts'), 'utf8') ===
        'const first = 1;\nconst middle = 0;\nconst second = 20;\n',
    );
  });

  /** One answer whose calls change `files`; waits until auto save has written each change. */
  /**
   * One answer whose calls rename "line two" to "line 2" in each file (written first with the given
   * bytes); waits until auto save has written each change.
   */
  async function answerRenaming(files: Record<string, Buffer>, reply: string): Promise<void> {
    const renamed = (bytes: Buffer) => Buffer.from(bytes.toString('utf8').replace('line two', 'line 2'));
    for (const [rel, before] of Object.entries(files)) writeFileSync(file(rel), before);
    for (const rel of Object.keys(files)) await openFile(wb.page, rel);
    wb.server.enqueue(
      {
        body: toolCallSse(
          Object.keys(files).map((rel) => ({
            name: 'replace_in_file',
            arguments: { path: rel, old_text: 'line two', new_text: 'line 2' },
          })),
        ),
      },
      { body: sse(reply) },
    );
    await wb.ask(`Change ${Object.keys(files).join(' and ')}`);
    await finished(reply);
    for (const [rel, before] of Object.entries(files)) {
      await until(`auto save to write the change to ${rel}`, () =>
        readFileSync(file(rel)).equals(renamed(before)),
      );
    }
  }

  /** The editor shows the original text, not dirty, and the disk holds the original bytes. */
  async function restored(rel: string, bytes: Buffer, text: string): Promise<void> {
    await until(`${rel} on disk as before the answer`, () => readFileSync(file(rel)).equals(bytes));
    await openFile(wb.page, rel);
    await until(
      `${rel} in the editor as before the answer`,
      async () => (await activeEditorText(wb.page)) === text,
    );
    assert.equal(
      await wb.page.locator('.tab.dirty', { hasText: rel.split('/').pop()! }).count(),
      0,
      `${rel} not dirty`,
    );
    assert.ok(readFileSync(file(rel)).equals(bytes), `${rel} still as before`);
  }

  const lf = Buffer.from('line one\nline two\nline three\n');
  const crlf = Buffer.from('\uFEFFline one\r\nline two\r\nlast line without newline', 'utf8');

  it('with auto save on, Reject All Edits from the palette leaves an LF and a CRLF file with a BOM as on disk before', async () => {
    await autoSave(true);
    await wb.newChat();
    await answerRenaming({ 'src/reject-lf.txt': lf, 'src/reject-crlf.txt': crlf }, 'Both renamed.');
    await runCommand(wb.page, 'Relay Chat: Reject All Edits');
    await lastAnswer()
      .locator('[data-role="tool"][data-status="undone"]')
      .nth(1)
      .waitFor({ timeout: 15_000 });
    await restored('src/reject-lf.txt', lf, 'line one\nline two\nline three');
    await restored('src/reject-crlf.txt', crlf, 'line one\nline two\nlast line without newline');
  });

  it("with auto save on, the panel's Undo for the answer leaves the disk as before", async () => {
    await autoSave(true);
    await wb.newChat();
    await answerRenaming({ 'src/undo-panel.txt': crlf }, 'Renamed.');
    await lastAnswer().locator('[data-testid="reject-edits"]').click();
    await lastAnswer().locator('[data-role="tool"][data-status="undone"]').waitFor({ timeout: 15_000 });
    await restored('src/undo-panel.txt', crlf, 'line one\nline two\nlast line without newline');
  });

  it('with auto save on, the CodeLens Undo, one change after the other, leaves the disk as before', async () => {
    await autoSave(true);
    await wb.newChat();
    const before = Buffer.from('const first = 1;\nconst second = 2;\n');
    writeFileSync(file('src/undo-lens.ts'), before);
    await openFile(wb.page, 'src/undo-lens.ts');
    wb.server.enqueue(
      {
        body: toolCallSse([
          {
            name: 'replace_in_file',
            arguments: {
              path: 'src/undo-lens.ts',
              old_text: 'const first = 1;',
              new_text: 'const first = 10;',
            },
          },
          {
            name: 'replace_in_file',
            arguments: {
              path: 'src/undo-lens.ts',
              old_text: 'const second = 2;',
              new_text: 'const second = 20;',
            },
          },
        ]),
      },
      { body: sse('Two lens changes.') },
    );
    await wb.ask('Change both numbers');
    await finished('Two lens changes.');
    await until(
      'auto save to write both changes',
      () => readFileSync(file('src/undo-lens.ts'), 'utf8') === 'const first = 10;\nconst second = 20;\n',
    );
    const lenses = wb.page.locator('.editor-group-container.active .codelens-decoration a');
    await until('two Undo lenses', async () => (await lenses.filter({ hasText: 'Undo' }).count()) === 2);
    await lenses.filter({ hasText: 'Undo' }).first().click();
    await until('one change left', async () => (await lenses.filter({ hasText: 'Undo' }).count()) === 1);
    await lenses.filter({ hasText: 'Undo' }).first().click();
    await until('no change left', async () => (await lenses.count()) === 0);
    await restored('src/undo-lens.ts', before, 'const first = 1;\nconst second = 2;');
  });

  it('with auto save on, Keep then one Ctrl+Z in the editor leaves the disk as before', async () => {
    await autoSave(true);
    await wb.newChat();
    await answerRenaming({ 'src/undo-kept.txt': lf }, 'Renamed, to keep.');
    await lastAnswer().locator('[data-testid="accept-edits"]').click();
    await lastAnswer().locator('[data-role="tool"][data-status="kept"]').waitFor({ timeout: 15_000 });
    await openFile(wb.page, 'src/undo-kept.txt');
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+Z');
    await restored('src/undo-kept.txt', lf, 'line one\nline two\nline three');
  });

  it('with auto save on, a file the answer created and the panel undid is gone from disk', async () => {
    await autoSave(true);
    await wb.newChat();
    wb.server.enqueue(
      {
        body: toolCallSse([
          {
            name: 'create_file',
            arguments: { path: 'src/made-undone.ts', content: 'export const x = 1;\n' },
          },
        ]),
      },
      { body: sse('Created one.') },
    );
    await wb.ask('Make another file');
    await finished('Created one.');
    await until('the new file on disk', () => existsSync(file('src/made-undone.ts')));
    await lastAnswer().locator('[data-testid="reject-edits"]').click();
    await lastAnswer().locator('[data-role="tool"][data-status="undone"]').waitFor({ timeout: 15_000 });
    await until('the new file gone', () => !existsSync(file('src/made-undone.ts')));
    await autoSave(false);
  });

  it('falls back to edit blocks with a relay that rejects tools, and says so', async () => {
    await wb.newChat();
    writeFileSync(file('src/fallback.ts'), 'let mode = "tools";\n');
    wb.server.enqueue(
      {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          error: { message: 'tools is not supported by this relay', type: 'invalid_request_error' },
        }),
      },
      {
        body: sse(
          'Here:\n```edit src/fallback.ts\n<<<<<<< SEARCH\nlet mode = "tools";\n=======\nlet mode = "blocks";\n>>>>>>> REPLACE\n```\n',
          { pieceSize: 5 },
        ),
      },
    );
    await wb.ask('Switch the mode');
    await finished('Here:');
    await lastAnswer().locator('[data-role="tool"][data-status="applied"]').waitFor();
    assert.match(
      await textOf(lastAnswer()),
      /This endpoint takes no tools: edit mode asks for edit blocks in the answer instead\./,
    );
    const second = wb.chatRequests()[1].body as {
      tools?: unknown;
      messages: { role: string; content: string }[];
    };
    assert.equal(second.tools, undefined);
    assert.match(second.messages[0].content, /```edit path\/relative\/to\/workspace/);
    await runCommand(wb.page, 'Relay Chat: Accept All Edits');
    await lastAnswer().locator('[data-role="tool"][data-status="kept"]').waitFor();
    // Remembered: the next turn asks for blocks at once, without tools.
    wb.server.reset();
    wb.server.enqueue({ body: sse('No changes needed.') });
    await wb.ask('Anything else?');
    await finished('No changes needed.');
    assert.equal((wb.lastBody() as { tools?: unknown }).tools, undefined);
  });
});

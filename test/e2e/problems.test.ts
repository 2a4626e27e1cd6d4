/**
 * Problems as a way in, and the tools that look around, in a real VS Code: the built-in TypeScript
 * service reports a real type error; the Quick Fix menu's "Fix with Relay Chat" comes back as an
 * edit to review, "Explain with Relay Chat" asks with the code around it; get_problems after an edit
 * returns the error the edit made; search_text leaves out what .gitignore ignores.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { sse } from '../fakeServer/fakeServer';
import { toolCallSse } from '../fakeServer/toolCallStream';
import { useWorkbench, type ChatBody } from './fixture';
import { ensurePanel, openFile, textOf } from './workbench';

interface Message {
  role: string;
  tool_call_id?: string;
  content: string | { type: string; text?: string }[] | null;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const editorLines = (page: Page) =>
  page.locator('.editor-group-container.active .monaco-editor .view-lines').first();

/** Puts the cursor at line:column of the active editor with Go to Line, as a person can. */
async function cursorAt(page: Page, line: number, column: number): Promise<void> {
  await editorLines(page).click();
  await page.keyboard.press('Control+G');
  const box = page.locator('.quick-input-widget input');
  await box.waitFor({ state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await box.waitFor({ state: 'hidden' });
}

/** The Quick Fix menu (Ctrl+.) at the cursor, and the row `title` clicked. */
async function quickFix(page: Page, title: string): Promise<void> {
  const row = page.locator('.action-widget .monaco-list-row', { hasText: title });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    const shown = await row
      .first()
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (shown) break;
    if (attempt === 3) throw new Error(`the Quick Fix menu did not offer "${title}"`);
    await page.keyboard.press('Escape');
  }
  await row.first().click();
}

describe('Problems in a real VS Code: Quick Fixes, get_problems and search_text', function () {
  this.timeout(240_000);
  const wb = useWorkbench({ 'files.autoSave': 'off' });
  const panel = () => wb.panel();
  const file = (rel: string) => join(wb.vscode.workspace, rel);
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(file(rel)), { recursive: true });
    writeFileSync(file(rel), text);
  };
  const lastAnswer = () => panel().locator('[data-role="assistant"]').last();
  const finished = (text: string) =>
    panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: text })
      .waitFor({ timeout: 90_000 });
  const messages = (n: number) => (wb.chatRequests()[n].body as { messages: Message[] }).messages;
  /** The question as sent: text parts travel as one string, joined by a blank line. */
  const userText = (n: number) => {
    const content = messages(n).find((m) => m.role === 'user')!.content;
    return typeof content === 'string' ? content : (content ?? []).map((p) => p.text ?? '').join('\n\n');
  };
  const toolResults = (n: number) =>
    messages(n)
      .filter((m) => m.role === 'tool')
      .map((m) => m.content);
  /** The file open, and the TypeScript service's squiggle under its error shown. */
  const openWithError = async (rel: string) => {
    await openFile(wb.page, rel);
    await wb.page
      .locator('.editor-group-container.active .squiggly-error')
      .first()
      .waitFor({ timeout: 120_000 });
  };

  before(async () => {
    await ensurePanel(wb.page);
  });

  it('Fix with Relay Chat from the Quick Fix menu: Edit mode, the diagnostic sent, the fix reviewed, kept and saved', async () => {
    put('src/broken.ts', 'const count: number = "three";\nexport { count };\n');
    await wb.newChat();
    wb.server.enqueue(
      {
        body: toolCallSse([
          {
            name: 'replace_in_file',
            id: 'call_fix',
            arguments: {
              path: 'src/broken.ts',
              old_text: 'const count: number = "three";',
              new_text: 'const count: number = 3;',
            },
          },
        ]),
      },
      { body: sse('Fixed the type.') },
    );
    await openWithError('src/broken.ts');
    await cursorAt(wb.page, 1, 8);
    await quickFix(wb.page, 'Fix with Relay Chat');
    await finished('Fixed the type.');
    const headline = "src/broken.ts:1:7 error ts(2322): Type 'string' is not assignable to type 'number'.";
    // The request: edit mode's tools, and the diagnostic exactly as a line of the question.
    const first = wb.chatRequests()[0].body as ChatBody;
    assert.ok(Array.isArray(first.tools), 'asked with the edit tools');
    const question = userText(0).split('\n');
    assert.equal(question[1], headline);
    assert.equal(
      question.slice(3).join('\n'),
      [
        'File: src/broken.ts (language: typescript), lines 1-2, line 1 marked with ">":',
        '```typescript',
        '> 1| const count: number = "three";',
        '  2| export { count };',
        '```',
      ].join('\n'),
    );
    assert.equal(
      await textOf(
        panel()
          .locator('[data-role="user"]')
          .last()
          .locator('[data-testid="context-chip"][data-kind="problems"] .chip-label'),
      ),
      'src/broken.ts:1',
    );
    // The panel switched to Edit mode and shows it.
    assert.equal(await panel().locator('select[data-testid="mode"]').inputValue(), 'edit');
    // The fix waits for review; Keep, then save as a person does: the disk has it.
    await lastAnswer().locator('[data-role="tool"][data-status="applied"]').waitFor();
    await lastAnswer().locator('[data-testid="accept-edits"]').click();
    await lastAnswer().locator('[data-role="tool"][data-status="kept"]').waitFor({ timeout: 15_000 });
    await openFile(wb.page, 'src/broken.ts');
    await editorLines(wb.page).click();
    await wb.page.keyboard.press('Control+S');
    await until(
      'the fix on disk',
      () => readFileSync(file('src/broken.ts'), 'utf8') === 'const count: number = 3;\nexport { count };\n',
    );
  });

  it('Explain with Relay Chat asks in Ask mode with the diagnostic and the code around it', async () => {
    put('src/explain.ts', 'export function twice(n: number): number {\n  return n * 2;\n}\ntwice("2");\n');
    await wb.newChat();
    wb.server.enqueue({ body: sse('A string is passed where a number is expected.') });
    await openWithError('src/explain.ts');
    await cursorAt(wb.page, 4, 8);
    await quickFix(wb.page, 'Explain with Relay Chat');
    await finished('A string is passed where a number is expected.');
    const body = wb.chatRequests()[0].body as ChatBody;
    assert.equal(body.tools, undefined, 'Ask mode for this question: no tools');
    const headline =
      "src/explain.ts:4:7 error ts(2345): Argument of type 'string' is not assignable to parameter of type 'number'.";
    assert.equal(
      userText(0),
      [
        'Explain this problem: what it means, why the code causes it, and how to fix it.',
        headline,
        '',
        'File: src/explain.ts (language: typescript), lines 1-4, line 4 marked with ">":',
        '```typescript',
        '  1| export function twice(n: number): number {',
        '  2|   return n * 2;',
        '  3| }',
        '> 4| twice("2");',
        '```',
      ].join('\n'),
    );
    const question = panel().locator('[data-role="user"]').last();
    assert.equal(
      await textOf(question.locator('[data-testid="context-chip"][data-kind="problems"] .chip-label')),
      'src/explain.ts:4',
    );
    assert.equal((await textOf(question.locator('.body'))).trim(), `Explain this problem: ${headline}`);
    // The user's mode setting is left as it was (Edit, from the fix before).
    assert.equal(await panel().locator('select[data-testid="mode"]').inputValue(), 'edit');
  });

  it('get_problems after an edit returns the type error the edit made', async () => {
    put('src/later.ts', 'export const label: string = "ok";\n');
    await openFile(wb.page, 'src/later.ts');
    await wb.newChat();
    await panel().locator('select[data-testid="mode"]').selectOption('edit');
    wb.server.enqueue(
      {
        body: toolCallSse([
          {
            name: 'replace_in_file',
            id: 'call_edit',
            arguments: { path: 'src/later.ts', old_text: '"ok"', new_text: '42' },
          },
        ]),
      },
      { body: toolCallSse([{ name: 'get_problems', id: 'call_problems', arguments: {} }]) },
      { body: sse('I will mend it.') },
    );
    await wb.ask('Make the label a number');
    await finished('I will mend it.');
    await wb.waitForRequests(3);
    const [result] = toolResults(2).slice(-1);
    const lines = String(result).split('\n');
    assert.ok(
      lines.includes("src/later.ts:1:14 error ts(2322): Type 'number' is not assignable to type 'string'."),
      String(result),
    );
    assert.deepEqual(lines, [
      'Problems in the files this answer changed (src/later.ts):',
      "src/later.ts:1:14 error ts(2322): Type 'number' is not assignable to type 'string'.",
      '> 1| export const label: string = 42;',
    ]);
    await lastAnswer().locator('[data-testid="reject-edits"]').click();
    await lastAnswer()
      .locator('[data-role="tool"][data-status="undone"]')
      .first()
      .waitFor({ timeout: 15_000 });
  });

  it('search_text returns matches from files and none from a .gitignored folder', async () => {
    put('.gitignore', 'ignored/\n');
    put('src/needle.ts', 'export const needleValue = 1;\n');
    put('ignored/needle.ts', 'export const needleValue = 2;\n');
    await wb.newChat();
    await panel().locator('select[data-testid="mode"]').selectOption('edit');
    wb.server.enqueue(
      {
        body: toolCallSse([{ name: 'search_text', id: 'call_search', arguments: { query: 'needleValue' } }]),
      },
      { body: sse('Found it once.') },
    );
    await wb.ask('Where is needleValue?');
    await finished('Found it once.');
    assert.deepEqual(toolResults(1), ['src/needle.ts:1: export const needleValue = 1;']);
  });
});

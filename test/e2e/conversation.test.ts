/**
 * The chat panel's conversation paths in a real VS Code: regenerate, edit and resend, history
 * that survives a window reload, past conversations, export, and code blocks into the editor.
 */
import assert from 'node:assert/strict';
import { sse } from '../fakeServer/fakeServer';
import { useWorkbench } from './fixture';
import {
  activeEditorText,
  ensurePanel,
  openFile,
  pickQuickItem,
  reloadWindow,
  runCommand,
  textOf,
} from './workbench';

describe('Conversations in a real VS Code', function () {
  this.timeout(120_000);
  const wb = useWorkbench();
  const answer = (text: string) =>
    wb.panel().locator('[data-role="assistant"]:not([data-streaming])', { hasText: text });
  const finished = (text: string) => answer(text).waitFor({ timeout: 30_000 });

  it('sends the per-chat parameters set in the panel menu with the next request', async () => {
    await wb.newChat();
    await wb.panel().locator('[data-testid="params"]').click();
    await wb.panel().locator('[data-testid="param-temperature"]').fill('0.3');
    await wb.panel().locator('[data-testid="param-temperature"]').press('Tab');
    await wb.panel().locator('[data-testid="param-max-tokens"]').fill('256');
    await wb.panel().locator('[data-testid="param-max-tokens"]').press('Tab');
    await wb.panel().locator('[data-testid="param-json"]').check();
    wb.server.enqueue({ body: sse('{"ok": true}') });
    await wb.ask('Answer in JSON');
    await finished('{"ok": true}');
    const body = wb.lastBody();
    assert.equal(body.temperature, 0.3);
    assert.equal(body.max_tokens, 256);
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.deepEqual(body.stream_options, { include_usage: true });
    // Back to the endpoint's defaults for the tests that follow.
    await wb.panel().locator('[data-testid="param-temperature"]').fill('');
    await wb.panel().locator('[data-testid="param-temperature"]').press('Tab');
    await wb.panel().locator('[data-testid="param-max-tokens"]').fill('');
    await wb.panel().locator('[data-testid="param-max-tokens"]').press('Tab');
    await wb.panel().locator('[data-testid="param-json"]').uncheck();
  });

  it('regenerates the last answer in place', async () => {
    await wb.newChat();
    wb.server.enqueue({ body: sse('First try.') }, { body: sse('Second try, better.') });
    await wb.ask('Name a colour');
    await finished('First try.');
    await wb.panel().locator('[data-role="assistant"] [data-testid="regenerate"]').click();
    await finished('Second try, better.');
    assert.equal(
      await wb.panel().locator('[data-role="assistant"]').count(),
      1,
      'the old answer was replaced',
    );
    const [first, second] = wb.chatRequests().map((r) => r.body);
    assert.deepEqual(second, first, 'the same question was asked again');
  });

  it('edits a past question and resends it, forgetting what came after', async () => {
    await wb.newChat();
    wb.server.enqueue({ body: sse('Paris.') }, { body: sse('Also Paris.') }, { body: sse('Berlin.') });
    await wb.ask('Capital of France?');
    await finished('Paris.');
    await wb.ask('Are you sure?');
    await finished('Also Paris.');

    const firstQuestion = wb.panel().locator('[data-role="user"]').first();
    await firstQuestion.hover();
    await firstQuestion.locator('[data-testid="edit-message"]').click();
    const box = wb.panel().locator('[data-testid="edit-box"]');
    await box.fill('Capital of Germany?');
    await wb.panel().locator('[data-testid="edit-save"]').click();
    await finished('Berlin.');
    assert.deepEqual(
      await wb
        .panel()
        .locator('[data-role="user"], [data-role="assistant"]')
        .allInnerTexts()
        .then((t) => t.length),
      2,
    );
    assert.match(await textOf(wb.panel().locator('[data-role="user"]')), /Capital of Germany\?/);
    assert.deepEqual(wb.lastBody().messages, [{ role: 'user', content: 'Capital of Germany?' }]);
  });

  it('keeps the conversation through a window reload', async () => {
    await wb.newChat();
    wb.server.enqueue({ body: sse('Remember me: **42**.') });
    await wb.ask('What is the answer?');
    await finished('Remember me');
    await reloadWindow(wb.page);
    await ensurePanel(wb.page);
    await finished('Remember me: 42.');
    assert.match(await textOf(wb.panel().locator('[data-role="user"]')), /What is the answer\?/);

    // And the restored conversation carries on with its history.
    wb.server.reset();
    wb.server.enqueue({ body: sse('Still 42.') });
    await wb.ask('Again?');
    await finished('Still 42.');
    assert.deepEqual(
      wb.lastBody().messages.map((m) => m.role),
      ['user', 'assistant', 'user'],
    );
  });

  it('finds a past conversation in the history and opens it', async () => {
    await wb.newChat();
    wb.server.enqueue({ body: sse('Unicorns are mythical.') });
    await wb.ask('Tell me about unicorns');
    await finished('Unicorns are mythical.');
    await wb.newChat();
    assert.equal(await wb.panel().locator('[data-role="user"]').count(), 0);

    await wb.openFromHistory('Tell me about unicorns');
    await finished('Unicorns are mythical.');
  });

  it('exports the conversation as Markdown', async () => {
    await wb.panel().locator('[data-testid="export"]').click();
    await pickQuickItem(wb.page, 'Markdown');
    const editor = wb.page.locator('.editor-group-container.active .monaco-editor .view-lines');
    await editor.filter({ hasText: '## You' }).waitFor({ timeout: 15_000 });
    const text = await activeEditorText(wb.page);
    assert.match(text, /Tell me about unicorns/);
    assert.match(text, /## Assistant/);
    await runCommand(wb.page, 'View: Revert and Close Editor');
  });

  it('inserts a code block at the cursor as one undoable edit', async () => {
    await openFile(wb.page, 'src/sample.ts');
    // Cursor to the end of the file.
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+End');
    await ensurePanel(wb.page);
    await wb.newChat();
    const code = 'export const answer = 42; // <&> kept as typed';
    wb.server.enqueue({ body: sse(`Add this:\n\n\`\`\`ts\n${code}\n\`\`\`\n`) });
    await wb.ask('Give me a constant');
    await finished('Add this');
    await wb.panel().locator('[data-role="assistant"] [data-testid="code-insert"]').click();
    const lines = wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await lines.filter({ hasText: 'export const answer = 42;' }).waitFor({ timeout: 15_000 });
    assert.match(await activeEditorText(wb.page), /export const answer = 42; \/\/ <&> kept as typed/);

    await lines.click();
    await wb.page.keyboard.press('Control+Z');
    await lines
      .filter({ hasText: 'export const answer = 42;' })
      .waitFor({ state: 'detached', timeout: 15_000 });
    assert.doesNotMatch(
      await activeEditorText(wb.page),
      /export const answer = 42/,
      'one Undo takes it back',
    );
  });

  it('applies a code block as a diff against the open file, and opens one in a new editor', async () => {
    await openFile(wb.page, 'src/sample.ts');
    await ensurePanel(wb.page);
    await wb.newChat();
    wb.server.enqueue({
      body: sse(
        'Try:\n\n```ts\nexport function greet(name: string): string {\n  return `Hi, ${name}`;\n}\n```\n',
      ),
    });
    await wb.ask('Shorter greeting?');
    await finished('Try:');
    await wb.panel().locator('[data-role="assistant"] [data-testid="code-apply"]').click();
    await wb.page.locator('.tab.active', { hasText: 'suggested code' }).waitFor({ timeout: 15_000 });
    assert.equal(await wb.page.locator('.editor-group-container.active .monaco-diff-editor').count(), 1);
    await runCommand(wb.page, 'View: Revert and Close Editor');

    await ensurePanel(wb.page);
    await wb.panel().locator('[data-role="assistant"] [data-testid="code-open"]').click();
    await wb.page.locator('.tab.active', { hasText: 'Untitled' }).waitFor({ timeout: 15_000 });
    assert.match(await activeEditorText(wb.page), /return `Hi, \$\{name\}`;/);
    await runCommand(wb.page, 'View: Revert and Close Editor');
  });

  it("explains an image from the Explorer's context menu, sending it as an image part", async () => {
    await wb.newChat();
    wb.server.enqueue({ body: sse('A white speech bubble with an arrow on a blue square.') });
    // The command, not the activity bar icon: its badge (unsaved files) can sit over the icon.
    await runCommand(wb.page, 'View: Show Explorer');
    const folder = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'images' });
    await folder.waitFor({ timeout: 15_000 });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    const file = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'logo.png' });
    await file.click({ button: 'right' });
    const item = wb.page.locator('.context-view .action-menu-item', { hasText: 'Explain Image' });
    // Hover focuses the item; Enter runs it (a click right as the menu opens can be swallowed).
    await item.hover();
    await wb.page.keyboard.press('Enter');
    // The image and the default question wait in the composer, to be edited or sent.
    await wb.panel().locator('[data-testid="attachment"]').waitFor({ timeout: 30_000 });
    assert.equal(
      await wb.panel().locator('textarea[data-testid="composer"]').inputValue(),
      'Explain this image.',
    );
    await wb.panel().locator('[data-testid="send"]').click();
    await finished('A white speech bubble');
    const parts = wb.lastBody().messages[0].content as {
      type: string;
      text?: string;
      image_url?: { url: string };
    }[];
    assert.equal(parts[0].text, 'Explain this image.');
    const image = parts.find((p) => p.type === 'image_url');
    assert.match(image?.image_url?.url ?? '', /^data:image\/(png|webp);base64,/);
    const thumbnail = wb.panel().locator('[data-role="user"] img');
    assert.equal(
      await thumbnail.getAttribute('src'),
      image?.image_url?.url,
      'the thumbnail is what was sent',
    );
  });
});

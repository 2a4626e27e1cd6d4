/**
 * A strict server in a real VS Code: the fake endpoint enforces DeepSeek's refusal of array
 * content with its exact words (catalogue entry deepseek-content-422). Ask About Selection and a
 * follow-up must answer with no error and no notice; Explain Image on this model, known to see no
 * images, is stopped in the composer with a reason before anything is sent, the image kept.
 */
import assert from 'node:assert/strict';
import { sse } from '../fakeServer/fakeServer';
import { catalogueEntry } from '../fakeServer/strictMode';
import { useWorkbench } from './fixture';
import { answerInputBox, openFile, runCommand, selectLines, textOf } from './workbench';

describe('Strict servers in a real VS Code (DeepSeek mode)', function () {
  this.timeout(180_000);
  const deepseek = catalogueEntry('deepseek-content-422');
  const wb = useWorkbench({ 'relayChat.model': 'deepseek-chat' });
  const panel = () => wb.panel();
  const settled = (text: string) =>
    panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: text })
      .waitFor({ timeout: 30_000 });

  before(() => wb.server.setStrict(deepseek));

  it('answers Ask About Selection and a follow-up with no error and no notice', async () => {
    wb.server.enqueue({ body: sse('It returns the n-th Fibonacci number.') });
    await openFile(wb.page, 'src/sample.ts');
    await selectLines(wb.page, 2, 4);
    await runCommand(wb.page, 'Relay Chat: Ask About Selection');
    await answerInputBox(wb.page, 'Ask about src/sample.ts:2-4', 'What does this do?');
    await settled('Fibonacci');

    wb.server.enqueue({ body: sse('fibonacci(10) is 55.') });
    await wb.ask('And fibonacci(10)?');
    await settled('55');

    assert.deepEqual(await panel().locator('[data-role="assistant"] .body p').allTextContents(), [
      'It returns the n-th Fibonacci number.',
      'fibonacci(10) is 55.',
    ]);
    assert.equal(await panel().locator('[data-role="error"]').count(), 0, 'no error');
    assert.equal(await panel().locator('.notice').count(), 0, 'no notice');
    assert.equal(wb.server.refused.length, 0, 'the strict server refused nothing');
    assert.deepEqual(
      wb.lastBody().messages.map((m) => m.content),
      [
        [
          'What does this do?',
          '',
          'File: src/sample.ts (language: typescript), lines 2-4:',
          '```typescript',
          'export function fibonacci(n: number): number {',
          '  if (n < 2) return n;',
          '  let [a, b] = [0, 1];',
          '```',
        ].join('\n'),
        'It returns the n-th Fibonacci number.',
        'And fibonacci(10)?',
      ],
    );
  });

  it('stops an image for this model known to see none before sending, and keeps it', async () => {
    await wb.newChat();
    await runCommand(wb.page, 'View: Show Explorer');
    const folder = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'images' });
    await folder.waitFor({ timeout: 15_000 });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    const file = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'logo.png' });
    await file.click({ button: 'right' });
    const item = wb.page.locator('.context-view .action-menu-item', { hasText: 'Explain Image' });
    await item.hover();
    await wb.page.keyboard.press('Enter');

    const chip = panel().locator('[data-testid="attachment"]');
    await chip.waitFor({ timeout: 30_000 });
    await panel().locator('[data-testid="send"]').click();
    assert.equal(
      await textOf(panel().locator('.composer-note')),
      'deepseek-chat does not take images. Choose a model that sees images, or remove the images to send the text.',
    );
    assert.equal(await chip.count(), 1, 'the image stays in the composer');
    assert.equal(wb.chatRequests().length, 0, 'nothing was sent');

    // Without the image, the question goes as text.
    wb.server.enqueue({ body: sse('I cannot see images, but I can help with the text.') });
    await chip.locator('[data-testid="attachment-remove"]').click();
    await panel().locator('[data-testid="send"]').click();
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'I cannot see images' })
      .waitFor({ timeout: 30_000 });
    await wb.waitForRequests(1);
    assert.deepEqual(wb.lastBody().messages, [{ role: 'user', content: 'Explain this image.' }]);
    assert.equal(wb.server.refused.length, 0);
  });
});

/**
 * A strict server in a real VS Code: the fake endpoint enforces DeepSeek's refusal of array
 * content with its exact words (catalogue entry deepseek-content-422). Ask About Selection and a
 * follow-up must answer with no error and no notice; Explain Image on this text-only model must
 * show the refusal clearly, with the image sent once and never dropped in silence.
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

  it('shows the refusal of an image on this text-only model clearly, never dropping the image', async () => {
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

    const error = panel().locator('[data-role="error"]');
    await error.waitFor({ timeout: 30_000 });
    assert.equal(
      await textOf(error.locator('.error-title')),
      `Request failed: HTTP 422 from 127.0.0.1:${wb.server.port}`,
    );
    assert.equal(
      await textOf(error.locator('.error-detail')),
      'Failed to deserialize the JSON body into the target type: messages[0]: invalid type: sequence, expected a string at line 1 column 40',
    );
    assert.equal(
      await textOf(error.locator('.error-hint')),
      'This model or endpoint takes no images or files: nothing was sent without them. Remove the image and send again, or choose a model that takes images.',
    );
    assert.equal(await panel().locator('[data-role="assistant"]').count(), 0, 'no answer pretends otherwise');
    assert.equal(
      await panel().locator('[data-role="user"] img').count(),
      1,
      'the image stays in the question',
    );
    await wb.waitForRequests(1);
    assert.equal(wb.server.refused.length, 1);
    const sent = wb.lastBody().messages[0].content as { type: string; image_url?: { url: string } }[];
    assert.match(
      sent.find((p) => p.type === 'image_url')?.image_url?.url ?? '',
      /^data:image\/png;base64,iVBORw0KGgo/,
      'the image went out; nothing was resent without it',
    );

    // On the user's word only: the question again, its text alone.
    wb.server.enqueue({ body: sse('I cannot see images, but I can help with the text.') });
    await error.locator('[data-testid="send-without-attachments"]').click();
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'I cannot see images' })
      .waitFor({ timeout: 30_000 });
    await wb.waitForRequests(2);
    assert.deepEqual(wb.lastBody().messages, [{ role: 'user', content: 'Explain this image.' }]);
    assert.equal(await panel().locator('[data-role="error"]').count(), 0, 'the error went with the retry');
    assert.equal(await panel().locator('[data-role="user"] img').count(), 0, 'the thumbnail went too');
  });
});

/**
 * Explain Image as the very first thing a person does in a fresh workbench, before the chat view was
 * ever opened: the view is created by the command itself, and the image must arrive in its composer.
 * This needs a fresh VS Code of its own: once the view has been opened, the race it guards is gone.
 */
import assert from 'node:assert/strict';
import { sse } from '../fakeServer/fakeServer';
import { useWorkbench } from './fixture';
import { hideAndShowSideBar } from './workbench';

describe('Explain Image as the first action in a fresh workbench', function () {
  this.timeout(180_000);
  const wb = useWorkbench({ 'relayChat.model': 'gpt-4o' });
  const panel = () => wb.panel();

  it('opens the chat view with the image and the prompt in the composer, and sends them', async () => {
    assert.equal(await wb.page.locator('iframe.webview').count(), 0, 'no webview yet');
    const folder = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'images' });
    await folder.waitFor({ timeout: 15_000 });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    const row = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'logo.png' });
    await row.waitFor({ timeout: 15_000 });
    // Until the extension host has registered the extension's menus, the Explorer's menu lacks the
    // item; a person closes it and right-clicks again.
    const item = wb.page.locator('.context-view .action-menu-item', { hasText: 'Explain Image' });
    for (let attempt = 1; ; attempt++) {
      await row.click({ button: 'right' });
      if (
        await item.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (attempt === 10) throw new Error('the Explorer menu never offered Explain Image');
      await wb.page.keyboard.press('Escape');
    }
    // As images.test.ts does: a click while the menu still lays out can miss; the hovered item
    // takes Enter.
    await item.hover();
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.context-view .action-menu-item').first().waitFor({ state: 'detached' });

    await panel().locator('[data-testid="attachment"]').waitFor({ timeout: 30_000 });
    assert.equal(await panel().locator('[data-testid="attachment"]').count(), 1);
    const composer = panel().locator('textarea[data-testid="composer"]');
    assert.equal(await composer.inputValue(), 'Explain this image.');

    // The view's page is rebuilt when it is hidden and shown again (VS Code also does this while it
    // lays out a view it has just opened): it comes back from its saved state with the image. An
    // unsent image in that state once made the rebuilt panel throw while building its composer and
    // stay empty.
    await hideAndShowSideBar(wb.page);
    await panel().locator('[data-testid="attachment"]').waitFor({ timeout: 30_000 });
    assert.equal(await panel().locator('[data-testid="attachment"]').count(), 1);
    assert.equal(await composer.inputValue(), 'Explain this image.');

    wb.server.enqueue({ body: sse('A relay logo.') });
    await panel().locator('[data-testid="send"]').click();
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'A relay logo.' })
      .waitFor({ timeout: 30_000 });
    await wb.waitForRequests(1);
    const parts = wb.lastBody().messages.at(-1)!.content as {
      type: string;
      text?: string;
      image_url?: { url: string };
    }[];
    assert.deepEqual(
      parts.map((p) => p.type),
      ['text', 'image_url'],
    );
    assert.deepEqual(parts[0], { type: 'text', text: 'Explain this image.' });
    assert.match(parts[1].image_url!.url, /^data:image\/(png|webp);base64,/);
  });
});

/**
 * A model the user marked as blind in the profile (`models["gpt-4o"].vision: false`), although the
 * model rules say gpt-4o sees images: the panel hides Attach Image, and a pasted image is not sent,
 * with a message that says why and what to do. No request reaches the relay.
 */
import assert from 'node:assert/strict';
import { useWorkbench } from './fixture';
import { ensurePanel, textOf } from './workbench';

describe('a per-model vision setting in a real VS Code (e2e)', function () {
  this.timeout(180_000);
  const wb = useWorkbench((server) => ({
    'relayChat.profiles': [
      {
        id: 'relay',
        name: 'Relay',
        baseUrl: `${server.url}/v1/`,
        defaultModel: 'gpt-4o',
        models: { 'gpt-4o': { vision: false } },
      },
    ],
    'relayChat.activeProfile': 'relay',
  }));
  const panel = () => wb.panel();

  it('hides Attach Image and keeps a pasted image from going to a model set not to see images', async () => {
    await ensurePanel(wb.page);
    await panel()
      .locator('[data-testid="profile-picker"]', { hasText: 'Relay' })
      .waitFor({ timeout: 30_000 });
    assert.equal(await panel().locator('[data-testid="attach-image"]').isHidden(), true);
    const composer = panel().locator('textarea[data-testid="composer"]');
    await composer.evaluate(async (el) => {
      const c = new OffscreenCanvas(640, 400);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, 640, 400);
      const file = new File([await c.convertToBlob({ type: 'image/png' })], '', { type: 'image/png' });
      const data = new DataTransfer();
      data.items.add(file);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await panel().locator('[data-testid="attachment"]').waitFor({ timeout: 30_000 });
    await composer.fill('What is in it?');
    await composer.press('Enter');
    const note = panel().locator('.composer-note', { hasText: 'does not take images' });
    await note.waitFor({ timeout: 15_000 });
    assert.equal(
      await textOf(note),
      'gpt-4o does not take images. Choose a model that sees images, or remove the images to send the text.',
    );
    assert.equal(await composer.inputValue(), 'What is in it?', 'the question is kept');
    assert.equal(wb.chatRequests().length, 0, 'nothing was sent');
  });
});

/**
 * Screenshots of the panel for the README, in the dark and the light theme: a question about an
 * image, an answer with reasoning and code, from the fake endpoint in a real VS Code.
 *   node --import tsx scripts/screenshots.ts   → media/screenshots/panel-{dark,light}.png
 * The .vsix ships them (the extension page shows the README): keep them small, see below.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sse, startFakeServer } from '../test/fakeServer/fakeServer';
import { REPO_ROOT, startCodeServer } from '../test/support/codeServer';
import { chatPanel, ensurePanel, launchChromium, openFile, openWorkbench } from '../test/e2e/workbench';

const ANSWER = [
  'The logo is a **speech bubble with an arrow**: a message being relayed.',
  '',
  'To draw it in the sidebar, register the icon in `package.json`:',
  '',
  '```json',
  '"viewsContainers": {',
  '  "activitybar": [{ "id": "relayChat", "title": "Relay Chat", "icon": "media/relay.svg" }]',
  '}',
  '```',
  '',
  'Then a `WebviewViewProvider` fills the view:',
  '',
  '```ts',
  'vscode.window.registerWebviewViewProvider("relayChat.chatView", provider);',
  '```',
].join('\n');

async function shoot(theme: string, file: string): Promise<void> {
  const server = await startFakeServer();
  server.setFallback({
    body: sse(ANSWER, {
      pieceSize: 6,
      usage: true,
      reasoning: 'The image is 128×128: a blue square, a white bubble, an arrow pointing right.',
    }),
  });
  const vscode = await startCodeServer({
    settings: {
      'relayChat.baseUrl': server.baseUrl,
      'relayChat.model': 'gpt-4o',
      'workbench.colorTheme': theme,
      'window.zoomLevel': 0,
    },
  });
  const browser = await launchChromium();
  try {
    const page = await openWorkbench(browser, vscode.folderUrl);
    await openFile(page, 'src/sample.ts');
    await ensurePanel(page);
    // Right-click the image in the Explorer → Explain Image, as a person would.
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
    const folder = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'images' });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: 'logo.png' })
      .click({ button: 'right' });
    const item = page.locator('.context-view .action-menu-item', { hasText: 'Explain Image' });
    // Hover focuses the item; Enter runs it (a click right as the menu opens can be swallowed).
    await item.hover();
    await page.keyboard.press('Enter');
    const panel = chatPanel(page);
    await panel.locator('[data-role="assistant"]:not([data-streaming])').waitFor({ timeout: 30_000 });
    // Show the thinking too.
    await panel.locator('[data-role="reasoning"] summary').click();
    // Widen the sidebar so the conversation reads comfortably.
    const sashes = await page.locator('.monaco-sash.vertical').all();
    let box: { x: number; y: number; width: number; height: number } | null = null;
    for (const sash of sashes) {
      const b = await sash.boundingBox();
      if (b && b.x > 250 && b.x < 450 && b.height > 300) box = b;
    }
    if (box) {
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + 200, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    await page.mouse.move(900, 600);
    await page.waitForTimeout(800);
    // The panel's column only (activity bar and side bar): the README's subject, and half the bytes
    // of the whole window. Before committing, reduce it to 256 colours (pngquant or Pillow's
    // quantize): the .vsix ships the screenshots, and the package test holds it to its budget.
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    await page.screenshot({
      path: file,
      clip: sidebar ? { x: 0, y: 0, width: Math.ceil(sidebar.x + sidebar.width), height: 900 } : undefined,
    });
    console.log(`wrote ${file}`);
  } finally {
    await browser.close();
    await vscode.stop();
    await server.close();
  }
}

void (async () => {
  const dir = join(REPO_ROOT, 'media', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await shoot('Default Dark Modern', join(dir, 'panel-dark.png'));
  await shoot('Default Light Modern', join(dir, 'panel-light.png'));
})();

import { sse, startFakeServer } from '../test/fakeServer/fakeServer';
import { startCodeServer } from '../test/support/codeServer';
import { chatPanel, ensurePanel, launchChromium, openWorkbench } from '../test/e2e/workbench';
import { answer, CHUNK, chunks } from './answers';
import { newChat } from './workbenchRig';
async function main() {
  const server = await startFakeServer();
  const browser = await launchChromium();
  const vscode = await startCodeServer({ settings: { 'relayChat.baseUrl': `${server.url}/v1/`, 'relayChat.model': 'fake-model' } });
  try {
    const page = await openWorkbench(browser, vscode.folderUrl);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await ensurePanel(page);
    const m = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
    const run = async (text: string, label: string, mouseAway: boolean) => {
      await newChat(page, server);
      const panel = chatPanel(page);
      const body = sse(text, { pieceSize: CHUNK });
      server.enqueue({ body, chunkSize: Math.ceil(Buffer.byteLength(body) / (chunks(text).length + 3)), delayMs: 1 });
      const composer = panel.locator('textarea[data-testid="composer"]');
      await composer.fill('go');
      if (mouseAway) await page.mouse.move(2, 300); else { const b = await panel.locator('main.messages').boundingBox(); await page.mouse.move(b!.x + 40, b!.y + 60); }
      const a = await m(); const t = Date.now();
      await composer.press('Enter');
      await panel.locator('[data-role="assistant"]:not([data-streaming])').waitFor({ timeout: 300_000 });
      const w = Date.now() - t; const b = await m();
      console.log(label, 'busy', ((b.TaskDuration - a.TaskDuration) * 100000 / w).toFixed(1) + '%', 'task', ((b.TaskDuration - a.TaskDuration) * 1000).toFixed(0), 'layouts', b.LayoutCount - a.LayoutCount, 'styles', b.RecalcStyleCount - a.RecalcStyleCount, 'wall', w);
    };
    await run(answer(6000), 'warm', false);
    for (const away of [false, true, true, false]) await run(answer(60000), away ? 'mouse-away ' : 'mouse-over ', away);
  } finally { await browser.close(); await vscode.stop(); await server.close(); }
}
main().catch((e) => { console.error(e); process.exit(1); });

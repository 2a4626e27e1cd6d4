/**
 * Images in the real VS Code: Explorer → Explain Image on a large PNG, a small PNG and an
 * EXIF-rotated JPEG (the request's data URL decoded and checked for type, size and orientation),
 * several images at once, a pasted screenshot, a WAV and a PDF through Attach File, and Capture
 * Screenshot where the screen is out of reach. The test images are made in the workbench's own
 * Chromium and written into the workspace.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { join } from 'node:path';
import { sse } from '../fakeServer/fakeServer';
import { useWorkbench } from './fixture';
import { ensurePanel, runCommand, textOf } from './workbench';

interface Part {
  type: string;
  text?: string;
  image_url?: { url: string; detail?: string };
  input_audio?: { data: string; format: string };
  file?: { filename: string; file_data: string };
}

/** Quadrants red / green / blue / white; `orientation` stores them so that EXIF turns them upright. */
const MAKE_IMAGES = `(async () => {
  const make = (w, h, f) => {
    const img = new ImageData(w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.data.set(f(x, y), (y * w + x) * 4);
    return img;
  };
  const quadrants = (w, h) => make(w, h, (x, y) => {
    const right = x >= w / 2, bottom = y >= h / 2;
    if (!bottom) return right ? [0, 200, 0, 255] : [220, 0, 0, 255];
    return right ? [255, 255, 255, 255] : [0, 0, 220, 255];
  });
  const encode = async (image, type, quality) => {
    const c = new OffscreenCanvas(image.width, image.height);
    c.getContext('2d').putImageData(image, 0, 0);
    return new Uint8Array(await (await c.convertToBlob({ type, quality })).arrayBuffer());
  };
  const b64 = (bytes) => {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  // A HiDPI screenshot: code-like text on a dark editor.
  const big = new OffscreenCanvas(5120, 3200);
  const ctx = big.getContext('2d');
  ctx.fillStyle = '#1e1e1e'; ctx.fillRect(0, 0, 5120, 3200);
  ctx.font = '52px monospace';
  for (let y = 40, k = 0; y < 3200; y += 76, k++) {
    ctx.fillStyle = ['#569cd6', '#dcdcaa', '#9cdcfe', '#ce9178'][k % 4];
    ctx.fillText('const value' + k + ' = items.map((x) => x * ' + k + ');', 300, y);
  }
  const bigPng = new Uint8Array(await (await big.convertToBlob({ type: 'image/png' })).arrayBuffer());
  // EXIF orientation 6: stored rotated 90° counter-clockwise, shown upright (96×48).
  const W = 96, H = 48, u = quadrants(W, H);
  const stored = make(H, W, (x, y) => { const i = (x * W + (W - 1 - y)) * 4; return u.data.slice(i, i + 4); });
  const jpeg = await encode(stored, 'image/jpeg', 0.95);
  const tiff = [0x4d,0x4d,0,0x2a,0,0,0,8,0,1,0x01,0x12,0,3,0,0,0,1,0,6,0,0,0,0,0,0];
  const payload = [0x45,0x78,0x69,0x66,0,0,...tiff];
  const app1 = [0xff,0xe1,(payload.length + 2) >> 8,(payload.length + 2) & 255,...payload];
  const rotated = new Uint8Array([...jpeg.slice(0, 2), ...app1, ...jpeg.slice(2)]);
  return {
    big: b64(bigPng),
    small: b64(await encode(quadrants(200, 120), 'image/png')),
    rotated: b64(rotated),
  };
})()`;

/** Size, type and the RGB at the quadrant centres of a data URL, decoded in the workbench's Chromium. */
const PROBE = `async (url) => {
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const type = url.slice(5, url.indexOf(';'));
  const bmp = await createImageBitmap(new Blob([bytes], { type }), { imageOrientation: 'none' });
  const c = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(bmp, 0, 0);
  const at = (fx, fy) => Array.from(ctx.getImageData(Math.floor(fx * bmp.width), Math.floor(fy * bmp.height), 1, 1).data).slice(0, 3);
  return { type, width: bmp.width, height: bmp.height, quadrants: [at(0.25, 0.25), at(0.75, 0.25), at(0.25, 0.75), at(0.75, 0.75)] };
}`;

interface Probe {
  type: string;
  width: number;
  height: number;
  quadrants: number[][];
}

const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 40);
const UPRIGHT = [
  [220, 0, 0],
  [0, 200, 0],
  [0, 0, 220],
  [255, 255, 255],
];

describe('images in a real VS Code (e2e)', function () {
  this.timeout(240_000);
  // A single click selects (several images for Explain Image) instead of opening a preview.
  const wb = useWorkbench({ 'relayChat.model': 'gpt-4o', 'workbench.list.openMode': 'doubleClick' });
  const panel = () => wb.panel();

  const probe = (url: string): Promise<Probe> =>
    wb.page.evaluate(`(${PROBE})(${JSON.stringify(url)})`) as Promise<Probe>;

  before(async () => {
    const images = (await wb.page.evaluate(MAKE_IMAGES)) as Record<'big' | 'small' | 'rotated', string>;
    const dir = join(wb.vscode.workspace, 'images');
    writeFileSync(join(dir, 'hidpi.png'), Buffer.from(images.big, 'base64'));
    writeFileSync(join(dir, 'small.png'), Buffer.from(images.small, 'base64'));
    writeFileSync(join(dir, 'rotated.jpg'), Buffer.from(images.rotated, 'base64'));
  });

  async function explorerRow(name: string) {
    // An image preview is a webview of its own: none stays open beside the panel's.
    await runCommand(wb.page, 'View: Close All Editors');
    await runCommand(wb.page, 'View: Show Explorer');
    const folder = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'images' });
    await folder.waitFor({ timeout: 15_000 });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    const row = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
    await row.waitFor({ timeout: 15_000 });
    return row;
  }

  async function explainFromMenu(row: Awaited<ReturnType<typeof explorerRow>>) {
    await row.click({ button: 'right' });
    const item = wb.page.locator('.context-view .action-menu-item', { hasText: 'Explain Image' });
    await item.waitFor();
    await item.hover();
    await wb.page.keyboard.press('Enter');
  }

  /** Explain Image leaves the images and the prompt in the composer; Send, then the request's parts. */
  async function sendAndRead(chips: number, answer: string): Promise<Part[]> {
    await panel()
      .locator('[data-testid="attachment"]')
      .nth(chips - 1)
      .waitFor({ timeout: 30_000 });
    assert.equal(await panel().locator('[data-testid="attachment"]').count(), chips);
    wb.server.enqueue({ body: sse(answer) });
    await panel().locator('[data-testid="send"]').click();
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: answer.slice(0, 12) })
      .waitFor({ timeout: 30_000 });
    await wb.waitForRequests(1);
    return wb.lastBody().messages.at(-1)!.content as Part[];
  }

  it('Explain Image on a 5120×3200 PNG sends it at 1229×768, losslessly, with the editable prompt', async () => {
    await wb.newChat();
    await explainFromMenu(await explorerRow('hidpi.png'));
    const composer = panel().locator('textarea[data-testid="composer"]');
    await panel().locator('[data-testid="attachment"]').waitFor({ timeout: 30_000 });
    assert.equal(await composer.inputValue(), 'Explain this image.');
    assert.match(
      await textOf(panel().locator('[data-testid="image-meta"]')),
      /^[\d.]+ KB · 1229×768 · 1105 tokens$/,
    );
    const parts = await sendAndRead(1, 'Code on a dark editor.');
    assert.deepEqual(parts[0], { type: 'text', text: 'Explain this image.' });
    const seen = await probe(parts[1].image_url!.url);
    assert.deepEqual([seen.width, seen.height], [1229, 768]);
    assert.ok(['image/png', 'image/webp'].includes(seen.type), seen.type);
    assert.ok(parts[1].image_url!.url.length * 0.75 < 1024 * 1024, 'under the 1 MB per-image cap');
  });

  it('Explain Image on a small PNG and an EXIF-rotated JPEG: never upscaled, sent upright', async () => {
    await wb.newChat();
    await explainFromMenu(await explorerRow('small.png'));
    const small = await sendAndRead(1, 'Four coloured squares.');
    const smallSeen = await probe(small[1].image_url!.url);
    assert.deepEqual([smallSeen.width, smallSeen.height], [200, 120]);
    assert.ok(
      UPRIGHT.every((c, i) => near(smallSeen.quadrants[i], c)),
      JSON.stringify(smallSeen.quadrants),
    );

    await wb.newChat();
    await explainFromMenu(await explorerRow('rotated.jpg'));
    const rotated = await sendAndRead(1, 'Four coloured squares, upright.');
    const seen = await probe(rotated[1].image_url!.url);
    assert.deepEqual([seen.width, seen.height], [96, 48], 'width and height swapped back by EXIF 6');
    assert.ok(
      UPRIGHT.every((c, i) => near(seen.quadrants[i], c)),
      JSON.stringify(seen.quadrants),
    );
  });

  it('explains several selected images at once', async () => {
    await wb.newChat();
    const first = await explorerRow('small.png');
    await first.click();
    const second = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'rotated.jpg' });
    await second.click({ modifiers: ['Control'] });
    await explainFromMenu(second);
    const parts = await sendAndRead(2, 'Two pictures of squares.');
    assert.deepEqual(
      parts.map((p) => p.type),
      ['text', 'image_url', 'image_url'],
    );
    const sizes = await Promise.all(parts.slice(1).map((p) => probe(p.image_url!.url)));
    assert.deepEqual(
      sizes.map((s) => [s.width, s.height]).sort(),
      [
        [200, 120],
        [96, 48],
      ].sort(),
    );
  });

  it('sends a pasted screenshot through the same pipeline', async () => {
    await wb.newChat();
    await ensurePanel(wb.page);
    const composer = panel().locator('textarea[data-testid="composer"]');
    await composer.evaluate(async (el) => {
      const c = new OffscreenCanvas(2880, 1800);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, 2880, 1800);
      ctx.fillStyle = '#222222';
      ctx.font = '40px sans-serif';
      for (let y = 60; y < 1800; y += 60) ctx.fillText(`Line ${y}: the quick brown fox`, 40, y);
      const file = new File([await c.convertToBlob({ type: 'image/png' })], '', { type: 'image/png' });
      const data = new DataTransfer();
      data.items.add(file);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await panel().locator('[data-testid="attachment"]').waitFor({ timeout: 30_000 });
    await composer.fill('What does it say?');
    const parts = await sendAndRead(1, 'Lines of text.');
    assert.deepEqual(parts[0], { type: 'text', text: 'What does it say?' });
    const seen = await probe(parts[1].image_url!.url);
    assert.deepEqual([seen.width, seen.height], [1229, 768]);
    assert.ok(['image/png', 'image/webp'].includes(seen.type), seen.type);
  });

  /**
   * Attach, as a person would: VS Code's dialog lists the folder it navigated into while the path
   * was typed, and an Attach that lands while that listing is still updating is read as the folder
   * ("Please select a file."). A person clicks again once the list has settled; so does this.
   */
  async function attachInDialog(dialog: Locator): Promise<void> {
    const attach = dialog.locator('.monaco-button', { hasText: 'Attach' });
    const folderTaken = dialog.locator('.quick-input-message', { hasText: 'Please select a file.' });
    for (let attempt = 1; ; attempt++) {
      await attach.click();
      // Closed (attached) or the folder message, whichever comes first.
      for (let i = 0; (await dialog.isVisible()) && !(await folderTaken.isVisible()); i++) {
        assert.ok(i < 150, 'the dialog neither closed nor said why');
        await wb.page.waitForTimeout(100);
      }
      if (!(await dialog.isVisible())) return;
      assert.ok(attempt < 5, 'the dialog kept reading the path as its folder');
      await dialog
        .locator('.quick-input-progress .monaco-progress-container.active')
        .waitFor({ state: 'hidden', timeout: 15_000 });
      await wb.page.waitForTimeout(300);
      // On a loaded machine the message can still show while the dialog is closing on the file.
      if (!(await dialog.isVisible())) return;
    }
  }

  it("Attach File carries a WAV as input_audio and a PDF as a file part, picked in VS Code's dialog", async () => {
    const dir = join(wb.vscode.workspace, 'images');
    // A 10 ms 8 kHz mono tone: a real WAV header and samples.
    const samples = Buffer.from(
      Array.from({ length: 80 }, (_, i) => 128 + Math.round(100 * Math.sin(i / 2))),
    );
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(36 + samples.length, 4);
    header.write('WAVEfmt ', 8);
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(8000, 24);
    header.writeUInt32LE(8000, 28);
    header.writeUInt16LE(1, 32);
    header.writeUInt16LE(8, 34);
    header.write('data', 36);
    header.writeUInt32LE(samples.length, 40);
    const wav = Buffer.concat([header, samples]);
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    writeFileSync(join(dir, 'tone.wav'), wav);
    writeFileSync(join(dir, 'spec.pdf'), pdf);
    await wb.newChat();
    await ensurePanel(wb.page);
    for (const name of ['tone.wav', 'spec.pdf']) {
      await panel().locator('[data-testid="attach-file"]').click();
      // code-server's open dialog is VS Code's own: a path in a quick input. It opens on the
      // workspace folder; the rest of the path is typed after it, as a person would, then Attach.
      const dialog = wb.page.locator('.quick-input-widget:not([style*="display: none"])');
      const input = dialog.locator('input').first();
      await input.waitFor({ timeout: 15_000 });
      const folder = `${wb.vscode.workspace}/`;
      for (let i = 0; (await input.inputValue()) !== folder; i++) {
        if (i === 100) assert.equal(await input.inputValue(), folder, 'the dialog opens on the workspace');
        await wb.page.waitForTimeout(100);
      }
      await input.press('End');
      await wb.page.keyboard.type(`images/${name}`);
      for (let i = 0; (await input.inputValue()) !== join(dir, name); i++) {
        if (i === 100) assert.equal(await input.inputValue(), join(dir, name), 'the path as typed');
        await wb.page.waitForTimeout(100);
      }
      await attachInDialog(dialog);
      await panel().locator('[data-testid="attachment"]', { hasText: name }).waitFor({ timeout: 15_000 });
    }
    await panel().locator('textarea[data-testid="composer"]').fill('What are these two?');
    const parts = await sendAndRead(2, 'A short tone and an empty PDF.');
    assert.deepEqual(parts, [
      { type: 'text', text: 'What are these two?' },
      { type: 'input_audio', input_audio: { data: wav.toString('base64'), format: 'wav' } },
      {
        type: 'file',
        file: { filename: 'spec.pdf', file_data: `data:application/pdf;base64,${pdf.toString('base64')}` },
      },
    ]);
  });

  it('Capture Screenshot where the screen is out of reach says to paste instead', async () => {
    await runCommand(wb.page, 'Relay Chat: Capture Screenshot');
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'screenshot' });
    await toast.waitFor({ timeout: 15_000 });
    assert.equal(
      await textOf(toast.locator('.notification-list-item-message')),
      // code-server's extension host is a remote one: its remoteName is the server's address.
      `Relay Chat cannot reach your screen from here (${new URL(wb.vscode.url).host}): take a screenshot with your own tool and paste it into the chat with Ctrl+V (Cmd+V on macOS).`,
    );
  });
});

/**
 * Page-side helpers for the image tests and the image bench: images made in the page (quadrant
 * pictures, screenshots, photos, EXIF-rotated JPEGs, GIF/BMP/SVG), pasted into the real composer,
 * and data URLs decoded back to their size and pixels.
 */
import type { Page } from 'playwright-core';

export interface ImageKit {
  /** A W×H picture: quadrants red / green / blue / white (top-left, top-right, bottom-left, bottom-right). */
  quadrants(width: number, height: number): ImageData;
  /** A screen-like picture: flat background, text-like bars, a few panels. */
  screenshot(width: number, height: number): ImageData;
  /** A photo-like picture: smooth gradients with sensor noise. */
  photo(width: number, height: number, seed?: number): ImageData;
  /** Stored pixels for EXIF orientation `o`, so that applying it gives `upright` back. */
  stored(upright: ImageData, o: number): ImageData;
  encode(image: ImageData, type: string, quality?: number): Promise<Blob>;
  /** A JPEG with an EXIF APP1 orientation tag. */
  withOrientation(jpeg: Blob, o: number): Promise<Blob>;
  gif(frames: number): Blob;
  bmp(width: number, height: number): Blob;
  /** Pastes files into the composer like a clipboard does and waits for `chips` image chips. */
  paste(files: File[], chips: number): Promise<void>;
  /** Size and RGBA at (x, y) fractions of a data URL's image, decoded without orientation. */
  probe(
    dataUrl: string,
    points: [number, number][],
  ): Promise<{ width: number; height: number; type: string; pixels: number[][] }>;
  base64(blob: Blob): Promise<string>;
}

declare global {
  interface Window {
    __img: ImageKit;
  }
}

export async function installImageKit(page: Page): Promise<void> {
  await page.evaluate(KIT_SOURCE);
}

/** Kept as source text: it runs in the page, not in Node. */
export const KIT_SOURCE = `(() => {
  const make = (w, h, f) => {
    const img = new ImageData(w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.data.set(f(x, y), (y * w + x) * 4);
    return img;
  };
  const kit = {
    quadrants(w, h) {
      return make(w, h, (x, y) => {
        const right = x >= w / 2, bottom = y >= h / 2;
        if (!bottom) return right ? [0, 200, 0, 255] : [220, 0, 0, 255];
        return right ? [255, 255, 255, 255] : [0, 0, 220, 255];
      });
    },
    screenshot(w, h) {
      // An editor at HiDPI: title bar, side bar, anti-aliased code in several colours.
      const c = new OffscreenCanvas(w, h);
      const ctx = c.getContext('2d');
      const scale = Math.max(1, Math.round(w / 1280));
      ctx.fillStyle = '#1e1e1e'; ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = '#2d2d30'; ctx.fillRect(0, 0, w, 40);
      const side = Math.min(300, w / 5);
      ctx.fillStyle = '#252526'; ctx.fillRect(0, 40, side, h - 40);
      const words = ['const', 'function', 'return', 'await', 'import', 'export', 'value', 'items', 'config', '=>', '{', '}', 'if', 'else', 'string', 'number', 'this.render()', 'map((x) => x * 2)'];
      const colours = ['#569cd6', '#dcdcaa', '#9cdcfe', '#ce9178', '#d4d4d4', '#c586c0', '#6a9955'];
      ctx.font = (13 * scale) + 'px monospace';
      ctx.textBaseline = 'top';
      let k = 0;
      for (let y = 48; y < h - 10; y += 19 * scale) {
        let x = side + 12 + ((k * 7) % 5) * 16 * scale;
        const count = 3 + (k % 9);
        for (let i = 0; i < count && x < w - 40; i++) {
          const word = words[(k * 31 + i * 7) % words.length];
          ctx.fillStyle = colours[(k + i * 3) % colours.length];
          ctx.fillText(word, x, y);
          x += ctx.measureText(word + ' ').width;
        }
        ctx.fillStyle = '#cccccc';
        if (k % 3 === 0) ctx.fillText('file' + k + '.ts', 8 * scale, y);
        k++;
      }
      return ctx.getImageData(0, 0, w, h);
    },
    photo(w, h, seed = 1) {
      let s = seed;
      const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) % 1000) / 1000;
      return make(w, h, (x, y) => {
        const n = (rnd() - 0.5) * 24;
        const r = 120 + 80 * Math.sin(x / (w / 6)) + n;
        const g = 110 + 70 * Math.cos(y / (h / 5)) + n;
        const b = 90 + 60 * Math.sin((x + y) / (w / 4)) + n;
        return [r, g, b, 255];
      });
    },
    stored(u, o) {
      const W = u.width, H = u.height;
      const swap = o >= 5;
      const sw = swap ? H : W, sh = swap ? W : H;
      const at = (x, y) => {
        switch (o) {
          case 2: return [W - 1 - x, y];
          case 3: return [W - 1 - x, H - 1 - y];
          case 4: return [x, H - 1 - y];
          case 5: return [y, x];
          case 6: return [W - 1 - y, x];
          case 7: return [W - 1 - y, H - 1 - x];
          case 8: return [y, H - 1 - x];
          default: return [x, y];
        }
      };
      return make(sw, sh, (x, y) => {
        const [ux, uy] = at(x, y);
        const i = (uy * W + ux) * 4;
        return u.data.slice(i, i + 4);
      });
    },
    async encode(image, type, quality) {
      const c = new OffscreenCanvas(image.width, image.height);
      c.getContext('2d').putImageData(image, 0, 0);
      return c.convertToBlob({ type, quality });
    },
    async withOrientation(jpeg, o) {
      const bytes = new Uint8Array(await jpeg.arrayBuffer());
      const tiff = [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0];
      const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
      const len = payload.length + 2;
      const app1 = [0xff, 0xe1, len >> 8, len & 255, ...payload];
      return new Blob([bytes.slice(0, 2), new Uint8Array(app1), bytes.slice(2)], { type: 'image/jpeg' });
    },
    gif(frames) {
      const head = [0x47,0x49,0x46,0x38,0x39,0x61, 1,0,1,0, 0x80,0,0, 255,255,255, 0,0,0];
      const frame = [0x21,0xf9,0x04,0,10,0,0,0, 0x2c,0,0,0,0,1,0,1,0,0, 2,2,0x44,1,0];
      const body = [];
      for (let i = 0; i < frames; i++) body.push(...frame);
      return new Blob([new Uint8Array([...head, ...body, 0x3b])], { type: 'image/gif' });
    },
    bmp(w, h) {
      const row = Math.ceil((w * 3) / 4) * 4;
      const size = 54 + row * h;
      const b = new DataView(new ArrayBuffer(size));
      b.setUint8(0, 0x42); b.setUint8(1, 0x4d); b.setUint32(2, size, true); b.setUint32(10, 54, true);
      b.setUint32(14, 40, true); b.setInt32(18, w, true); b.setInt32(22, h, true);
      b.setUint16(26, 1, true); b.setUint16(28, 24, true); b.setUint32(34, row * h, true);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const o = 54 + y * row + x * 3;
        b.setUint8(o, 200); b.setUint8(o + 1, 100); b.setUint8(o + 2, 0);
      }
      return new Blob([b.buffer], { type: 'image/bmp' });
    },
    async paste(files, chips) {
      const composer = document.querySelector('[data-testid="composer"]');
      const data = new DataTransfer();
      for (const f of files) data.items.add(f);
      composer.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      await new Promise((resolve) => {
        const check = () =>
          document.querySelectorAll('[data-testid="attachment"]').length >= chips ? resolve() : setTimeout(check, 10);
        check();
      });
    },
    async probe(dataUrl, points) {
      const comma = dataUrl.indexOf(',');
      const type = dataUrl.slice(5, dataUrl.indexOf(';'));
      const bin = atob(dataUrl.slice(comma + 1));
      const arr = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
      const blob = new Blob([arr], { type });
      const bmp = await createImageBitmap(blob, { imageOrientation: 'none' });
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext('2d');
      ctx.drawImage(bmp, 0, 0);
      const pixels = points.map(([fx, fy]) =>
        Array.from(ctx.getImageData(Math.floor(fx * bmp.width), Math.floor(fy * bmp.height), 1, 1).data));
      return { width: bmp.width, height: bmp.height, type: blob.type, pixels };
    },
    async base64(blob) {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
  };
  window.__img = kit;
})()`;

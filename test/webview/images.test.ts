import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Attachment, PanelConfig } from '../../src/common/panel/protocol';
import { deliver, pagePerTest, posted } from './harness';
import { installImageKit } from './imageHelpers';

type ImageAttachment = Extract<Attachment, { kind: 'image' }>;

const CONFIG: PanelConfig = { model: 'gpt-4o', profile: 'p', sendOn: 'enter' };

/** The attachments of the one `send` posted so far. */
async function sentImages(page: Page): Promise<ImageAttachment[]> {
  const sends = (await posted(page)).filter((m) => (m as { type: string }).type === 'send') as {
    attachments?: Attachment[];
  }[];
  assert.equal(sends.length, 1, 'one send');
  return (sends[0].attachments ?? []) as ImageAttachment[];
}

/** Clicks Send; the send is posted once the images' later pipeline work (WebP, 413 copy) is done. */
async function send(page: Page): Promise<ImageAttachment[]> {
  await page.getByTestId('send').click();
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'send'),
  );
  return sentImages(page);
}

type Rgba = number[];
const near = (actual: Rgba, expected: Rgba) =>
  actual.slice(0, 3).every((v, i) => Math.abs(v - expected[i]) <= 40);
const RED = [220, 0, 0];
const GREEN = [0, 200, 0];
const BLUE = [0, 0, 220];
const WHITE = [255, 255, 255];
const QUADRANT_POINTS: [number, number][] = [
  [0.25, 0.25],
  [0.75, 0.25],
  [0.25, 0.75],
  [0.75, 0.75],
];

async function probe(page: Page, dataUrl: string, points: [number, number][] = QUADRANT_POINTS) {
  return page.evaluate(([url, pts]) => window.__img.probe(url, pts), [dataUrl, points] as const);
}

describe('image pipeline in the composer (Chromium)', function () {
  this.timeout(60_000);
  let page: Page;
  pagePerTest((p) => (page = p));
  beforeEach(async () => {
    await installImageKit(page);
    await deliver(page, { type: 'config', config: CONFIG });
  });

  it('sends JPEGs with EXIF orientations 1 to 8 upright', async () => {
    await page.evaluate(async () => {
      const kit = window.__img;
      const upright = kit.quadrants(96, 48);
      const files: File[] = [];
      for (let o = 1; o <= 8; o++) {
        const jpeg = await kit.encode(kit.stored(upright, o), 'image/jpeg', 0.95);
        files.push(new File([await kit.withOrientation(jpeg, o)], `o${o}.jpg`, { type: 'image/jpeg' }));
      }
      await kit.paste(files, 8);
    });
    const images = await send(page);
    assert.deepEqual(
      images.map((i) => i.name),
      ['o1.jpg', 'o2.jpg', 'o3.jpg', 'o4.jpg', 'o5.jpg', 'o6.jpg', 'o7.jpg', 'o8.jpg'],
    );
    for (const image of images) {
      const seen = await probe(page, image.dataUrl);
      assert.deepEqual([seen.width, seen.height], [96, 48], `${image.name} is 96×48 upright`);
      assert.deepEqual([image.width, image.height], [96, 48]);
      const ok = [RED, GREEN, BLUE, WHITE].every((c, i) => near(seen.pixels[i], c));
      assert.ok(ok, `${image.name} quadrants: ${JSON.stringify(seen.pixels)}`);
      assert.equal(image.original?.type, 'image/jpeg');
    }
  });

  it('never upscales a small image, and shows what is sent', async () => {
    await page.evaluate(async () => {
      const kit = window.__img;
      const png = await kit.encode(kit.screenshot(300, 200), 'image/png');
      await kit.paste([new File([png], 'small.png', { type: 'image/png' })], 1);
    });
    const meta = await page.getByTestId('image-meta').textContent();
    const [image] = await send(page);
    const seen = await probe(page, image.dataUrl);
    assert.deepEqual([seen.width, seen.height, image.width, image.height], [300, 200, 300, 200]);
    assert.match(meta ?? '', /^\d+(\.\d)? (B|KB|MB) · 300×200 · 255 tokens$/);
  });

  it('scales a HiDPI screenshot to what the model sees, losslessly, with original vs sent on hover', async () => {
    await page.evaluate(async () => {
      const kit = window.__img;
      const png = await kit.encode(kit.screenshot(5120, 3200), 'image/png');
      await kit.paste([new File([png], 'hidpi.png', { type: 'image/png' })], 1);
    });
    const chip = page.getByTestId('attachment');
    const title = (await chip.getAttribute('title')) ?? '';
    const lines = title.split('\n');
    assert.equal(lines[0], 'hidpi.png');
    assert.match(lines[1], /^Original: [\d.]+ (KB|MB), 5120×3200, png$/);
    assert.match(lines[2], /^Sent: [\d.]+ KB, 1229×768, (png|webp)$/);
    const meta = (await page.getByTestId('image-meta').textContent()) ?? '';
    assert.match(meta, /· 1229×768 · 1105 tokens$/);
    // Ready as PNG; the lossless WebP tried after is smaller, and the chip then shows it.
    await page.waitForFunction(() =>
      /^Sent: [\d.]+ KB, 1229×768, webp$/m.test(
        document.querySelector('[data-testid="attachment"]')?.getAttribute('title') ?? '',
      ),
    );
    const [image] = await send(page);
    const seen = await probe(page, image.dataUrl, [[0.5, 0.005]]);
    assert.deepEqual([seen.width, seen.height], [1229, 768]);
    assert.ok(['image/png', 'image/webp'].includes(seen.type), seen.type);
    // The title bar's flat colour survives exactly: nothing lossy touched it.
    assert.deepEqual(seen.pixels[0], [45, 45, 48, 255]);
    assert.ok(image.original && image.original.bytes > 2 * (image.dataUrl.length * 0.75));
    if (seen.type === 'image/webp') {
      const fallback = await probe(page, image.fallbackDataUrl!, [[0.5, 0.005]]);
      assert.equal(fallback.type, 'image/png', 'WebP carries a PNG fallback');
    }
    // Sent right after the paste: the send waited for the copy a 413 would need.
    const smaller = await probe(page, image.smallerDataUrl!, []);
    assert.deepEqual([smaller.width, smaller.height, smaller.type], [615, 384, 'image/png']);
  });

  it('keeps sends in order while an image is still settling', async () => {
    await page.evaluate(async () => {
      const kit = window.__img;
      const png = await kit.encode(kit.screenshot(5120, 3200), 'image/png');
      await kit.paste([new File([png], 'hidpi.png', { type: 'image/png' })], 1);
    });
    await page.getByTestId('composer').fill('first');
    await page.getByTestId('send').click();
    await page.getByTestId('composer').fill('second');
    await page.getByTestId('send').click();
    await page.waitForFunction(
      () =>
        (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'send')
          .length === 2,
    );
    const sends = (await posted(page)).filter((m) => (m as { type: string }).type === 'send') as {
      text: string;
      attachments?: ImageAttachment[];
    }[];
    assert.deepEqual(
      sends.map((m) => [m.text, (m.attachments ?? []).map((a) => a.name)]),
      [
        ['first', ['hidpi.png']],
        ['second', []],
      ],
    );
    assert.match(sends[0].attachments![0].smallerDataUrl ?? '', /^data:image\/png;base64,/);
  });

  it('sends photos lossy (JPEG or WebP), and no WebP once the endpoint refused it', async () => {
    const paste = () =>
      page.evaluate(async () => {
        const kit = window.__img;
        const png = await kit.encode(kit.photo(1600, 1200), 'image/png');
        await kit.paste([new File([png], 'photo.png', { type: 'image/png' })], 1);
      });
    await paste();
    const [photo] = await send(page);
    const seen = await probe(page, photo.dataUrl);
    assert.ok(['image/jpeg', 'image/webp'].includes(seen.type), seen.type);
    assert.deepEqual([seen.width, seen.height], [1024, 768]);

    await deliver(page, {
      type: 'config',
      config: {
        ...CONFIG,
        images: {
          policy: { geometry: 'openai', maxMegapixels: 1.15 },
          maxImageBytes: 4 * 1024 * 1024,
          refusedFormats: ['image/webp'],
        },
      },
    });
    await page.evaluate(() => ((window as unknown as { __posted: unknown[] }).__posted.length = 0));
    await paste();
    const [again] = await send(page);
    assert.equal((await probe(page, again.dataUrl)).type, 'image/jpeg');
    assert.equal(again.fallbackDataUrl, undefined);
  });

  it('keeps each image under the byte cap by scaling it further', async () => {
    await deliver(page, {
      type: 'config',
      config: {
        ...CONFIG,
        images: {
          policy: { geometry: 'openai', maxMegapixels: 1.15 },
          maxImageBytes: 60_000,
          refusedFormats: [],
        },
      },
    });
    await page.evaluate(async () => {
      const kit = window.__img;
      const png = await kit.encode(kit.photo(2000, 1500, 3), 'image/png');
      await kit.paste([new File([png], 'big.png', { type: 'image/png' })], 1);
    });
    const [image] = await send(page);
    assert.ok(image.dataUrl.length * 0.75 <= 60_000, `${Math.round(image.dataUrl.length * 0.75)} bytes`);
    assert.ok(image.width! < 1024);
  });

  it('re-sizes for a detail choice: low is 512 px and 85 tokens', async () => {
    await page.evaluate(async () => {
      const kit = window.__img;
      const png = await kit.encode(kit.screenshot(2048, 1280), 'image/png');
      await kit.paste([new File([png], 'shot.png', { type: 'image/png' })], 1);
    });
    await page.getByTestId('image-detail').selectOption('low');
    await page.waitForFunction(() =>
      /· 512×320 · 85 tokens$/.test(document.querySelector('[data-testid="image-meta"]')?.textContent ?? ''),
    );
    const [image] = await send(page);
    assert.equal(image.detail, 'low');
    const seen = await probe(page, image.dataUrl, []);
    assert.deepEqual([seen.width, seen.height], [512, 320]);
  });

  it('sends the first frame of an animated GIF and says so; rasterises BMP and SVG; explains HEIC', async () => {
    await page.evaluate(async () => {
      const kit = window.__img;
      const svg = new Blob(
        [
          '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#0000ff"/></svg>',
        ],
        { type: 'image/svg+xml' },
      );
      const heic = new Blob(
        [new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63, 0, 0, 0, 0])],
        {
          type: 'image/heic',
        },
      );
      await kit.paste(
        [
          new File([kit.gif(2)], 'anim.gif', { type: 'image/gif' }),
          new File([kit.bmp(8, 6)], 'pic.bmp', { type: 'image/bmp' }),
          new File([svg], 'logo.svg', { type: 'image/svg+xml' }),
          new File([heic], 'IMG_0001.heic', { type: 'image/heic' }),
        ],
        3,
      );
    });
    await page.waitForFunction(() =>
      (document.querySelector('.composer-note')?.textContent ?? '').includes('HEIC'),
    );
    assert.equal(
      await page.locator('.composer-note').textContent(),
      'anim.gif is animated: only its first frame is sent. ' +
        'IMG_0001.heic could not be decoded here (HEIC and some camera formats cannot be): convert it to PNG or JPEG and attach it again.',
    );
    const [gif, bmp, svg] = await send(page);
    assert.deepEqual([gif.width, gif.height], [1, 1]);
    const bmpSeen = await probe(page, bmp.dataUrl, [[0.5, 0.5]]);
    assert.deepEqual([bmpSeen.width, bmpSeen.height], [8, 6]);
    assert.ok(near(bmpSeen.pixels[0], [0, 100, 200]), JSON.stringify(bmpSeen.pixels));
    assert.ok(['image/png', 'image/webp'].includes(bmpSeen.type));
    const svgSeen = await probe(page, svg.dataUrl, [[0.5, 0.5]]);
    assert.deepEqual([svgSeen.width, svgSeen.height], [40, 30]);
    assert.ok(near(svgSeen.pixels[0], [0, 0, 255]), JSON.stringify(svgSeen.pixels));
  });

  it('takes raw images from the host (Explain Image): thumbnails, the editable prompt, or sent at once', async () => {
    const base64 = await page.evaluate(async () => {
      const kit = window.__img;
      return kit.base64(await kit.encode(kit.screenshot(640, 400), 'image/png'));
    });
    await deliver(page, {
      type: 'addImages',
      images: [
        { name: 'a.png', type: 'image/png', base64 },
        { name: 'b.png', type: 'image/png', base64 },
      ],
      prompt: 'Explain this image.',
    });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="attachment"]').length === 2);
    assert.equal(await page.getByTestId('composer').inputValue(), 'Explain this image.');
    assert.equal((await posted(page)).filter((m) => (m as { type: string }).type === 'send').length, 0);
    await page.getByTestId('composer').fill('What differs?');
    const images = await send(page);
    assert.deepEqual(
      images.map((i) => [i.name, i.width, i.height]),
      [
        ['a.png', 640, 400],
        ['b.png', 640, 400],
      ],
    );

    await deliver(page, {
      type: 'addImages',
      images: [{ name: 'c.png', type: 'image/png', base64 }],
      prompt: 'Explain this image.',
      send: true,
    });
    await page.waitForFunction(
      () =>
        (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'send')
          .length === 2,
    );
    const last = (await posted(page)).filter((m) => (m as { type: string }).type === 'send').at(-1) as {
      text: string;
      attachments: ImageAttachment[];
    };
    assert.equal(last.text, 'Explain this image.');
    assert.deepEqual(
      last.attachments.map((a) => a.name),
      ['c.png'],
    );
  });

  it('asks the host for Explorer images dropped into the composer, and files stay file chips', async () => {
    await page.evaluate(() => {
      const composer = document.querySelector('[data-testid="composer"]')!;
      const uris = new DataTransfer();
      uris.setData(
        'text/uri-list',
        'file:///work/images/shot.png\r\nfile:///work/src/a.ts\r\nfile:///work/IMG_1.HEIC',
      );
      composer.dispatchEvent(new DragEvent('drop', { dataTransfer: uris, bubbles: true, cancelable: true }));
    });
    await page.getByTestId('attachment').waitFor();
    assert.deepEqual(
      (await posted(page)).filter((m) => (m as { type: string }).type === 'readImages'),
      [{ type: 'readImages', uris: ['file:///work/images/shot.png', 'file:///work/IMG_1.HEIC'] }],
    );
    assert.equal(await page.getByTestId('attachment').count(), 1);
    assert.equal(await page.getByTestId('attachment').textContent(), 'a.ts');
  });
});

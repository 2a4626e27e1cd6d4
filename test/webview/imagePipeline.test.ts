import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { ROOT, startRig, type Rig } from './harness';
import { installImageKit } from './imageHelpers';

/** processImage itself in the page, with its stage timings: which decode ran, what was ready when. */
const ENTRY = `
import { processImage } from './src/webview/images/imagePipeline';
window.__pipeline = async (blob, maxMegapixels) => {
  const timings = {};
  const result = await processImage(blob, { policy: { geometry: 'openai', maxMegapixels }, timings });
  if (!result.ok) return { problem: result.problem };
  const ready = { ...result.image };
  const settled = await result.settled;
  return { ready, settled, stages: Object.keys(timings) };
};
`;

interface Image {
  dataUrl: string;
  type: string;
  bytes: number;
  width: number;
  height: number;
  original: { width: number; height: number };
  fallbackDataUrl?: string;
  smallerDataUrl?: string;
}
interface Run {
  ready: Image;
  settled: Image;
  stages: string[];
}

const near = (actual: number[], expected: number[]) =>
  actual.slice(0, 3).every((v, i) => Math.abs(v - expected[i]) <= 40);

describe('image pipeline stages (Chromium)', function () {
  this.timeout(120_000);
  let rig: Rig;
  let page: Page;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-image-pipeline-'));
    await build({
      bundle: true,
      platform: 'browser',
      target: 'chrome120',
      format: 'iife',
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
      outfile: join(dir, 'pipeline.js'),
    });
    rig = await startRig({ extraScript: join(dir, 'pipeline.js') });
    page = await rig.open({ extraScript: true });
    await installImageKit(page);
  });
  after(() => rig?.close());

  it('decodes a large EXIF-rotated JPEG straight at 3/8 of its size, upright in all 8 orientations', async () => {
    const runs = await page.evaluate(async () => {
      const kit = window.__img;
      const pipeline = (window as unknown as { __pipeline: (b: Blob, mp: number) => Promise<Run> })
        .__pipeline;
      const upright = kit.quadrants(1200, 600);
      const out = [];
      for (let o = 1; o <= 8; o++) {
        const jpeg = await kit.encode(kit.stored(upright, o), 'image/jpeg', 0.95);
        // 0.1 megapixels of a 2:1 image is 447×223: 0.37 of it, so a 3/8 decode (450×225).
        const run = await pipeline(await kit.withOrientation(jpeg, o), 0.1);
        const seen = await kit.probe(run.settled.dataUrl, [
          [0.25, 0.25],
          [0.75, 0.25],
          [0.25, 0.75],
          [0.75, 0.75],
        ]);
        out.push({ o, run, seen });
      }
      return out;
    });
    for (const { o, run, seen } of runs) {
      assert.ok(run.stages.includes('decode jpeg 3/8'), `orientation ${o}: ${run.stages.join(', ')}`);
      assert.deepEqual([run.settled.original.width, run.settled.original.height], [1200, 600]);
      assert.deepEqual(
        [seen.width, seen.height, run.settled.width, run.settled.height],
        [447, 223, 447, 223],
      );
      const ok = [
        [220, 0, 0],
        [0, 200, 0],
        [0, 0, 220],
        [255, 255, 255],
      ].every((c, i) => near(seen.pixels[i], c));
      assert.ok(ok, `orientation ${o} quadrants: ${JSON.stringify(seen.pixels)}`);
    }
  });

  it('decodes in full where the model sees more than half the pixels', async () => {
    const run = await page.evaluate(async () => {
      const kit = window.__img;
      const pipeline = (window as unknown as { __pipeline: (b: Blob, mp: number) => Promise<Run> })
        .__pipeline;
      return pipeline(await kit.encode(kit.photo(1600, 1200), 'image/jpeg', 0.9), 1.15);
    });
    assert.deepEqual(
      run.stages.filter((s) => s.startsWith('decode')),
      ['decode'],
    );
    assert.deepEqual([run.settled.width, run.settled.height], [1024, 768]);
  });

  it('is ready with a PNG; WebP, its fallback and the 413 copy come after, off the critical path', async () => {
    const run = await page.evaluate(async () => {
      const kit = window.__img;
      const pipeline = (window as unknown as { __pipeline: (b: Blob, mp: number) => Promise<Run> })
        .__pipeline;
      return pipeline(await kit.encode(kit.screenshot(2560, 1600), 'image/png'), 1.15);
    });
    assert.equal(run.ready.type, 'image/png');
    assert.equal(run.ready.fallbackDataUrl, undefined);
    assert.equal(run.ready.smallerDataUrl, undefined);
    assert.deepEqual(
      run.stages.filter((s) => !s.startsWith('later ')),
      ['decode', 'draw', 'classify', 'encode png', 'dataUrl'],
    );
    assert.ok(run.stages.includes('later encode webp lossless'), run.stages.join(', '));
    assert.ok(run.settled.bytes <= run.ready.bytes);
    if (run.settled.type === 'image/webp') {
      assert.equal(run.settled.fallbackDataUrl, run.ready.dataUrl, 'the PNG it was ready with');
    } else {
      assert.equal(run.settled.dataUrl, run.ready.dataUrl);
    }
    assert.match(run.settled.smallerDataUrl ?? '', /^data:image\/png;base64,/);
  });

  it('is ready with a PNG already at its size as it came; its re-encodings come after', async () => {
    const { run, given } = await page.evaluate(async () => {
      const kit = window.__img;
      const pipeline = (window as unknown as { __pipeline: (b: Blob, mp: number) => Promise<Run> })
        .__pipeline;
      const png = await kit.encode(kit.screenshot(640, 400), 'image/png');
      return { run: await pipeline(png, 1.15), given: `data:image/png;base64,${await kit.base64(png)}` };
    });
    assert.equal(run.ready.dataUrl, given);
    assert.deepEqual(
      run.stages.filter((s) => !s.startsWith('later ')),
      ['decode', 'draw', 'classify', 'dataUrl'],
    );
    assert.deepEqual(
      run.stages.filter((s) => s.startsWith('later encode')),
      ['later encode png', 'later encode webp lossless'],
    );
    assert.ok(run.settled.bytes <= run.ready.bytes);
    assert.deepEqual([run.settled.width, run.settled.height], [640, 400]);
  });
});

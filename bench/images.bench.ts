/**
 * Image bytes, milliseconds and tokens per image, in real Chromium: the production pipeline
 * (src/webview/images/imagePipeline.ts, bundled as esbuild --production would) next to the raw file
 * as base64 (what Cline sends) and a 1024 px JPEG at q0.7 (what Continue sends, small images scaled
 * up too). Inputs from 800×600 to 5120×2880: screenshots (PNG, as a clipboard gives them) and
 * photos (JPEG q0.92, as a camera does). `npm run bench images`. Prints figures only.
 * The pipeline has two times: until the image is ready to show and send (its PNG or JPEG), and
 * with the work after it (the WebP tried, its fallback, the 413 copy); then its time per stage.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { imageTokens } from '../src/common/images/imageTokens';
import { ROOT, startRig } from '../test/webview/harness';
import { KIT_SOURCE } from '../test/webview/imageHelpers';

const SIZES: [number, number][] = [
  [800, 600],
  [1280, 800],
  [1920, 1080],
  [2560, 1600],
  [3840, 2160],
  [5120, 2880],
];
const RUNS = 5;

const ENTRY = `
import { processImage } from './src/webview/images/imagePipeline';
import { DEFAULT_IMAGE_POLICY } from './src/common/images/imagePolicy';
const base64Length = (blob) => new Promise((resolve) => {
  const r = new FileReader();
  r.onload = () => resolve(String(r.result).length);
  r.readAsDataURL(blob);
});
window.__imageBench = {
  async pipeline(blob) {
    const timings = {};
    const t = performance.now();
    const result = await processImage(blob, { policy: DEFAULT_IMAGE_POLICY, maxImageBytes: 1024 * 1024, timings });
    const ms = performance.now() - t;
    if (!result.ok) throw new Error(result.problem);
    const i = await result.settled;
    const total = performance.now() - t;
    return { ms, total, chars: i.dataUrl.length, width: i.width, height: i.height, type: i.type, timings };
  },
  async raw(blob) {
    const t = performance.now();
    const chars = await base64Length(blob);
    return { ms: performance.now() - t, chars };
  },
  async continueStyle(blob) {
    const t = performance.now();
    const bmp = await createImageBitmap(blob);
    const scale = 1024 / Math.max(bmp.width, bmp.height);
    const w = Math.round(bmp.width * scale), h = Math.round(bmp.height * scale);
    const c = new OffscreenCanvas(w, h);
    c.getContext('2d').drawImage(bmp, 0, 0, w, h);
    bmp.close();
    const out = await c.convertToBlob({ type: 'image/jpeg', quality: 0.7 });
    const chars = await base64Length(out);
    return { ms: performance.now() - t, chars, width: w, height: h };
  },
};
`;

interface Row {
  kind: string;
  size: string;
  raw: { chars: number; ms: number; tokens: number };
  /** `ms`: until the image is ready to show and send; `total`: with the work after (WebP, fallback, 413 copy). */
  ours: { chars: number; ms: number; total: number; tokens: number; sent: string; type: string };
  /** Median milliseconds per pipeline stage. */
  stages: Record<string, number>;
  cont: { chars: number; ms: number; tokens: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (chars: number) => `${(chars / 1024).toFixed(0)} KB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-image-bench-'));
  await build({
    bundle: true,
    minify: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
    outfile: join(dir, 'images.js'),
  });
  const rig = await startRig({ extraScript: join(dir, 'images.js') });
  const rows: Row[] = [];
  try {
    const page = await rig.open({ extraScript: true });
    await page.evaluate(KIT_SOURCE);
    for (const kind of ['screenshot', 'photo'] as const) {
      for (const [w, h] of SIZES) {
        const result = await page.evaluate(
          async ([kind, w, h, runs]) => {
            const kit = window.__img;
            const bench = (window as unknown as { __imageBench: Record<string, (b: Blob) => Promise<never>> })
              .__imageBench;
            const blob =
              kind === 'screenshot'
                ? await kit.encode(kit.screenshot(w, h), 'image/png')
                : await kit.encode(kit.photo(w, h), 'image/jpeg', 0.92);
            const times = {
              raw: [] as number[],
              ours: [] as number[],
              total: [] as number[],
              cont: [] as number[],
            };
            const stages: Record<string, number[]> = {};
            let raw: { chars: number } = { chars: 0 };
            let ours: { chars: number; width: number; height: number; type: string } | undefined;
            let cont: { chars: number; width: number; height: number } | undefined;
            for (let i = 0; i < runs; i++) {
              const r = (await bench.raw(blob)) as { ms: number; chars: number };
              const o = (await bench.pipeline(blob)) as {
                ms: number;
                total: number;
                chars: number;
                width: number;
                height: number;
                type: string;
                timings: Record<string, number>;
              };
              for (const [stage, ms] of Object.entries(o.timings)) (stages[stage] ??= []).push(ms);
              const c = (await bench.continueStyle(blob)) as {
                ms: number;
                chars: number;
                width: number;
                height: number;
              };
              times.raw.push(r.ms);
              times.ours.push(o.ms);
              times.total.push(o.total);
              times.cont.push(c.ms);
              raw = r;
              ours = o;
              cont = c;
            }
            return { raw, ours: ours!, cont: cont!, times, stages };
          },
          [kind, w, h, RUNS] as const,
        );
        rows.push({
          kind,
          size: `${w}×${h}`,
          raw: {
            chars: result.raw.chars,
            ms: median(result.times.raw),
            tokens: imageTokens({ width: w, height: h }),
          },
          ours: {
            chars: result.ours.chars,
            ms: median(result.times.ours),
            total: median(result.times.total),
            tokens: imageTokens({ width: result.ours.width, height: result.ours.height }),
            sent: `${result.ours.width}×${result.ours.height}`,
            type: result.ours.type.replace('image/', ''),
          },
          stages: Object.fromEntries(Object.entries(result.stages).map(([k, v]) => [k, median(v)])),
          cont: {
            chars: result.cont.chars,
            ms: median(result.times.cont),
            tokens: imageTokens({ width: result.cont.width, height: result.cont.height }),
          },
        });
      }
    }
  } finally {
    await rig.close();
  }
  console.log(
    `Median of ${RUNS} runs per image; bytes are the base64 data URL that goes into the request. ` +
      `ms ready: until the image can be shown and sent; ms total: with the work after it (WebP tried, fallback, 413 copy).\n`,
  );
  console.log(
    '| input | raw base64 | tokens | pipeline (sent size, type) | tokens | ms ready | ms total | raw ÷ pipeline | 1024px JPEG q0.7 | tokens | ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.kind} ${r.size} | ${kb(r.raw.chars)} | ${r.raw.tokens} | ${kb(r.ours.chars)} (${r.ours.sent}, ${r.ours.type}) | ${r.ours.tokens} | ${r.ours.ms.toFixed(1)} | ${r.ours.total.toFixed(1)} | ${(r.raw.chars / r.ours.chars).toFixed(1)}× | ${kb(r.cont.chars)} | ${r.cont.tokens} | ${r.cont.ms.toFixed(1)} |`,
    );
  }
  const stageNames = [...new Set(rows.flatMap((r) => Object.keys(r.stages)))];
  console.log(`\nPipeline stages, median ms per image ("later": after the image is ready):\n`);
  console.log(`| input | ${stageNames.join(' | ')} |`);
  console.log(`|---|${stageNames.map(() => '---').join('|')}|`);
  for (const r of rows) {
    const cells = stageNames.map((n) => (n in r.stages ? r.stages[n].toFixed(1) : '–'));
    console.log(`| ${r.kind} ${r.size} | ${cells.join(' | ')} |`);
  }
  const sameTokens = rows.every((r) => r.ours.tokens === r.raw.tokens);
  const big = rows.filter((r) => r.raw.tokens === r.ours.tokens && r.ours.sent !== r.size);
  const worstRatio = Math.min(...big.map((r) => r.raw.chars / r.ours.chars));
  console.log(
    `\nSame tokens as raw for every input: ${sameTokens ? 'yes' : 'no'}. Downscaled inputs: at least ${worstRatio.toFixed(1)}× fewer bytes than raw. ` +
      `Pipeline ms per image until ready: median ${median(rows.map((r) => r.ours.ms)).toFixed(1)}, max ${Math.max(...rows.map((r) => r.ours.ms)).toFixed(1)}; ` +
      `with the work after: median ${median(rows.map((r) => r.ours.total)).toFixed(1)}, max ${Math.max(...rows.map((r) => r.ours.total)).toFixed(1)}.`,
  );
  const names = (pick: (r: Row) => boolean) =>
    rows
      .filter(pick)
      .map((r) => `${r.kind} ${r.size}`)
      .join(', ') || 'none';
  console.log(
    `Targets (issue 9): at least 5× fewer bytes than raw at the same tokens: ${names((r) => r.raw.chars >= 5 * r.ours.chars && r.raw.tokens === r.ours.tokens)}. ` +
      `Ready in at most 50 ms: ${names((r) => r.ours.ms <= 50)}. All work done in at most 50 ms: ${names((r) => r.ours.total <= 50)}.`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

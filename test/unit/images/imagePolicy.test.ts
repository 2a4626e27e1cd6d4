import assert from 'node:assert/strict';
import {
  classifyPixels,
  dataUrlBytes,
  encodeCandidates,
  fallbackCandidate,
  formatBytes,
  imagePolicy,
  targetSize,
} from '../../../src/common/images/imagePolicy';
import { imageTokens } from '../../../src/common/images/imageTokens';
import { modelRules } from '../../../src/common/endpoint/modelRules';

const openai = imagePolicy(undefined, undefined);

describe('imagePolicy: the size an image is sent at', () => {
  it('sends a HiDPI screenshot at the size OpenAI high detail looks at, for the same tokens', () => {
    const original = { width: 5120, height: 3200 };
    const sent = targetSize(original, openai);
    assert.deepEqual(sent, { width: 1229, height: 768 });
    assert.equal(imageTokens(sent), imageTokens(original));
    assert.equal(imageTokens(sent), 1105);
  });

  it('never scales up', () => {
    for (const policy of [openai, imagePolicy('claude', undefined), imagePolicy('original', undefined)]) {
      assert.deepEqual(targetSize({ width: 300, height: 200 }, policy), { width: 300, height: 200 });
      assert.deepEqual(targetSize({ width: 300, height: 200 }, policy, 'low'), { width: 300, height: 200 });
    }
  });

  it('caps the pixels so Claude-family models do not downsize again (tall images)', () => {
    // OpenAI's geometry alone keeps 768×2048 = 1.57 MP.
    const sent = targetSize({ width: 1500, height: 4000 }, openai);
    assert.ok(sent.width * sent.height <= 1_150_000, `${sent.width}×${sent.height}`);
    assert.deepEqual(sent, { width: 656, height: 1751 });
  });

  it('follows Claude geometry for Claude models: long side 1568 and 1.15 MP', () => {
    const policy = imagePolicy('auto', modelRules('anthropic/claude-sonnet-4').imageGeometry);
    assert.equal(policy.geometry, 'claude');
    assert.deepEqual(targetSize({ width: 3000, height: 600 }, policy), { width: 1568, height: 314 });
    const big = targetSize({ width: 4000, height: 3000 }, policy);
    assert.ok(big.width * big.height <= 1_150_000);
    assert.deepEqual(big, { width: 1238, height: 928 });
  });

  it('lets the setting override the model rule, and changes the pixel cap', () => {
    assert.equal(imagePolicy('openai', 'claude').geometry, 'openai');
    assert.equal(imagePolicy(undefined, 'claude').geometry, 'claude');
    assert.equal(imagePolicy('auto', undefined).geometry, 'openai');
    const half = imagePolicy('openai', undefined, 0.5);
    const sent = targetSize({ width: 2560, height: 1600 }, half);
    assert.ok(sent.width * sent.height <= 500_000);
    assert.equal(imagePolicy('openai', undefined, -1).maxMegapixels, 1.15);
  });

  it('sends low detail at 512 px, what the model looks at', () => {
    assert.deepEqual(targetSize({ width: 2048, height: 1024 }, openai, 'low'), { width: 512, height: 256 });
  });

  it('keeps the original pixels only when asked', () => {
    assert.deepEqual(targetSize({ width: 5120, height: 3200 }, imagePolicy('original', 'claude')), {
      width: 5120,
      height: 3200,
    });
  });
});

describe('modelRules: images', () => {
  it('knows text-only families and leaves the rest unknown', () => {
    assert.equal(modelRules('deepseek-chat').vision, false);
    assert.equal(modelRules('openai/o3-mini').vision, false);
    assert.equal(modelRules('gpt-4o').vision, undefined);
    assert.equal(modelRules('claude-3-5-sonnet').vision, undefined);
    assert.equal(modelRules('gpt-4o').imageGeometry, undefined);
  });
});

describe('imagePolicy: the format an image is sent in', () => {
  it('tries lossless PNG and WebP for screenshots, JPEG and WebP for photos', () => {
    assert.deepEqual(
      encodeCandidates('screenshot').map((c) => c.type),
      ['image/png', 'image/webp'],
    );
    assert.equal(encodeCandidates('screenshot')[1].quality, 1);
    assert.deepEqual(
      encodeCandidates('photo').map((c) => c.type),
      ['image/jpeg', 'image/webp'],
    );
  });

  it('leaves out a format the endpoint refused, never PNG or JPEG', () => {
    assert.deepEqual(
      encodeCandidates('photo', ['image/webp', 'image/jpeg']).map((c) => c.type),
      ['image/jpeg'],
    );
    assert.deepEqual(
      encodeCandidates('screenshot', ['image/webp']).map((c) => c.type),
      ['image/png'],
    );
    assert.equal(fallbackCandidate('screenshot').type, 'image/png');
    assert.equal(fallbackCandidate('photo').type, 'image/jpeg');
  });

  it('tells a screenshot from a photo by its flat runs', () => {
    const width = 400;
    const height = 300;
    const flat = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < flat.length; i += 4) {
      const x = (i / 4) % width;
      const v = x % 50 < 40 ? 240 : 30; // a background with text-like stripes
      flat.set([v, v, v, 255], i);
    }
    assert.equal(classifyPixels(flat, width, height), 'screenshot');
    let seed = 7;
    const noise = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      noise[i] = (i & 3) === 3 ? 255 : 100 + (seed % 60);
    }
    assert.equal(classifyPixels(noise, width, height), 'photo');
  });

  it('counts the bytes of a data URL and formats them', () => {
    assert.equal(dataUrlBytes('data:image/png;base64,AAAA'), 3);
    assert.equal(dataUrlBytes('data:image/png;base64,AAA='), 2);
    assert.equal(dataUrlBytes('data:image/png;base64,AA=='), 1);
    assert.equal(formatBytes(900), '900 B');
    assert.equal(formatBytes(340 * 1024), '340 KB');
    assert.equal(formatBytes(1.25 * 1024 * 1024), '1.3 MB');
  });
});

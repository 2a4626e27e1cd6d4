import assert from 'node:assert/strict';
import { fitSelectionLines } from '../../../src/common/context/selectionFit';
import {
  dataUrlImageTokens,
  dataUrlPixelSize,
  MAX_IMAGE_TOKENS,
  messageTokens,
  toolTokens,
} from '../../../src/common/context/requestTokens';
import { compactTokens, windowLabel } from '../../../src/common/context/tokenLabels';
import { estimateTokens } from '../../../src/common/tokens/estimateTokens';
import { tinyPngDataUrl } from '../../../src/common/endpoint/tinyPng';

function pngHeader(width: number, height: number): string {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return `data:image/png;base64,${bytes.toString('base64')}`;
}

function jpegHeader(width: number, height: number): string {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = [
    0xff,
    0xc0,
    0x00,
    0x11,
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ];
  return `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, ...app0, ...sof]).toString('base64')}`;
}

describe('counting a request', () => {
  it('reads PNG and JPEG sizes from the header and counts what the model sees', () => {
    assert.deepEqual(dataUrlPixelSize(pngHeader(2560, 1600)), { width: 2560, height: 1600 });
    assert.equal(dataUrlImageTokens(pngHeader(2560, 1600)), 1105);
    assert.deepEqual(dataUrlPixelSize(jpegHeader(640, 480)), { width: 640, height: 480 });
    assert.equal(dataUrlImageTokens(jpegHeader(640, 480), 'low'), 85);
    assert.deepEqual(dataUrlPixelSize(tinyPngDataUrl()), { width: 8, height: 8 });
  });
  it('counts an image it cannot read as the most one image costs', () => {
    assert.equal(dataUrlImageTokens('data:image/webp;base64,UklGRg=='), MAX_IMAGE_TOKENS);
    assert.equal(MAX_IMAGE_TOKENS, 1445);
  });
  it('counts text, images and tool calls of a message', () => {
    const text = 'Explain this function and its callers, please.';
    assert.equal(messageTokens({ role: 'user', content: text }), 4 + estimateTokens(text));
    assert.equal(
      messageTokens({
        role: 'user',
        content: [
          { type: 'text', text },
          { type: 'image_url', image_url: { url: pngHeader(2560, 1600) } },
        ],
      }),
      4 + estimateTokens(text) + 1105,
    );
    const tools = [
      { type: 'function' as const, function: { name: 'read_file', parameters: { type: 'object' } } },
    ];
    assert.equal(toolTokens(tools), estimateTokens(JSON.stringify(tools)) + 8);
    assert.equal(toolTokens([]), 0);
  });
});

describe('the part of a selection that fits', () => {
  const lines = Array.from({ length: 1000 }, (_, i) => `const value${i} = compute(${i}); // line ${i}`);
  const text = `${lines.join('\n')}\n`;
  it('takes whole lines from the start of the selection and names them', () => {
    const fit = fitSelectionLines(text, 120, 500)!;
    assert.ok(fit.tokens <= 500);
    assert.equal(fit.startLine, 120);
    const sentLines = fit.text.split('\n');
    assert.equal(sentLines.pop(), '', 'ends at a line boundary');
    assert.equal(fit.endLine, 120 + sentLines.length - 1);
    assert.deepEqual(sentLines, lines.slice(0, sentLines.length));
    assert.ok(estimateTokens(fit.text + lines[sentLines.length] + '\n') > 500, 'one more line would not fit');
  });
  it('takes it all when it fits, and nothing when not even a line does', () => {
    assert.equal(fitSelectionLines('a\nb', 1, 100)?.endLine, 2);
    assert.equal(fitSelectionLines(lines[0], 1, 2), undefined);
  });
});

describe('token labels', () => {
  it('writes counts as the meter and the notices do', () => {
    assert.equal(compactTokens(950), '950');
    assert.equal(compactTokens(5100), '5.1k');
    assert.equal(compactTokens(8192), '8.2k');
    assert.equal(compactTokens(128000), '128k');
    assert.equal(windowLabel(8192), '8k');
    assert.equal(windowLabel(131072), '128k');
    assert.equal(windowLabel(128000), '128k');
    assert.equal(windowLabel(1048576), '1M');
    assert.equal(windowLabel(16385), '16k');
  });
});

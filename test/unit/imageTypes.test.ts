import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  IMAGE_DATA_URL,
  IMAGE_TYPES,
  imageTypeOfExtension,
  isImageType,
} from '../../src/common/images/imageTypes';

describe('the one image type table', () => {
  it('maps extensions to types, and accepts exactly those data URLs', () => {
    assert.equal(imageTypeOfExtension('.JPG'), 'image/jpeg');
    assert.equal(imageTypeOfExtension('.webp'), 'image/webp');
    assert.equal(imageTypeOfExtension('.svg'), undefined);
    assert.ok(isImageType('image/gif'));
    assert.ok(!isImageType('image/svg+xml'));
    assert.ok(IMAGE_DATA_URL.test('data:image/png;base64,iVBOR'));
    assert.ok(!IMAGE_DATA_URL.test('data:image/svg+xml;base64,PHN2Zz4='));
    assert.ok(!IMAGE_DATA_URL.test('data:text/html;base64,PGI+'));
  });

  it("is, with what the webview rasterises, the set the Explorer's Explain Image menu offers", () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const when = manifest.contributes.menus['explorer/context'].find(
      (m) => m.command === 'relayChat.explainImage',
    )!.when!;
    const pattern = new RegExp(/=~ \/(.*)\/i$/.exec(when)![1], 'i');
    const extensions = [...Object.values(IMAGE_TYPES).flat(), '.bmp', '.svg', '.avif'];
    for (const ext of extensions) assert.ok(pattern.test(ext), `${ext} is offered`);
    // HEIC is recognised (to say it cannot be decoded) but not offered.
    for (const ext of ['.heic', '.tiff', '.png.txt']) assert.ok(!pattern.test(ext), `${ext} is not`);
  });
});

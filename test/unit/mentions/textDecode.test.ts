import assert from 'node:assert/strict';
import { decodeFileBytes, SNIFF_BYTES } from '../../../src/common/mentions/textDecode';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('mentions: text or binary', () => {
  it('decodes UTF-8 text, dropping the byte order mark', () => {
    assert.deepEqual(decodeFileBytes(utf8('héllo 你好\n')), { type: 'text', text: 'héllo 你好\n' });
    assert.deepEqual(decodeFileBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), { type: 'text', text: 'a' });
    assert.deepEqual(decodeFileBytes(new Uint8Array()), { type: 'text', text: '' });
  });

  it('calls a NUL byte in the first 8 KB binary, and one after it not', () => {
    assert.deepEqual(decodeFileBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1])), { type: 'binary' });
    const late = new Uint8Array(SNIFF_BYTES + 10).fill(0x61);
    late[SNIFF_BYTES + 5] = 0;
    assert.equal(decodeFileBytes(late).type, 'text');
    late[SNIFF_BYTES - 1] = 0;
    assert.equal(decodeFileBytes(late).type, 'binary');
  });

  it('calls bytes that are not UTF-8 binary', () => {
    assert.deepEqual(decodeFileBytes(new Uint8Array([0x61, 0xff, 0xfe, 0x62, 0xc3])), { type: 'binary' });
  });

  it('decodes UTF-16 with its byte order mark', () => {
    assert.deepEqual(decodeFileBytes(new Uint8Array([0xff, 0xfe, 0x61, 0, 0x62, 0])), {
      type: 'text',
      text: 'ab',
    });
    assert.deepEqual(decodeFileBytes(new Uint8Array([0xfe, 0xff, 0, 0x61])), { type: 'text', text: 'a' });
  });
});

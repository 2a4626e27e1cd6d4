import assert from 'node:assert/strict';
import { composeUserInput } from '../../../src/common/conversation/composerInput';
import { filePartCap, filePartOfExtension } from '../../../src/common/images/fileParts';

describe('fileParts: audio and PDF as their own content parts', () => {
  it('knows WAV, MP3 and PDF, with caps', () => {
    assert.deepEqual(filePartOfExtension('.WAV'), { part: 'input_audio', format: 'wav', mime: 'audio/wav' });
    assert.equal(filePartOfExtension('.mp3')?.part, 'input_audio');
    assert.equal(filePartOfExtension('.pdf')?.part, 'file');
    assert.equal(filePartOfExtension('.docx'), undefined);
    assert.equal(filePartCap('input_audio'), 10 * 1024 * 1024);
    assert.equal(filePartCap('file'), 16 * 1024 * 1024);
  });

  it('sends audio as input_audio and a PDF as a file part with its name; an image detail goes along', () => {
    const input = composeUserInput({
      text: 'Summarise these.',
      images: [{ name: 'a.png', dataUrl: 'data:image/png;base64,AAAA', detail: 'low' }],
      files: [
        { kind: 'audio', path: 'rec/memo.wav', format: 'wav', base64: 'UklGRg==' },
        { kind: 'pdf', path: 'docs/spec.pdf', dataUrl: 'data:application/pdf;base64,JVBERi0=' },
      ],
    });
    assert.deepEqual(input.content, [
      { type: 'text', text: 'Summarise these.' },
      { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
      { type: 'file', file: { filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
    ]);
    assert.deepEqual(input.context, [{ label: 'rec/memo.wav' }, { label: 'docs/spec.pdf' }]);
  });
});

import assert from 'node:assert/strict';
import { fencedBlock, fencedFile } from '../../../src/common/mentions/fence';

describe('mentions: fence', () => {
  it('uses the workspace path as the info string and three backticks for plain text', () => {
    assert.equal(fencedFile('src/a.ts', 'const a = 1;\n'), '```src/a.ts\nconst a = 1;\n```');
  });

  it('is one backtick longer than the longest run inside', () => {
    assert.equal(fencedFile('README.md', 'x\n```ts\ny\n```\n'), '````README.md\nx\n```ts\ny\n```\n````');
    assert.equal(fencedFile('doc.md', 'a ```` b'), '`````doc.md\na ```` b\n`````');
  });

  it('keeps CRLF lines and drops only the final line break', () => {
    assert.equal(fencedFile('w.bat', 'echo\r\nrem\r\n'), '```w.bat\necho\r\nrem\n```');
  });

  it('uses tildes when the info string holds a backtick', () => {
    assert.equal(fencedBlock('a`b.md', 'x ~~~ y'), '~~~~a`b.md\nx ~~~ y\n~~~~');
  });
});

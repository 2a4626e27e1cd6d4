import assert from 'node:assert/strict';
import { mentionParts, NOTE_RESERVE, secretsToConfirm } from '../../../src/common/mentions/mentionParts';
import type { ResolvedMention } from '../../../src/common/mentions/mentionTypes';
import { estimateTokens } from '../../../src/common/tokens/estimateTokens';

const options = { budget: 100_000, apiKeys: ['relay-key-123456'], confirmed: new Set<string>() };
const texts = (m: ResolvedMention[], o = options) =>
  mentionParts(m, o).map((out) => out.parts.map((p) => p.text));
const file = (path: string, text: string): ResolvedMention => ({
  kind: 'file',
  file: { path, content: { type: 'text', text } },
});
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => `row ${String(i + 1).padStart(4, '0')}\n`).join('');

describe('mentions: request parts', () => {
  it('sends a file as one fenced part named by its path, with its token count', () => {
    const [out] = mentionParts([file('src/a.ts', 'const a = `x`;\n')], options);
    assert.deepEqual(out.parts, [{ type: 'text', text: '```src/a.ts\nconst a = `x`;\n```' }]);
    assert.equal(out.tokens, estimateTokens(out.parts[0].text));
    assert.deepEqual(out.notes, []);
  });

  it('masks the API keys it holds, and says so', () => {
    const [out] = mentionParts([file('src/cfg.ts', 'key = "relay-key-123456"\n')], options);
    assert.equal(out.parts[0].text, '```src/cfg.ts\nkey = "***"\n```');
    assert.deepEqual(out.notes, [{ kind: 'masked' }]);
  });

  it('does not send a binary or unreadable file, and says so', () => {
    const out = mentionParts(
      [
        { kind: 'file', file: { path: 'media/logo.png', content: { type: 'binary' } } },
        {
          kind: 'file',
          file: { path: 'gone.ts', content: { type: 'unreadable', reason: 'File not found.' } },
        },
      ],
      options,
    );
    assert.deepEqual(
      out.map((o) => [o.parts[0].text, o.notes]),
      [
        ['(media/logo.png is a binary file; it was not sent.)', [{ kind: 'binary' }]],
        ['(gone.ts could not be read: File not found.)', [{ kind: 'unreadable', reason: 'File not found.' }]],
      ],
    );
  });

  it('sends a secret-looking file only once confirmed by name', () => {
    const env = file('api/.env', 'TOKEN=abc\n');
    assert.deepEqual(secretsToConfirm([env, file('a.ts', '')], new Set()), [
      { path: 'api/.env', pattern: '.env*' },
    ]);
    assert.deepEqual(texts([env]), [
      ['(api/.env was not sent: it looks like a secret (.env*) and the user did not confirm sending it.)'],
    ]);
    assert.deepEqual(texts([env], { ...options, confirmed: new Set(['api/.env']) }), [
      ['```api/.env\nTOKEN=abc\n```'],
    ]);
    assert.deepEqual(secretsToConfirm([file('x/creds.json', '')], new Set(), ['creds.json']), [
      { path: 'x/creds.json', pattern: 'creds.json' },
    ]);
  });

  it('cuts a file larger than its share after whole lines, with the note in the part and on the chip', () => {
    const text = rows(9000);
    const perLine = estimateTokens('row 0001\n');
    const overhead = estimateTokens('```big.ts\n\n```') + NOTE_RESERVE;
    const [out] = mentionParts([file('big.ts', text)], { ...options, budget: overhead + 1200 * perLine });
    assert.equal(
      out.parts[0].text,
      `\`\`\`big.ts\n${rows(1200).slice(0, -1)}\n\`\`\`\n(lines 1–1,200 of 9,000 sent)`,
    );
    assert.deepEqual(out.notes, [{ kind: 'cut', sentLines: 1200, totalLines: 9000 }]);
    assert.ok(out.tokens <= overhead + 1200 * perLine);
  });

  it('sends the outline instead when too little of the file would fit', () => {
    const big: ResolvedMention = {
      kind: 'file',
      file: {
        path: 'big.ts',
        content: { type: 'text', text: rows(9000), outline: [{ kind: 'class', name: 'Big', line: 1 }] },
      },
    };
    const [out] = mentionParts([big], { ...options, budget: 200 });
    assert.deepEqual(out.parts, [
      {
        type: 'text',
        text: 'Outline of big.ts (its 9,000 lines are too many to send; its symbols with their lines):\nclass Big (line 1)',
      },
    ]);
    assert.deepEqual(out.notes, [{ kind: 'outline', totalLines: 9000 }]);
  });

  it('sends a folder as its tree, then its files while they fit, and names what it left out', () => {
    const folder: ResolvedMention = {
      kind: 'folder',
      path: 'src/util',
      tree: ['a.ts', 'big.ts', 'img.png', 'b.ts'],
      files: [
        { path: 'src/util/a.ts', content: { type: 'text', text: 'export const a = 1;\n' } },
        { path: 'src/util/big.ts', content: { type: 'text', text: rows(500) } },
        { path: 'src/util/img.png', content: { type: 'binary' } },
        { path: 'src/util/b.ts', content: { type: 'text', text: 'export const b = 2;\n' } },
      ],
    };
    const [out] = mentionParts([folder], { ...options, budget: 200 });
    assert.deepEqual(
      out.parts.map((p) => p.text),
      [
        'Folder src/util:\n```\nsrc/util/\n  a.ts\n  b.ts\n  big.ts\n  img.png\n```',
        '```src/util/a.ts\nexport const a = 1;\n```',
        '```src/util/b.ts\nexport const b = 2;\n```',
        '(Files from src/util not sent: 1 binary, 1 did not fit.)',
      ],
    );
    assert.deepEqual(out.notes, [{ kind: 'filesLeftOut', binary: 1, secret: 0, unreadable: 0, noRoom: 1 }]);
  });

  it("puts the host's word about a terminal it cannot read on the chip, and its text in the request", () => {
    const text = 'This terminal has no shell integration, so its commands and output cannot be read.';
    const [out] = mentionParts(
      [{ kind: 'terminal', name: 'sh', text, note: 'no shell integration: its output cannot be read' }],
      options,
    );
    assert.deepEqual(out.notes, [{ kind: 'said', text: 'no shell integration: its output cannot be read' }]);
    assert.equal(out.parts[0].text, `Terminal output (sh):\n\`\`\`\n${text}\n\`\`\``);
  });

  it('labels problems, terminal output and changes; long ones keep head and tail', () => {
    const diff = rows(40);
    const out = mentionParts(
      [
        { kind: 'problems', text: 'src/a.ts:3:1 error Cannot find name x.' },
        { kind: 'terminal', name: 'bash', text: 'export KEY=relay-key-123456\n' },
        { kind: 'changes', text: diff },
      ],
      { ...options, budget: 150 },
    );
    assert.deepEqual(out[0].parts[0].text, 'Problems:\n```\nsrc/a.ts:3:1 error Cannot find name x.\n```');
    assert.deepEqual(out[1].parts[0].text, 'Terminal output (bash):\n```\nexport KEY=***\n```');
    assert.deepEqual(out[1].notes, [{ kind: 'masked' }]);
    const [changes] = out[2].parts;
    const kept = changes.text.split('\n');
    assert.equal(kept[0], 'Uncommitted changes:');
    assert.equal(kept[1], '```diff');
    assert.equal(kept[2], 'row 0001');
    assert.equal(kept.at(-2), 'row 0040');
    const marker = kept.find((l) => l.startsWith('…'));
    const leftOut = out[2].notes[0];
    assert.equal(leftOut.kind, 'leftOut');
    assert.equal(marker, `… ${leftOut.kind === 'leftOut' ? leftOut.lines : 0} lines left out …`);
    assert.equal(kept.length - 4 + (leftOut.kind === 'leftOut' ? leftOut.lines : 0), 40);
  });

  it('gives a small mention all it needs beside a large one, and keeps the total within the budget', () => {
    const small = file('small.ts', 'export {};\n');
    const large = file('large.ts', rows(5000));
    const out = mentionParts([large, small], { ...options, budget: 1000 });
    assert.deepEqual(out[1].parts[0].text, '```small.ts\nexport {};\n```');
    assert.equal(out[0].notes[0].kind, 'cut');
    assert.ok(out[0].tokens + out[1].tokens <= 1000, `${out[0].tokens + out[1].tokens}`);
  });

  it('says so when nothing is going on', () => {
    assert.deepEqual(
      texts([
        { kind: 'problems', text: '' },
        { kind: 'open', files: [] },
      ]),
      [['Problems: none.'], ['(No editors are open.)']],
    );
  });
});

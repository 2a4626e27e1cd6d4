import assert from 'node:assert/strict';
import { ChipList, sendFields, type Chip } from '../../../src/webview/chat/chips/chipModel';

const file = (name: string): Chip => ({
  kind: 'file',
  attachment: { kind: 'file', name, uri: `file:///w/${name}` },
});
const image: Chip = {
  kind: 'image',
  attachment: { kind: 'image', name: 'a.png', dataUrl: 'data:image/png;base64,AA==' },
};

describe('the composer chip list', () => {
  it('keeps chips in the order they were added, through removes and replaces', () => {
    let changes = 0;
    const chips = new ChipList(() => changes++);
    const a = chips.add(file('a.ts'));
    const b = chips.add(image);
    const c = chips.add(file('c.ts'));
    assert.equal(chips.remove(b), true);
    assert.equal(chips.remove(b), false, 'a second remove changes nothing');
    chips.replace(a, file('a2.ts'));
    assert.deepEqual(
      chips.entries.map((e) => e.chip),
      [file('a2.ts'), file('c.ts')],
    );
    assert.equal(chips.entries[1], c);
    assert.equal(changes, 5);
  });

  it('gives a removed entry new content without a render', () => {
    let changes = 0;
    const chips = new ChipList(() => changes++);
    const entry = chips.add(image);
    chips.clear();
    changes = 0;
    const settled: Chip = {
      ...image,
      attachment: { ...image.attachment, dataUrl: 'data:image/webp;base64,AA==' },
    } as Chip;
    chips.replace(entry, settled as typeof image);
    assert.equal(entry.chip, settled, 'a send still holding the entry reads the settled image');
    assert.equal(changes, 0);
  });

  it('sends the selection as a flag and attachments in order, as before the chips', () => {
    const chips: Chip[] = [file('a.ts'), { kind: 'selection', label: 'src/a.ts:3-7' }, image];
    assert.deepEqual(
      JSON.stringify({ type: 'send', text: 'x', ...sendFields(chips) }),
      JSON.stringify({
        type: 'send',
        text: 'x',
        includeSelection: true,
        attachments: [file('a.ts'), image].map(
          (c) => (c as Extract<Chip, { kind: 'file' | 'image' }>).attachment,
        ),
      }),
    );
    assert.deepEqual(sendFields([]), {}, 'no chips add no fields');
  });

  it('sends mentions in the order added, never the rules chip', () => {
    const rules: Chip = { kind: 'rules', label: 'AGENTS.md', tokens: 40, paths: ['AGENTS.md'] };
    const chips: Chip[] = [
      rules,
      { kind: 'mention', mention: { kind: 'file', path: 'src/b.ts' }, tokens: 12 },
      file('a.ts'),
      { kind: 'mention', mention: { kind: 'problems' } },
    ];
    assert.deepEqual(sendFields(chips), {
      attachments: [{ kind: 'file', name: 'a.ts', uri: 'file:///w/a.ts' }],
      mentions: [{ kind: 'file', path: 'src/b.ts' }, { kind: 'problems' }],
    });
    assert.deepEqual(sendFields([rules]), {}, 'the rules alone add nothing');
  });

  it('clears all but what it is told to keep, first-added entries first', () => {
    let changes = 0;
    const chips = new ChipList(() => changes++);
    chips.add(file('a.ts'));
    const rules = chips.addFirst({ kind: 'rules', label: 'AGENTS.md' });
    assert.equal(chips.entries[0], rules);
    chips.clear((chip) => chip.kind === 'rules');
    assert.deepEqual(chips.entries, [rules]);
    assert.equal(changes, 3);
    chips.clear((chip) => chip.kind === 'rules');
    assert.equal(changes, 3, 'nothing removed, no render');
  });
});

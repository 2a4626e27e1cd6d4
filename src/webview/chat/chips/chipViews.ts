import type { ImageDetail } from '../../../common/images/imageTokens';
import { codicon, el, format } from '../../dom';
import { imageChipParts, imageHover } from '../../images/imageAttachments';
import type { Strings } from '../../strings';
import type { Chip, ChipEntry, ChipKind, ChipOf } from './chipModel';
import { fillContextChip, mentionLabel } from './contextChipContent';

/**
 * Where a chip sits: `own` on its own line above the list (the selection), `list` as an item of the
 * attachments list.
 */
export type ChipSlot = 'own' | 'list';

/** What a chip's controls can ask of whoever owns the chips. */
export interface ChipActions {
  strings: Strings;
  remove(entry: ChipEntry): void;
  changeDetail(entry: ChipEntry<ChipOf<'image'>>, detail: ImageDetail): void;
}

export interface ChipView<C extends Chip> {
  slot: ChipSlot;
  /** The chip's element, its remove button last. */
  build(entry: ChipEntry<C>, actions: ChipActions): HTMLElement;
  /** Shows the entry's new content in the element `build` made; `before` is what it showed. */
  update(element: HTMLElement, entry: ChipEntry<C>, before: C, actions: ChipActions): void;
}

/** How each kind of chip looks; a kind without a row here does not compile. */
const CHIP_VIEWS: { [K in ChipKind]: ChipView<ChipOf<K>> } = {
  selection: {
    slot: 'own',
    build(entry, actions) {
      const chip = el('div', {
        class: 'selection-chip chip',
        'data-testid': 'context-chip',
        'data-kind': 'selection',
      });
      chip.append(
        el('span', { class: 'chip-label' }),
        removeButton('selection-remove', actions.strings.removeSelection, () => actions.remove(entry)),
      );
      this.update(chip, entry, entry.chip, actions);
      return chip;
    },
    update(element, { chip }, _before, { strings }) {
      element.querySelector('.chip-label')!.textContent = format(strings.selection, chip.label);
      element.title = chip.label;
    },
  },
  image: {
    slot: 'list',
    build(entry, actions) {
      const chip = attachmentChip(entry, actions);
      chip.classList.add('image-chip');
      showImage(chip, entry, actions);
      return chip;
    },
    update(element, entry, before, actions) {
      const { attachment } = entry.chip;
      // The pipeline's later work may only add fallbacks: the chip already shows what is sent.
      if (
        attachment.dataUrl === before.attachment.dataUrl &&
        attachment.detail === before.attachment.detail
      ) {
        return;
      }
      showImage(element, entry, actions);
    },
  },
  file: {
    slot: 'list',
    build(entry, actions) {
      const chip = attachmentChip(entry, actions);
      chip.prepend(el('span', { class: 'chip-label' }, entry.chip.attachment.name));
      return chip;
    },
    update() {
      // A file chip's name and URI never change.
    },
  },
  mention: {
    slot: 'list',
    build(entry, actions) {
      const label = mentionLabel(entry.chip.mention, actions.strings);
      const chip = contextChip();
      chip.append(
        removeButton('context-chip-remove', format(actions.strings.removeAttachment, label), () =>
          actions.remove(entry),
        ),
      );
      this.update(chip, entry, entry.chip, actions);
      return chip;
    },
    update(element, { chip }, _before, { strings }) {
      const { mention, tokens, notes } = chip;
      fillContextChip(
        element,
        { label: mentionLabel(mention, strings), kind: mention.kind, mention, tokens, notes },
        strings,
      );
    },
  },
  rules: {
    slot: 'list',
    build(entry, actions) {
      const chip = contextChip();
      this.update(chip, entry, entry.chip, actions);
      return chip;
    },
    update(element, { chip }, _before, { strings }) {
      fillContextChip(element, { ...chip, kind: 'rules' }, strings);
    },
  },
};

/** A context chip (a mention, the rules) in the attachments list; `fillContextChip` draws it. */
function contextChip(): HTMLElement {
  return el('span', {
    class: 'attachment chip context-chip',
    'data-testid': 'context-chip',
    role: 'listitem',
  });
}

export function viewOf<C extends Chip>(chip: C): ChipView<C> {
  // The table's type ties each kind to its view; TypeScript cannot follow that through a lookup.
  return CHIP_VIEWS[chip.kind] as unknown as ChipView<C>;
}

/** An attachment chip with only its remove button: the kind fills in what it shows before it. */
function attachmentChip(entry: ChipEntry<ChipOf<'image' | 'file'>>, actions: ChipActions): HTMLElement {
  const { name } = entry.chip.attachment;
  const chip = el('span', {
    class: 'attachment chip',
    'data-testid': 'attachment',
    role: 'listitem',
    title: name,
  });
  chip.append(
    removeButton('attachment-remove', format(actions.strings.removeAttachment, name), () =>
      actions.remove(entry),
    ),
  );
  return chip;
}

/** Thumbnail, figures and detail choice before the remove button; the hover compares with the original. */
function showImage(chip: HTMLElement, entry: ChipEntry<ChipOf<'image'>>, actions: ChipActions): void {
  const { attachment } = entry.chip;
  chip.querySelectorAll('.thumb, .image-meta, .image-detail').forEach((n) => n.remove());
  chip.prepend(...imageChipParts(attachment, actions.strings, (d) => actions.changeDetail(entry, d)));
  chip.title = imageHover(attachment, actions.strings);
}

function removeButton(testId: string, label: string, onClick: () => void): HTMLButtonElement {
  const button = el('button', {
    type: 'button',
    class: 'chip-remove',
    'data-testid': testId,
    title: label,
    'aria-label': label,
  });
  button.append(codicon('close'));
  button.addEventListener('click', onClick);
  return button;
}

import type { Attachment, WebviewToHost } from '../../../common/panel/protocol';

/**
 * What the composer's chips stand for, in the order the user added them. One list for every kind,
 * so a new kind (an @-mention) is one more variant here, one row in the views table and one case
 * in `sendFields`; the compiler points at each place.
 */
export type Chip =
  /** The editor selection the host offered: sent as `includeSelection`, the host reads it. */
  | { kind: 'selection'; label: string }
  | { kind: 'image'; attachment: Extract<Attachment, { kind: 'image' }> }
  | { kind: 'file'; attachment: Extract<Attachment, { kind: 'file' }> };

export type ChipKind = Chip['kind'];
export type ChipOf<K extends ChipKind> = Extract<Chip, { kind: K }>;

/**
 * A chip's place in the list. Its identity outlives `replace`, so what hangs off it (its element,
 * an image's pipeline work still settling) stays attached while its content changes.
 */
export interface ChipEntry<C extends Chip = Chip> {
  readonly chip: C;
}

interface MutableEntry {
  chip: Chip;
}

type SendMessage = Extract<WebviewToHost, { type: 'send' }>;

/** An ordered list of chips; `changed` runs after every change, so the strip renders once per change. */
export class ChipList {
  private list: MutableEntry[] = [];

  constructor(private readonly changed: () => void = () => {}) {}

  get entries(): readonly ChipEntry[] {
    return this.list;
  }

  /** The entries of one kind, in order. */
  ofKind<K extends ChipKind>(kind: K): ChipEntry<ChipOf<K>>[] {
    return this.list.filter((e): e is { chip: ChipOf<K> } => e.chip.kind === kind);
  }

  add<C extends Chip>(chip: C): ChipEntry<C> {
    const entry = { chip };
    this.list.push(entry);
    this.changed();
    return entry;
  }

  /** Takes `entry` out; false when it was not in the list. */
  remove(entry: ChipEntry): boolean {
    const at = this.list.indexOf(entry as MutableEntry);
    if (at === -1) return false;
    this.list.splice(at, 1);
    this.changed();
    return true;
  }

  /**
   * New content for an entry, in its place. An entry already removed (a sent image whose pipeline
   * settles after the send) still takes it, for whoever holds the entry.
   */
  replace<C extends Chip>(entry: ChipEntry<C>, chip: C): void {
    (entry as MutableEntry).chip = chip;
    if (this.list.includes(entry as MutableEntry)) this.changed();
  }

  clear(): void {
    if (!this.list.length) return;
    this.list = [];
    this.changed();
  }
}

/** The chip that shows an attachment (one restored from saved state, or dropped from the explorer). */
export function attachmentChip(attachment: Attachment): ChipOf<'image' | 'file'> {
  return attachment.kind === 'image' ? { kind: 'image', attachment } : { kind: 'file', attachment };
}

/** What chips add to a `send`: the selection as a flag, attachments in the order they were added. */
export function sendFields(chips: readonly Chip[]): Pick<SendMessage, 'includeSelection' | 'attachments'> {
  let includeSelection = false;
  const attachments: Attachment[] = [];
  for (const chip of chips) {
    switch (chip.kind) {
      case 'selection':
        includeSelection = true;
        break;
      case 'image':
      case 'file':
        attachments.push(chip.attachment);
        break;
      default:
        chip satisfies never;
    }
  }
  return {
    ...(includeSelection ? { includeSelection } : {}),
    ...(attachments.length ? { attachments } : {}),
  };
}

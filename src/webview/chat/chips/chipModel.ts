import type { Mention } from '../../../common/mentions/mentionTypes';
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
  | { kind: 'file'; attachment: Extract<Attachment, { kind: 'file' }> }
  /** An @-mention: sent as `mentions`; tokens and notes once the host has measured it. */
  | { kind: 'mention'; mention: Mention; tokens?: number; notes?: string[] }
  /**
   * The project's rules that would apply, as the host reports them. Not the user's to remove (the
   * host applies them whatever the composer holds) and not sent: shown and counted, that is all.
   */
  | { kind: 'rules'; label: string; tokens?: number; notes?: string[]; paths?: string[] };

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

  /** Adds `chip` before every other entry. */
  addFirst<C extends Chip>(chip: C): ChipEntry<C> {
    const entry = { chip };
    this.list.unshift(entry);
    this.changed();
    return entry;
  }

  /** Empties the list but for the entries `keep` holds on to. */
  clear(keep: (chip: Chip) => boolean = () => false): void {
    const kept = this.list.filter((e) => keep(e.chip));
    if (kept.length === this.list.length) return;
    this.list = kept;
    this.changed();
  }
}

/** The chip that shows an attachment (one restored from saved state, or dropped from the explorer). */
export function attachmentChip(attachment: Attachment): ChipOf<'image' | 'file'> {
  return attachment.kind === 'image' ? { kind: 'image', attachment } : { kind: 'file', attachment };
}

/**
 * What chips add to a `send`: the selection as a flag, attachments and mentions each in the order
 * they were added.
 */
export function sendFields(
  chips: readonly Chip[],
): Pick<SendMessage, 'includeSelection' | 'attachments' | 'mentions'> {
  let includeSelection = false;
  const attachments: Attachment[] = [];
  const mentions: Mention[] = [];
  for (const chip of chips) {
    switch (chip.kind) {
      case 'selection':
        includeSelection = true;
        break;
      case 'image':
      case 'file':
        attachments.push(chip.attachment);
        break;
      case 'mention':
        mentions.push(chip.mention);
        break;
      case 'rules':
        break;
      default:
        chip satisfies never;
    }
  }
  return {
    ...(includeSelection ? { includeSelection } : {}),
    ...(attachments.length ? { attachments } : {}),
    ...(mentions.length ? { mentions } : {}),
  };
}

import type { ChipEntry, ChipList, ChipOf } from './chipModel';

/**
 * The editor selection the host reports, offered as a chip. Once removed or sent, the same
 * selection is not offered again; a different one, or the same after it was cleared, is.
 */
export class SelectionOffer {
  /** The label last removed or sent. */
  private declined: string | undefined;

  constructor(private readonly chips: ChipList) {}

  private get entry(): ChipEntry<ChipOf<'selection'>> | undefined {
    return this.chips.ofKind('selection')[0];
  }

  /** The host's selection now; none takes the chip away. */
  set(label: string | undefined): void {
    const entry = this.entry;
    if (!label) {
      this.declined = undefined;
      if (entry) this.chips.remove(entry);
    } else if (label !== this.declined) {
      this.declined = undefined;
      if (!entry) this.chips.add({ kind: 'selection', label });
      else if (entry.chip.label !== label) this.chips.replace(entry, { kind: 'selection', label });
    }
  }

  /** Sent with a question: not offered again until it changes. */
  take(): void {
    const entry = this.entry;
    if (!entry) return;
    this.chips.remove(entry);
    this.declined = entry.chip.label;
  }

  /** The user removed the chip (already out of the list). */
  removed(entry: ChipEntry): void {
    if (entry.chip.kind === 'selection') this.declined = entry.chip.label;
  }
}

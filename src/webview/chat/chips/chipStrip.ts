import type { ImageDetail } from '../../../common/images/imageTokens';
import { el } from '../../dom';
import type { Strings } from '../../strings';
import { ChipList, type Chip, type ChipEntry, type ChipOf } from './chipModel';
import { viewOf, type ChipActions, type ChipSlot } from './chipViews';

export interface ChipStripHooks {
  /** The user removed `entry` with its × (the list no longer holds it). */
  removed(entry: ChipEntry): void;
  /** Where focus goes when a removed chip leaves no other chip in its place. */
  focusFallback(): void;
  changeDetail(entry: ChipEntry<ChipOf<'image'>>, detail: ImageDetail): void;
}

interface Shown {
  element: HTMLElement;
  /** The content the element shows, to tell a replaced entry from an unchanged one. */
  chip: Chip;
}

/**
 * The composer's chips: one ordered list of entries (`chips`), drawn by one `render` that runs after
 * every change. Elements are kept per entry, so an unchanged chip keeps its image and its focus.
 */
export class ChipStrip {
  readonly chips = new ChipList(() => this.render());
  /** The attachments list. Chips of their own line (the selection) go just above it. */
  readonly list: HTMLElement;
  private readonly shown = new Map<ChipEntry, Shown>();
  private readonly actions: ChipActions;

  constructor(strings: Strings, hooks: ChipStripHooks) {
    this.list = el('div', { class: 'attachments', role: 'list', 'aria-label': strings.attachments });
    this.list.hidden = true;
    this.actions = {
      strings,
      remove: (entry) => this.removeByUser(entry, hooks),
      changeDetail: (entry, detail) => hooks.changeDetail(entry, detail),
    };
  }

  private render(): void {
    const entries = this.chips.entries;
    for (const [entry, { element }] of this.shown) {
      if (!entries.includes(entry)) {
        element.remove();
        this.shown.delete(entry);
      }
    }
    const own: HTMLElement[] = [];
    const listed: HTMLElement[] = [];
    for (const entry of entries) {
      const view = viewOf(entry.chip);
      let shown = this.shown.get(entry);
      if (!shown) {
        shown = { element: view.build(entry, this.actions), chip: entry.chip };
        this.shown.set(entry, shown);
      } else if (shown.chip !== entry.chip) {
        view.update(shown.element, entry, shown.chip, this.actions);
        shown.chip = entry.chip;
      }
      (view.slot === 'own' ? own : listed).push(shown.element);
    }
    placeInOrder(this.list.parentNode, own, this.list);
    placeInOrder(this.list, listed, null);
    this.list.hidden = listed.length === 0;
  }

  /** Out of the list, then focus on the chip that took its place in its slot, or the fallback. */
  private removeByUser(entry: ChipEntry, hooks: ChipStripHooks): void {
    const slot = this.slotOf(entry);
    const siblings = this.inSlot(slot);
    const at = siblings.indexOf(entry);
    if (!this.chips.remove(entry)) return;
    hooks.removed(entry);
    const rest = this.inSlot(slot);
    const next = rest[Math.min(at, rest.length - 1)];
    const button = next && this.shown.get(next)?.element.querySelector('button');
    if (button) button.focus();
    else hooks.focusFallback();
  }

  private slotOf(entry: ChipEntry): ChipSlot {
    return viewOf(entry.chip).slot;
  }

  private inSlot(slot: ChipSlot): ChipEntry[] {
    return this.chips.entries.filter((e) => this.slotOf(e) === slot);
  }
}

/** Puts `elements` in this order before `end`, moving only those out of place: a moved node loses focus. */
function placeInOrder(parent: Node | null, elements: HTMLElement[], end: Element | null): void {
  if (!parent) return;
  let next = end;
  for (let i = elements.length - 1; i >= 0; i--) {
    const element = elements[i];
    if (element.parentNode !== parent || element.nextElementSibling !== next)
      parent.insertBefore(element, next);
    next = element;
  }
}

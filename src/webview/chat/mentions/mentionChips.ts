import { isMention, mentionKey, type Mention } from '../../../common/mentions/mentionTypes';
import type { ContextChip, HostToWebview, WebviewToHost } from '../../../common/panel/protocol';
import type { ChipEntry, ChipList, ChipOf } from '../chips/chipModel';

/** A mention chip as the composer saves it: what it names, and what the host last measured. */
export interface SavedMention {
  mention: Mention;
  tokens?: number;
  notes?: string[];
}

type MentionEntry = ChipEntry<ChipOf<'mention'>>;

/**
 * The composer's mention chips and the rules chip, in the composer's one chip list: one chip per
 * mention (by `mentionKey`), the host told of every change of the list, and the host's
 * measurements (tokens, notes, the rules that would apply) put on the chips they belong to.
 */
export class MentionChips {
  /** The keys the host last heard of, to post `mentionsChanged` only when the list changed. */
  private postedKeys: string;

  constructor(
    private readonly chips: ChipList,
    private readonly post: (message: WebviewToHost) => void,
    saved: unknown,
  ) {
    // Restored without a post: the host hears of them once the panel is connected (`connected`).
    for (const chip of savedMentions(saved)) this.addChip(chip);
    this.postedKeys = this.keys();
  }

  get mentions(): Mention[] {
    return this.entries().map((e) => e.chip.mention);
  }

  /** What the mentions and the rules add to the request, as far as the host has measured them. */
  get tokens(): number {
    let sum = 0;
    for (const { chip } of this.chips.entries)
      if (chip.kind === 'mention' || chip.kind === 'rules') sum += chip.tokens ?? 0;
    return sum;
  }

  /** Adds each mention not already there, in order; whether any was added. */
  add(mentions: readonly Mention[]): boolean {
    let added = false;
    for (const mention of mentions) if (isMention(mention)) added = this.addChip({ mention }) || added;
    return added;
  }

  /** Backspace at the start of the text box: the last mention goes. */
  removeLast(): boolean {
    const last = this.entries().at(-1);
    return !!last && this.chips.remove(last);
  }

  /**
   * The host's measurements. Matched by key, so an answer for a list that has changed since only
   * lands on the mentions still there; the rules chip follows the latest answer.
   */
  info(message: Extract<HostToWebview, { type: 'mentionInfo' }>): void {
    const measured = new Map<string, ContextChip>();
    for (const chip of Array.isArray(message.chips) ? message.chips : [])
      if (isMention(chip?.mention)) measured.set(mentionKey(chip.mention), chip);
    for (const entry of this.entries()) {
      const chip = measured.get(mentionKey(entry.chip.mention));
      if (chip)
        this.chips.replace(entry, { kind: 'mention', mention: entry.chip.mention, ...measures(chip) });
    }
    const rules = this.chips.ofKind('rules')[0];
    const next = message.rules;
    if (!next) {
      if (rules) this.chips.remove(rules);
      return;
    }
    const chip = {
      kind: 'rules' as const,
      label: String(next.label),
      ...measures(next),
      ...(Array.isArray(next.paths) ? { paths: next.paths.filter((p) => typeof p === 'string') } : {}),
    };
    if (rules) this.chips.replace(rules, chip);
    else this.chips.addFirst(chip);
  }

  /** Tells the host when the list of mentions is not what it last heard. */
  sync(): void {
    const keys = this.keys();
    if (keys === this.postedKeys) return;
    this.postedKeys = keys;
    this.post({ type: 'mentionsChanged', mentions: this.mentions });
  }

  /** The panel said `ready`: mentions restored from saved state are measured again. */
  connected(): void {
    const mentions = this.mentions;
    if (mentions.length) this.post({ type: 'mentionsChanged', mentions });
  }

  saved(): SavedMention[] {
    return this.entries().map(({ chip }) => ({
      mention: chip.mention,
      ...(chip.tokens !== undefined ? { tokens: chip.tokens } : {}),
      ...(chip.notes ? { notes: chip.notes } : {}),
    }));
  }

  private entries(): MentionEntry[] {
    return this.chips.ofKind('mention');
  }

  private keys(): string {
    return JSON.stringify(this.entries().map((e) => mentionKey(e.chip.mention)));
  }

  private addChip(saved: SavedMention): boolean {
    const key = mentionKey(saved.mention);
    if (this.entries().some((e) => mentionKey(e.chip.mention) === key)) return false;
    this.chips.add({ kind: 'mention', ...saved });
    return true;
  }
}

/** Tokens and notes from host data (or saved state), each kept only when it is what it says. */
function measures(chip: { tokens?: unknown; notes?: unknown }): { tokens?: number; notes?: string[] } {
  const { tokens, notes } = chip;
  return {
    ...(typeof tokens === 'number' && Number.isFinite(tokens) && tokens >= 0 ? { tokens } : {}),
    ...(Array.isArray(notes) ? { notes: notes.filter((n): n is string => typeof n === 'string') } : {}),
  };
}

function savedMentions(saved: unknown): SavedMention[] {
  if (!Array.isArray(saved)) return [];
  return saved.flatMap((s: { mention?: unknown; tokens?: unknown; notes?: unknown } | null) =>
    s && isMention(s.mention) ? [{ mention: s.mention, ...measures(s) }] : [],
  );
}

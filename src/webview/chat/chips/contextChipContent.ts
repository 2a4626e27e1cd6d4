import { compactTokens } from '../../../common/context/tokenLabels';
import { isMention, type ChipKind, type Mention } from '../../../common/mentions/mentionTypes';
import type { ContextChip } from '../../../common/panel/protocol';
import { codicon, el, format } from '../../dom';
import type { Strings } from '../../strings';

/** The codicon of each context chip's kind (and of each picker row's). */
export const KIND_ICONS: Record<ChipKind, string> = {
  file: 'file',
  folder: 'folder',
  problems: 'warning',
  terminal: 'terminal',
  changes: 'git-compare',
  open: 'files',
  rules: 'book',
  selection: 'selection',
};

/** The composer's name for a mention before the host has measured it: a path's last part. */
export function mentionLabel(mention: Mention, strings: Strings): string {
  switch (mention.kind) {
    case 'file':
    case 'folder':
      return baseName(mention.path);
    case 'problems':
      return strings.mentionProblems;
    case 'terminal':
      return strings.mentionTerminal;
    case 'changes':
      return strings.mentionChanges;
    case 'open':
      return strings.mentionOpen;
  }
}

function baseName(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.at(-1) ?? path;
}

/**
 * Fills a context chip's element, in the composer and under a sent question alike: its kind as
 * `data-kind`, icon, label, tokens (`data-role="tokens"`) and notes (`data-role="note"`), with the
 * full path, tokens, notes and a rules chip's files in the tooltip. What follows the content (a
 * remove button) stays. Chips saved before mentions existed have a label only.
 */
export function fillContextChip(element: HTMLElement, chip: ContextChip, strings: Strings): void {
  element.querySelectorAll(':scope > .context-chip-part').forEach((n) => n.remove());
  // Host data, checked like anything that crosses postMessage: a saved conversation may be old.
  const kind = chip.kind && Object.hasOwn(KIND_ICONS, chip.kind) ? chip.kind : undefined;
  if (kind) element.setAttribute('data-kind', kind);
  const path = isMention(chip.mention) && 'path' in chip.mention ? chip.mention.path : undefined;
  const parts: HTMLElement[] = [];
  if (kind) parts.push(codicon(KIND_ICONS[kind]));
  parts.push(el('span', { class: 'chip-label' }, path === undefined ? String(chip.label) : baseName(path)));
  const tokens = validTokens(chip.tokens);
  if (tokens !== undefined)
    parts.push(el('span', { class: 'chip-tokens', 'data-role': 'tokens' }, compactTokens(tokens)));
  const notes = textList(chip.notes);
  for (const note of notes) parts.push(el('span', { class: 'chip-note', 'data-role': 'note' }, note));
  for (const part of parts) part.classList.add('context-chip-part');
  element.prepend(...parts);
  element.title = [
    path ?? String(chip.label),
    ...(tokens !== undefined ? [format(strings.contextChipTokens, tokens)] : []),
    ...notes,
    ...textList(chip.paths),
  ].join('\n');
}

function textList(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
}

function validTokens(tokens: unknown): number | undefined {
  return typeof tokens === 'number' && Number.isFinite(tokens) && tokens >= 0 ? tokens : undefined;
}

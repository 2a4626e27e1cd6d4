import type { TextPart } from '../endpoint/chatTypes';
import { redactSecrets } from '../endpoint/redact';
import { estimateTokens } from '../tokens/estimateTokens';
import { cutToLines, formatCount, keepHeadAndTail } from './cutText';
import { fencedBlock, fencedFile } from './fence';
import { folderTree } from './folderTree';
import type { MentionFile, MentionKind, MentionNote, ResolvedMention } from './mentionTypes';
import { outlineText } from './outlineText';
import { secretPattern } from './secretFiles';
import { shareBudget } from './shareBudget';

/**
 * The request's text parts for the composer's mentions, each mention within its share of the budget
 * (see shareBudget), each with its token count and notes for its chip. Nothing is left out without
 * a word: a binary file, a secret not confirmed, a cut, an outline, a shortened diff each leave a
 * note in the request and on the chip. Every text is checked for the API keys the extension holds
 * (redactSecrets) before it is measured or cut.
 */

export interface MentionPartsOptions {
  /** Tokens all the mentions may use together. */
  budget: number;
  /** The API keys this extension holds: masked wherever they appear. */
  apiKeys: readonly string[];
  /** Secret-looking paths the user confirmed, by name, to send. */
  confirmed: ReadonlySet<string>;
  /** The user's additions to DEFAULT_SECRET_PATTERNS. */
  secretPatterns?: readonly string[];
}

export interface MentionOutput {
  kind: MentionKind;
  parts: TextPart[];
  /** Estimated tokens of `parts`: the chip's count. */
  tokens: number;
  notes: MentionNote[];
}

/** Kept free in a share for the note that may follow a cut. */
export const NOTE_RESERVE = 24;

/**
 * Below this share of its lines, a cut file says too little; its outline, when the host gave one
 * and it fits, is sent instead.
 */
export const OUTLINE_BELOW = 0.25;

export function mentionParts(
  mentions: readonly ResolvedMention[],
  options: MentionPartsOptions,
): MentionOutput[] {
  const whole = mentions.map((m) => render(m, Infinity, options));
  const shares = shareBudget(
    whole.map((w) => w.tokens),
    options.budget,
  );
  return mentions.map((m, i) => (whole[i].tokens <= shares[i] ? whole[i] : render(m, shares[i], options)));
}

/** The secret-looking files among the mentions the user has not confirmed yet: ask about these by name. */
export function secretsToConfirm(
  mentions: readonly ResolvedMention[],
  confirmed: ReadonlySet<string>,
  secretPatterns: readonly string[] = [],
): { path: string; pattern: string }[] {
  const out = new Map<string, string>();
  for (const file of mentions.flatMap(filesOf)) {
    const pattern = secretPattern(file.path, secretPatterns);
    if (pattern && !confirmed.has(file.path)) out.set(file.path, pattern);
  }
  return [...out].map(([path, pattern]) => ({ path, pattern }));
}

function filesOf(m: ResolvedMention): readonly MentionFile[] {
  if (m.kind === 'file') return [m.file];
  if (m.kind === 'folder' || m.kind === 'open') return m.files;
  return [];
}

/** What a mention becomes; `share` Infinity renders it whole. */
function render(m: ResolvedMention, share: number, o: MentionPartsOptions): MentionOutput {
  const notes: MentionNote[] = [];
  const texts = renderTexts(m, share, o, notes);
  const parts = texts.map((text): TextPart => ({ type: 'text', text }));
  const tokens = texts.reduce((sum, t) => sum + estimateTokens(t), 0);
  return { kind: m.kind, parts, tokens, notes };
}

function renderTexts(
  m: ResolvedMention,
  share: number,
  o: MentionPartsOptions,
  notes: MentionNote[],
): string[] {
  switch (m.kind) {
    case 'file':
      return [renderFile(m.file, share, o, notes)];
    case 'folder':
      return renderFolder(m.path, m.tree, m.files, share, o, notes);
    case 'open':
      if (!m.files.length) return ['(No editors are open.)'];
      return renderFiles(m.files, share, 'the open editors', o, notes);
    case 'problems':
      return [renderHead('Problems:', '', mask(m.text, o, notes), share, notes)];
    case 'terminal':
      if (m.note) notes.push({ kind: 'said', text: m.note });
      return [renderHeadTail(`Terminal output (${m.name}):`, '', mask(m.text, o, notes), share, notes)];
    case 'changes':
      return [renderHeadTail('Uncommitted changes:', 'diff', mask(m.text, o, notes), share, notes)];
  }
}

function mask(text: string, o: MentionPartsOptions, notes: MentionNote[]): string {
  const masked = redactSecrets(text, o.apiKeys);
  if (masked !== text && !notes.some((n) => n.kind === 'masked')) notes.push({ kind: 'masked' });
  return masked;
}

/** Why a file is not sent at all, if it is not. */
function refusal(file: MentionFile, o: MentionPartsOptions): { text: string; note: MentionNote } | undefined {
  const pattern = secretPattern(file.path, o.secretPatterns);
  if (pattern && !o.confirmed.has(file.path)) {
    return {
      text: `(${file.path} was not sent: it looks like a secret (${pattern}) and the user did not confirm sending it.)`,
      note: { kind: 'secret', pattern },
    };
  }
  if (file.content.type === 'binary')
    return { text: `(${file.path} is a binary file; it was not sent.)`, note: { kind: 'binary' } };
  if (file.content.type === 'unreadable') {
    const { reason } = file.content;
    return { text: `(${file.path} could not be read: ${reason})`, note: { kind: 'unreadable', reason } };
  }
  return undefined;
}

function renderFile(file: MentionFile, share: number, o: MentionPartsOptions, notes: MentionNote[]): string {
  const refused = refusal(file, o);
  if (refused || file.content.type !== 'text') {
    if (refused) notes.push(refused.note);
    return refused?.text ?? '';
  }
  const text = mask(file.content.text, o, notes);
  const whole = fencedFile(file.path, text);
  if (estimateTokens(whole) <= share) return whole;
  const cut = cutToLines(text, share - estimateTokens(fencedFile(file.path, '')) - NOTE_RESERVE);
  const outline = file.content.outline;
  if (cut.sentLines < cut.totalLines * OUTLINE_BELOW && outline?.length) {
    const total = formatCount(cut.totalLines);
    const instead = `Outline of ${file.path} (its ${total} lines are too many to send; its symbols with their lines):\n${outlineText(outline)}`;
    if (estimateTokens(instead) <= share) {
      notes.push({ kind: 'outline', totalLines: cut.totalLines });
      return instead;
    }
  }
  notes.push({ kind: 'cut', sentLines: cut.sentLines, totalLines: cut.totalLines });
  if (!cut.sentLines) return `(${file.path}: ${cut.note})`;
  return `${fencedFile(file.path, cut.text)}\n(${cut.note})`;
}

function renderFolder(
  path: string,
  tree: readonly string[],
  files: readonly MentionFile[],
  share: number,
  o: MentionPartsOptions,
  notes: MentionNote[],
): string[] {
  const label = `Folder ${path}:`;
  const treeText = folderTree(path, tree);
  const whole = `${label}\n${fencedBlock('', treeText)}`;
  const treeTokens = estimateTokens(whole);
  if (treeTokens + NOTE_RESERVE <= share)
    return [whole, ...renderFiles(files, share - treeTokens, `${path}`, o, notes)];
  const cut = cutToLines(
    treeText,
    share - estimateTokens(`${label}\n${fencedBlock('', '')}`) - 2 * NOTE_RESERVE,
  );
  notes.push({ kind: 'treeCut', sentLines: cut.sentLines, totalLines: cut.totalLines });
  // No room for the files either: each is counted in the folder's note.
  const texts = [`${label}\n${fencedBlock('', cut.text)}\n(tree: ${cut.note})`];
  return [...texts, ...renderFiles(files, 0, path, o, notes)];
}

/** A folder's (or the open editors') files, whole, while they fit; then one note for the rest. */
function renderFiles(
  files: readonly MentionFile[],
  room: number,
  where: string,
  o: MentionPartsOptions,
  notes: MentionNote[],
): string[] {
  const left = { binary: 0, secret: 0, unreadable: 0, noRoom: 0 };
  const texts: string[] = [];
  let free = room - NOTE_RESERVE;
  for (const file of files) {
    const refused = refusal(file, o);
    if (refused) {
      left[refused.note.kind as 'binary' | 'secret' | 'unreadable']++;
      continue;
    }
    if (file.content.type !== 'text') continue;
    const text = fencedFile(file.path, mask(file.content.text, o, notes));
    const tokens = estimateTokens(text);
    // A file that does not fit is skipped, not the end: a smaller one after it may still fit.
    if (tokens > free) {
      left.noRoom++;
      continue;
    }
    texts.push(text);
    free -= tokens;
  }
  const reasons = [
    left.binary && `${formatCount(left.binary)} binary`,
    left.noRoom && `${formatCount(left.noRoom)} did not fit`,
    left.secret && `${formatCount(left.secret)} look like secrets (not confirmed)`,
    left.unreadable && `${formatCount(left.unreadable)} could not be read`,
  ].filter(Boolean);
  if (reasons.length) {
    notes.push({ kind: 'filesLeftOut', ...left });
    texts.push(`(Files from ${where} not sent: ${reasons.join(', ')}.)`);
  }
  return texts;
}

/** A labelled block that keeps its first lines (problems: the editor lists the worst first). */
function renderHead(label: string, info: string, text: string, share: number, notes: MentionNote[]): string {
  if (!text.trim()) return `${label} none.`;
  const whole = `${label}\n${fencedBlock(info, text)}`;
  if (estimateTokens(whole) <= share) return whole;
  const cut = cutToLines(text, share - estimateTokens(`${label}\n${fencedBlock(info, '')}`) - NOTE_RESERVE);
  notes.push({ kind: 'cut', sentLines: cut.sentLines, totalLines: cut.totalLines });
  return `${label}\n${fencedBlock(info, cut.text)}\n(${cut.note})`;
}

/** A labelled block that keeps its head and tail (a diff, a terminal's output). */
function renderHeadTail(
  label: string,
  info: string,
  text: string,
  share: number,
  notes: MentionNote[],
): string {
  if (!text.trim()) return `${label} none.`;
  const cut = keepHeadAndTail(text, share - estimateTokens(`${label}\n${fencedBlock(info, '')}`));
  if (cut.leftOutLines) notes.push({ kind: 'leftOut', lines: cut.leftOutLines, totalLines: cut.totalLines });
  return `${label}\n${fencedBlock(info, cut.text)}`;
}

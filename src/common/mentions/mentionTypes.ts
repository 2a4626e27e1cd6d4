import type { OutlineSymbol } from './outlineText';

/**
 * The `@` mentions as data, from the picker to the request. A leaf: the picker (webview), the host
 * that reads what a mention names, and the part builder all import these and nothing else of each
 * other.
 */

/** What the picker inserts into the composer. */
export type Mention =
  | { kind: 'file'; path: string }
  | { kind: 'folder'; path: string }
  | { kind: 'problems' }
  | { kind: 'terminal' }
  | { kind: 'changes' }
  | { kind: 'open' };

export type MentionKind = Mention['kind'];

/** One key per thing a mention names: the same file mentioned twice is one mention. */
export function mentionKey(m: Mention): string {
  return 'path' in m ? `${m.kind}:${m.path}` : m.kind;
}

/** A mention as it may arrive over postMessage: anything else is dropped. */
export function isMention(value: unknown): value is Mention {
  if (!value || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  if (m.kind === 'file' || m.kind === 'folder') return typeof m.path === 'string' && m.path.length > 0;
  return (MENTION_ITEMS as readonly unknown[]).includes(m.kind);
}

/** A composer chip's `data-kind`: every mention's kind, plus the rules file and the editor selection. */
export type ChipKind = MentionKind | 'rules' | 'selection';

/** The items the picker offers beside the workspace's paths, in the order it lists them. */
export const MENTION_ITEMS = [
  'problems',
  'terminal',
  'changes',
  'open',
] as const satisfies readonly MentionKind[];

/** A file as the host read it. */
export type FileContent =
  | {
      type: 'text';
      text: string;
      /** The editor's document symbols, when the host asked for them (a large file). */
      outline?: readonly OutlineSymbol[];
    }
  | { type: 'binary' }
  | { type: 'unreadable'; reason: string };

export interface MentionFile {
  /** The workspace path, as the picker shows it (folder-prefixed in a multi-root workspace). */
  path: string;
  content: FileContent;
}

/** A mention with what it names read by the host. */
export type ResolvedMention =
  | { kind: 'file'; file: MentionFile }
  | {
      kind: 'folder';
      path: string;
      /** Every file below the folder, relative to it (the ignores already applied). */
      tree: readonly string[];
      /** The files to send, in the order to try them; may be fewer than `tree` (the host skips large ones). */
      files: readonly MentionFile[];
    }
  | { kind: 'open'; files: readonly MentionFile[] }
  | { kind: 'problems'; text: string }
  /** `note`: why there is no command to send (no terminal, no shell integration), for the chip. */
  | { kind: 'terminal'; name: string; text: string; note?: string }
  | { kind: 'changes'; text: string };

/** Why a mention was sent other than whole: shown on its chip, and said in the request too. */
export type MentionNote =
  | { kind: 'binary' }
  | { kind: 'unreadable'; reason: string }
  /** A file that looks like a secret, not confirmed: not sent. */
  | { kind: 'secret'; pattern: string }
  /** The first `sentLines` lines were sent. */
  | { kind: 'cut'; sentLines: number; totalLines: number }
  /** The file's outline was sent instead of its text. */
  | { kind: 'outline'; totalLines: number }
  /** The middle of a diff or terminal output was left out. */
  | { kind: 'leftOut'; lines: number; totalLines: number }
  /** A folder's tree was longer than its share. */
  | { kind: 'treeCut'; sentLines: number; totalLines: number }
  /** Files of a folder (or of the open editors) not sent, by reason. */
  | { kind: 'filesLeftOut'; binary: number; secret: number; unreadable: number; noRoom: number }
  /** An API key this extension holds (or something shaped like one) was masked. */
  | { kind: 'masked' }
  /** What the host said about it, already in the user's words (a terminal without shell integration). */
  | { kind: 'said'; text: string };

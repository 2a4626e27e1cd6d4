import * as vscode from 'vscode';
import { matchPositions, normalizeQuery, preparePath } from '../../common/mentions/fuzzyScore';
import { MENTION_ITEMS } from '../../common/mentions/mentionTypes';
import type { PathMatch } from '../../common/mentions/pathIndex';
import type { MentionItem } from '../../common/panel/protocol';

/** The picker's rows: the named items that match what was typed, then the paths. */

type ItemKind = (typeof MENTION_ITEMS)[number];

function detailOf(kind: ItemKind): string {
  switch (kind) {
    case 'problems':
      return vscode.l10n.t('Errors and warnings of the active file, or of the workspace');
    case 'terminal':
      return vscode.l10n.t("The active terminal's last command and its output");
    case 'changes':
      return vscode.l10n.t('Staged and unstaged git changes');
    case 'open':
      return vscode.l10n.t('The files open in editors');
  }
}

/** The items whose name the query matches (all of them for an empty query), in their order. */
export function namedItems(query: string): MentionItem[] {
  const q = normalizeQuery(query);
  return MENTION_ITEMS.flatMap((kind) => {
    const matches = matchPositions(q, preparePath(kind));
    if (!matches) return [];
    return [{ mention: { kind }, label: kind, detail: detailOf(kind), ...(q ? { matches } : {}) }];
  });
}

export function pathItem(match: PathMatch): MentionItem {
  return {
    mention: { kind: match.kind, path: match.path },
    label: match.kind === 'folder' ? `${match.path}/` : match.path,
    ...(match.positions.length ? { matches: match.positions } : {}),
  };
}

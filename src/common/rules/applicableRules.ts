import { isInside, toSlashes, type WorkspaceFolderInfo } from '../paths/workspaceFolder';
import { matchApplyTo, readInstructionsFile } from './applyTo';
import { ruleFileKind, type RuleFileKind } from './ruleFiles';
import { capRuleText, MAX_RULE_FILE_BYTES, normalizeRuleText } from './ruleText';

/**
 * Which rule files apply to one question, in the order the model reads them.
 *
 * What applies, per workspace folder:
 * - The folder's root `AGENTS.md` (`CLAUDE.md` if there is none), always.
 * - `.github/copilot-instructions.md`, always.
 * - For each request file in the folder, every nested `AGENTS.md` (or `CLAUDE.md` where a folder has
 *   no `AGENTS.md`) from the root down to the file's own folder. This is the AGENTS.md convention
 *   (Codex): all of them apply, the closer ones later so they take precedence. A question without
 *   files gets none of the nested ones.
 * - `.github/instructions/*.instructions.md` without `applyTo`, always; with one, when it matches a
 *   request file of the same folder (see applyTo.ts). A folder's instruction files do not speak
 *   for another folder's files: in a multi-root workspace each folder is its own project.
 *
 * Order (later wins where two disagree, so general comes before specific): folders in the
 * workspace's order, and within a folder: the root file, copilot-instructions, the nested files
 * from outermost to innermost (ties by path), then the instruction files by path. Instruction
 * files come last because their author aimed them at exactly these files.
 *
 * Each file appears once, however many request files it applies to; its reason names the first
 * request file (in the caller's order) that brought it in. A request file outside every folder
 * brings in nothing; one in nested workspace folders belongs to the innermost. A file that cannot
 * be read (gone since the listing) or holds nothing but blank space is left out.
 */

export type RuleReason =
  /** At the root of a workspace folder. */
  | { kind: 'root' }
  /** In a folder above `file`, a request file (relative to the same workspace folder). */
  | { kind: 'nested'; file: string }
  /** copilot-instructions.md, or an instruction file without `applyTo`. */
  | { kind: 'always' }
  /** `glob` from the file's `applyTo` matched `file`, or matches everything (no `file`). */
  | { kind: 'applyTo'; glob: string; file?: string };

export interface AppliedRule {
  /** The workspace folder's name. */
  folder: string;
  /** Relative to its workspace folder. */
  path: string;
  /** What the model and the chip call it: prefixed with the folder's name in a multi-root workspace. */
  display: string;
  absolute: string;
  kind: RuleFileKind;
  reason: RuleReason;
  /** Normalised (ruleText), without front matter, cut to the cap. */
  text: string;
  /** Present when the file was over the cap. */
  cut?: { fullBytes: number; keptBytes: number };
}

export interface RulesInput {
  folders: readonly WorkspaceFolderInfo[];
  /** Absolute paths of the rule files that exist (ruleFilesIn); others in the list are ignored. */
  ruleFiles: readonly string[];
  /** Absolute paths of the files the question is about: attachments, the selection's file. */
  requestFiles: readonly string[];
  /** A file's text, or undefined when it cannot be read. */
  read: (absolute: string) => Promise<string | undefined>;
  maxBytesPerFile?: number;
  /** Compare paths without regard to case (Windows, macOS). */
  caseInsensitive?: boolean;
}

interface Placed {
  folder: WorkspaceFolderInfo;
  index: number;
  relative: string;
  /** As the caller spelled it (slashes aside): on a case-insensitive disk the folder's case may differ. */
  absolute: string;
}

/** The innermost folder holding `path`, with the path inside it. */
function place(
  path: string,
  folders: readonly WorkspaceFolderInfo[],
  caseInsensitive: boolean,
): Placed | undefined {
  let best: Placed | undefined;
  folders.forEach((folder, index) => {
    const root = toSlashes(folder.path).replace(/\/+$/, '');
    if (path === root || !isInside(path, root, caseInsensitive)) return;
    const relative = path.slice(root.length + 1);
    if (!best || relative.length < best.relative.length) best = { folder, index, relative, absolute: path };
  });
  return best;
}

const dirOf = (relative: string) =>
  relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';

/** '' for the root, then 'a', 'a/b', … down to `dir`. */
function dirsDownTo(dir: string): string[] {
  const parts = dir ? dir.split('/') : [];
  return ['', ...parts.map((_, i) => parts.slice(0, i + 1).join('/'))];
}

const depth = (dir: string) => (dir ? dir.split('/').length : 0);

interface Chosen {
  placed: Placed;
  kind: RuleFileKind;
  reason: RuleReason;
}

interface FolderFiles {
  /** The folder's own rule file per folder inside it (by `dirKey`): AGENTS.md, else CLAUDE.md. */
  speakers: Map<string, { placed: Placed; kind: RuleFileKind }>;
  copilot?: Placed;
  instructions: Placed[];
  requestFiles: string[];
}

/** A folder inside a workspace folder as a map key: on a case-insensitive disk `Src` is `src`. */
const dirKey = (dir: string, caseInsensitive: boolean) => (caseInsensitive ? dir.toLowerCase() : dir);

function sortIntoFolders(input: RulesInput, caseInsensitive: boolean): Map<number, FolderFiles> {
  const byFolder = new Map<number, FolderFiles>();
  const folderFiles = (index: number) => {
    let entry = byFolder.get(index);
    if (!entry) byFolder.set(index, (entry = { speakers: new Map(), instructions: [], requestFiles: [] }));
    return entry;
  };
  for (const path of new Set(input.ruleFiles.map(toSlashes))) {
    const placed = place(path, input.folders, caseInsensitive);
    const kind = placed && ruleFileKind(placed.relative);
    if (!placed || !kind) continue;
    const files = folderFiles(placed.index);
    if (kind === 'copilot') files.copilot = placed;
    else if (kind === 'instructions') files.instructions.push(placed);
    else {
      const dir = dirKey(dirOf(placed.relative), caseInsensitive);
      if (kind === 'agents' || !files.speakers.has(dir)) files.speakers.set(dir, { placed, kind });
    }
  }
  for (const path of input.requestFiles.map(toSlashes)) {
    const placed = place(path, input.folders, caseInsensitive);
    if (!placed) continue;
    const files = folderFiles(placed.index);
    const seen = files.requestFiles.map((f) => dirKey(f, caseInsensitive));
    if (!seen.includes(dirKey(placed.relative, caseInsensitive))) files.requestFiles.push(placed.relative);
  }
  return byFolder;
}

/** The rule as it is handed on, or undefined when nothing is left of its text. */
function toRule(
  input: RulesInput,
  chosen: Chosen,
  text: string,
  multiRoot: boolean,
): AppliedRule | undefined {
  const capped = capRuleText(text, input.maxBytesPerFile ?? MAX_RULE_FILE_BYTES);
  if (!capped.text) return undefined;
  const { folder, relative } = chosen.placed;
  return {
    folder: folder.name,
    path: relative,
    display: multiRoot ? `${folder.name}/${relative}` : relative,
    absolute: chosen.placed.absolute,
    kind: chosen.kind,
    reason: chosen.reason,
    text: capped.text,
    ...(capped.cut ? { cut: capped.cut } : {}),
  };
}

/** The rule files that apply to a question about `requestFiles`, in the order described above. */
export async function applicableRules(input: RulesInput): Promise<AppliedRule[]> {
  const caseInsensitive = input.caseInsensitive ?? false;
  const byFolder = sortIntoFolders(input, caseInsensitive);
  const multiRoot = input.folders.length > 1;
  const reads: Promise<AppliedRule | undefined>[] = [];
  const add = (chosen: Chosen) =>
    reads.push(
      input
        .read(chosen.placed.absolute)
        .then((raw) =>
          raw === undefined ? undefined : toRule(input, chosen, normalizeRuleText(raw), multiRoot),
        ),
    );

  for (const index of [...byFolder.keys()].sort((a, b) => a - b)) {
    const files = byFolder.get(index)!;

    const root = files.speakers.get('');
    if (root) add({ ...root, reason: { kind: 'root' } });
    if (files.copilot) add({ placed: files.copilot, kind: 'copilot', reason: { kind: 'always' } });

    const nested = new Map<string, string>(); // folder inside the workspace folder → first request file
    for (const file of files.requestFiles) {
      for (const dir of dirsDownTo(dirKey(dirOf(file), caseInsensitive)).slice(1)) {
        if (files.speakers.has(dir) && !nested.has(dir)) nested.set(dir, file);
      }
    }
    const outermostFirst = [...nested.keys()].sort(
      (a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0),
    );
    for (const dir of outermostFirst) {
      add({ ...files.speakers.get(dir)!, reason: { kind: 'nested', file: nested.get(dir)! } });
    }

    // An instruction file's applyTo is in its text, so each one is read before it is chosen.
    const byPath = (a: Placed, b: Placed) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0);
    for (const placed of [...files.instructions].sort(byPath)) {
      reads.push(
        input.read(placed.absolute).then((raw) => {
          if (raw === undefined) return undefined;
          const { applyTo, body } = readInstructionsFile(normalizeRuleText(raw));
          const match = applyTo && matchApplyTo(applyTo, files.requestFiles);
          if (applyTo && !match) return undefined;
          const reason: RuleReason = match ? { kind: 'applyTo', ...match } : { kind: 'always' };
          return toRule(input, { placed, kind: 'instructions', reason }, body.trim(), multiRoot);
        }),
      );
    }
  }
  return (await Promise.all(reads)).filter((rule): rule is AppliedRule => rule !== undefined);
}

// What the edit tools see of the editor, and what a tool call comes to. A leaf: the runner and each
// tool import it, so no tool imports the runner back.
import type { WorkspaceFolderInfo } from '../paths/workspaceFolder';
import type { Problem } from '../problems/problemLines';

/** A diagnostic as the editor holds it: `path` is absolute here; the tools print it for the model. */
export type WorkspaceProblem = Problem;

/** A file as the editor has it: an open document's unsaved text, or the disk's. */
export interface FileSnapshot {
  text: string;
  /** Changes whenever the text does (a document's version; a disk file's mtime). */
  version: number;
  /** Bytes on disk, or the text's length for an open document. */
  size: number;
  binary?: boolean;
}

/** What the runner needs from the editor; the host implements it with the VS Code API. */
export interface EditWorkspace {
  folders(): readonly WorkspaceFolderInfo[];
  /** Symlinks followed; undefined when nothing is there. */
  realPath(absolute: string): Promise<string | undefined>;
  read(absolute: string): Promise<FileSnapshot | undefined>;
  /** Workspace-relative paths under `folder`/`under`, honouring files.exclude and .gitignore. */
  list(
    folder: WorkspaceFolderInfo,
    under: string,
    glob: string | undefined,
    limit: number,
  ): Promise<string[]>;
  /**
   * Workspace-relative paths of the files under `folder` whose path matches `glob` (all when
   * undefined), honouring files.exclude, search.exclude and .gitignore: what search_text reads.
   */
  searchFiles(folder: WorkspaceFolderInfo, glob: string | undefined, limit: number): Promise<string[]>;
  /** The diagnostics of one file (absolute), or of every file that has some; hints included. */
  problems(absolute?: string): Promise<WorkspaceProblem[]>;
  /**
   * Resolves once the language services have had their say on the latest text of these files (a
   * file just edited is checked again after a moment), or after a short wait at most.
   */
  settleProblems(absolutes: readonly string[]): Promise<void>;
  protectedPatterns(): readonly string[];
  caseInsensitive?: boolean;
  /** Whether the editor writes a changed file to disk by itself (VS Code's auto save). */
  autoSaves?(absolute: string): boolean;
}

/** The range Edit Selection replaces, fixed when the command ran. */
export interface SelectionTarget {
  absolute: string;
  display: string;
  start: number;
  end: number;
  version: number;
}

/** A change the host applies to a document (one WorkspaceEdit) and the user then reviews. */
export interface PlannedEdit {
  kind: 'replace' | 'create';
  absolute: string;
  display: string;
  /** The whole text before (empty for a new file) and after. */
  before: string;
  after: string;
  /** The replaced range in `before`, and what goes there. */
  start: number;
  end: number;
  replacement: string;
  /** The version the plan was made against; the host refuses to apply to another. */
  version?: number;
}

export type ToolOutcome =
  | { status: 'done'; result: string; target?: string }
  | { status: 'refused'; result: string; target?: string }
  | { status: 'planned'; result: string; target: string; edit: PlannedEdit };

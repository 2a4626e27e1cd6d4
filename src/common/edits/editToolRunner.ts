import type { ToolCall } from '../endpoint/chatTypes';
import { parseToolArguments } from './partialJson';
import { findAndReplace, lineAt } from './textMatcher';
import {
  EDIT_TOOL_NAMES,
  isEditToolName,
  LIST_LIMIT,
  MAX_EDIT_BYTES,
  READ_CHAR_LIMIT,
  READ_LINE_LIMIT,
  type EditToolName,
} from './toolSchemas';
import { checkArguments } from './toolArguments';
import type { EditWorkspace, FileSnapshot, SelectionTarget, ToolOutcome } from './editWorkspace';
import { runGetProblems } from './problemsTool';
import { runSearchText, type SearchArgs } from './searchTool';
import { checkRealPath, globRefusal, protectedBy, resolveWorkspacePath } from './workspacePath';

// The workspace's shape lives in a leaf the tools share; callers still import it from here.
export type { EditWorkspace, FileSnapshot, PlannedEdit, SelectionTarget, ToolOutcome } from './editWorkspace';

/** Reads what a call names and checks it against the rules, without changing anything. */
export class EditToolRunner {
  /** The version of each file when the model last read it (or when our own edit last changed it). */
  private readonly seen = new Map<string, number>();
  /** The files this answer's edits changed, for get_problems without a path. */
  private readonly changed = new Set<string>();

  constructor(
    private readonly workspace: EditWorkspace,
    private readonly selection?: SelectionTarget,
  ) {}

  /** After the host applied an edit: the model's knowledge of the file is the new text. */
  noteVersion(absolute: string, version: number): void {
    this.seen.set(absolute, version);
    this.changed.add(absolute);
  }

  /** The tools this turn offers, for messages about unknown ones. */
  private offered(): EditToolName[] {
    return this.selection ? ['replace_selection'] : EDIT_TOOL_NAMES.filter((n) => n !== 'replace_selection');
  }

  async run(call: ToolCall): Promise<ToolOutcome> {
    const name = call.function.name;
    if (!isEditToolName(name) || !this.offered().includes(name)) {
      return refuse(`Unknown tool "${name}". The tools you can call are: ${this.offered().join(', ')}.`);
    }
    const parsed = parseToolArguments(call.function.arguments);
    if (!parsed.ok) {
      return refuse(
        `The arguments of ${name} are not valid JSON (${parsed.error}). Call ${name} again with the arguments as one JSON object, strings escaped.`,
      );
    }
    const args = parsed.value;
    const problem = checkArguments(name, args);
    if (problem) return refuse(`${name}: ${problem}`);
    switch (name) {
      case 'read_file':
        return this.readFile(args);
      case 'list_files':
        return this.listFiles(args);
      case 'search_text':
        return runSearchText(this.workspace, args as unknown as SearchArgs);
      case 'get_problems':
        return runGetProblems(
          this.workspace,
          (args.path as string | null | undefined) ?? undefined,
          (path) => this.locate(path),
          [...this.changed],
        );
      case 'replace_in_file':
        return this.replaceInFile(args.path as string, args.old_text as string, args.new_text as string);
      case 'create_file':
        return this.createFile(args.path as string, args.content as string);
      case 'replace_selection':
        return this.replaceSelection(args.text as string);
    }
  }

  /** The file a path names, or why it cannot be used. */
  private async locate(path: string): Promise<{ absolute: string; display: string } | { refusal: string }> {
    const resolved = resolveWorkspacePath(path, this.workspace.folders());
    if (!resolved.ok) return { refusal: resolved.reason };
    const pattern = protectedBy(resolved.relative, this.workspace.protectedPatterns());
    if (pattern) {
      return {
        refusal: `"${resolved.display}" is protected (it matches "${pattern}" in relayChat.edits.protectedFiles) and cannot be read or changed. Leave it alone or ask the user to change it.`,
      };
    }
    // The nearest existing ancestor of a new file tells where it would really land.
    let probe = resolved.absolute;
    let real: string | undefined;
    for (;;) {
      real = await this.workspace.realPath(probe);
      if (real !== undefined) break;
      const up = probe.lastIndexOf('/');
      if (up <= 0) break;
      probe = probe.slice(0, up);
    }
    if (real !== undefined) {
      const roots = await Promise.all(
        this.workspace.folders().map(async (f) => (await this.workspace.realPath(f.path)) ?? f.path),
      );
      const refusal = checkRealPath(resolved.display, real, roots, this.workspace.caseInsensitive);
      if (refusal) return { refusal };
    }
    return { absolute: resolved.absolute, display: resolved.display };
  }

  private async readable(
    path: string,
  ): Promise<
    { absolute: string; display: string; file: FileSnapshot } | { refusal: string; target?: string }
  > {
    const where = await this.locate(path);
    if ('refusal' in where) return where;
    const file = await this.workspace.read(where.absolute);
    if (!file) {
      return {
        refusal: `"${where.display}" does not exist. Use list_files to find the right path, or create_file for a new file.`,
        target: where.display,
      };
    }
    if (file.binary) {
      return {
        refusal: `"${where.display}" is a binary file; it cannot be read or edited as text.`,
        target: where.display,
      };
    }
    if (file.size > MAX_EDIT_BYTES) {
      return {
        refusal: `"${where.display}" is too large (${file.size} bytes; the limit is ${MAX_EDIT_BYTES}). It cannot be read or edited here.`,
        target: where.display,
      };
    }
    return { ...where, file };
  }

  private async readFile(args: Record<string, unknown>): Promise<ToolOutcome> {
    const found = await this.readable(args.path as string);
    if ('refusal' in found) return refuse(found.refusal, found.target);
    const { display, file } = found;
    this.seen.set(found.absolute, file.version);
    const lines = file.text.replace(/^\uFEFF/, '').split(/\r?\n/);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const from = Math.max(1, (args.start_line as number | null | undefined) ?? 1);
    const wanted = Math.min(lines.length, (args.end_line as number | null | undefined) ?? lines.length);
    if (from > lines.length) {
      return refuse(`${display} has ${lines.length} lines; start_line ${from} is past its end.`, display);
    }
    const out: string[] = [];
    let chars = 0;
    let last = from - 1;
    for (let n = from; n <= wanted && n - from < READ_LINE_LIMIT; n++) {
      const line = `${n}| ${lines[n - 1]}`;
      if (chars + line.length > READ_CHAR_LIMIT && out.length) break;
      out.push(line);
      chars += line.length + 1;
      last = n;
    }
    const note =
      last < wanted
        ? `\n[Cut at line ${last} of ${lines.length}. Call read_file with start_line ${last + 1} for more.]`
        : '';
    const target = `${display}:${from}-${last}`;
    return { status: 'done', result: `${display} (${lines.length} lines)\n${out.join('\n')}${note}`, target };
  }

  private async listFiles(args: Record<string, unknown>): Promise<ToolOutcome> {
    const folders = this.workspace.folders();
    const under = (args.path as string | null | undefined) ?? '';
    const glob = (args.glob as string | null | undefined) ?? undefined;
    const globProblem = glob && globRefusal(glob);
    if (globProblem) return refuse(`list_files: ${globProblem}`);
    let folder = folders[0];
    let relative = '';
    const named = folders.length > 1 && folders.find((f) => f.name === under.trim().replace(/\/+$/, ''));
    if (named) folder = named;
    else if (under.trim() && under.trim() !== '.') {
      const where = resolveWorkspacePath(under, folders);
      if (!where.ok) return refuse(where.reason);
      folder = where.folder;
      relative = where.relative;
    }
    if (!folder) return refuse('No folder is open in the workspace.');
    const patterns = this.workspace.protectedPatterns();
    const listed = (await this.workspace.list(folder, relative, glob || undefined, LIST_LIMIT + 1)).filter(
      (p) => !protectedBy(p, patterns),
    );
    const prefix = folders.length > 1 ? `${folder.name}/` : '';
    const shown = listed.slice(0, LIST_LIMIT).map((p) => prefix + p);
    const note =
      listed.length > LIST_LIMIT ? `\n[Only the first ${LIST_LIMIT}; narrow with path or glob.]` : '';
    const target = (prefix + relative || '.') + (glob ? ` ${glob}` : '');
    return {
      status: 'done',
      result: shown.length ? shown.join('\n') + note : `No files match in ${target}.`,
      target,
    };
  }

  private changedSinceRead(absolute: string, file: FileSnapshot): boolean {
    const seen = this.seen.get(absolute);
    return seen !== undefined && seen !== file.version;
  }

  private async replaceInFile(path: string, oldText: string, newText: string): Promise<ToolOutcome> {
    const found = await this.readable(path);
    if ('refusal' in found) return refuse(found.refusal, found.target);
    const { absolute, display, file } = found;
    if (this.changedSinceRead(absolute, file)) {
      return refuse(
        `${display} changed since you read it (it was edited outside this conversation). Read it again with read_file and base old_text on the current text.`,
        display,
      );
    }
    if (oldText === newText)
      return refuse('old_text and new_text are the same; nothing would change.', display);
    const match = findAndReplace(file.text, oldText, newText);
    if (match.kind === 'ambiguous') {
      return refuse(
        `old_text occurs ${match.lines.length} times in ${display} (lines ${listLines(match.lines)}); include more surrounding lines so it occurs once.`,
        display,
      );
    }
    if (match.kind === 'missing') {
      const hint = match.closestLine
        ? ` Its first line looks like line ${match.closestLine}, but the lines after it differ.`
        : '';
      return refuse(
        `old_text was not found in ${display}.${hint} Read the file again with read_file and copy old_text exactly, without the line numbers.`,
        display,
      );
    }
    if (match.text.trim() === '' && file.text.trim() !== '') {
      return refuse(
        `This would leave ${display} empty. Replace only the part that should change; a file is never emptied by an edit.`,
        display,
      );
    }
    const target = `${display}:${match.startLine}-${match.endLine}`;
    const newLines = lineCount(match.replacement);
    return {
      status: 'planned',
      target,
      result: `Replaced lines ${match.startLine}-${match.endLine} of ${display}${newLines ? ` with ${plural(newLines, 'line')}` : ''}. The change waits for the user's review; ${this.unsaved(absolute, 'the file is not saved.', 'the editor saves the change to disk by itself (auto save), and undoing it restores the file.')}`,
      edit: {
        kind: 'replace',
        absolute,
        display,
        before: file.text,
        after: match.text,
        start: match.start,
        end: match.end,
        replacement: match.replacement,
        version: file.version,
      },
    };
  }

  /** What the model is told of the disk: the user's editor may save the change before review. */
  private unsaved(absolute: string, unsaved: string, autoSaved: string): string {
    return this.workspace.autoSaves?.(absolute) ? autoSaved : unsaved;
  }

  private async createFile(path: string, content: string): Promise<ToolOutcome> {
    const where = await this.locate(path);
    if ('refusal' in where) return refuse(where.refusal);
    const { absolute, display } = where;
    if ((await this.workspace.realPath(absolute)) !== undefined || (await this.workspace.read(absolute))) {
      return refuse(`${display} already exists. Use read_file and replace_in_file to change it.`, display);
    }
    if (content.length > MAX_EDIT_BYTES)
      return refuse(`The content is too large (the limit is ${MAX_EDIT_BYTES} characters).`, display);
    return {
      status: 'planned',
      target: display,
      result: `Created ${display} (${plural(lineCount(content), 'line')}). It waits for the user's review; ${this.unsaved(absolute, 'it is not saved.', 'the editor saves it to disk by itself (auto save), and undoing it deletes the file.')}`,
      edit: {
        kind: 'create',
        absolute,
        display,
        before: '',
        after: content,
        start: 0,
        end: 0,
        replacement: content,
      },
    };
  }

  private async replaceSelection(text: string): Promise<ToolOutcome> {
    const sel = this.selection!;
    const file = await this.workspace.read(sel.absolute);
    if (!file) return refuse(`${sel.display} is no longer open.`, sel.display);
    if (file.version !== sel.version) {
      return refuse(
        `${sel.display} changed since the selection was made; the selection no longer holds.`,
        sel.display,
      );
    }
    const after = file.text.slice(0, sel.start) + text + file.text.slice(sel.end);
    if (after.trim() === '' && file.text.trim() !== '') {
      return refuse(`This would leave ${sel.display} empty.`, sel.display);
    }
    const startLine = lineAt(file.text, sel.start);
    const endLine = lineAt(file.text, sel.end);
    return {
      status: 'planned',
      target: `${sel.display}:${startLine}-${endLine}`,
      result: `Replaced the selection (lines ${startLine}-${endLine} of ${sel.display}). It waits for the user's review.`,
      edit: {
        kind: 'replace',
        absolute: sel.absolute,
        display: sel.display,
        before: file.text,
        after,
        start: sel.start,
        end: sel.end,
        replacement: text,
        version: file.version,
      },
    };
  }
}

/** Lines of a text, a final line break not counted as the start of another. */
function lineCount(text: string): number {
  if (!text) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function refuse(result: string, target?: string): ToolOutcome {
  return { status: 'refused', result, ...(target ? { target } : {}) };
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, 5);
  const more = lines.length > 5 ? ` and ${lines.length - 5} more` : '';
  if (shown.length === 1) return String(shown[0]);
  if (more) return shown.join(', ') + more;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

// get_problems: the diagnostics of a file, or of the files this answer changed (so the model sees
// what its edit broke), or else the workspace's errors. Errors first, capped and saying so.
import type { EditWorkspace, ToolOutcome } from './editWorkspace';
import { byImportance, markedLines, problemHeadline, type Problem } from '../problems/problemLines';
import { PROBLEMS_LIMIT } from './toolSchemas';
import { protectedBy, workspaceDisplay } from './workspacePath';

/** Lines shown above and below each problem's line. */
const AROUND = 2;

export type Locate = (path: string) => Promise<{ absolute: string; display: string } | { refusal: string }>;

export async function runGetProblems(
  workspace: EditWorkspace,
  path: string | undefined,
  locate: Locate,
  /** The files this answer's edits changed, absolute. */
  changed: readonly string[],
): Promise<ToolOutcome> {
  const folders = workspace.folders();
  const display = (absolute: string) => workspaceDisplay(absolute, folders, workspace.caseInsensitive);
  if (path !== undefined && path.trim() !== '') {
    const where = await locate(path);
    if ('refusal' in where) return { status: 'refused', result: where.refusal };
    if (!(await workspace.read(where.absolute))) {
      return {
        status: 'refused',
        result: `"${where.display}" does not exist. Use list_files or search_text to find the right path.`,
        target: where.display,
      };
    }
    await workspace.settleProblems([where.absolute]);
    const found = (await workspace.problems(where.absolute)).map((p) => ({
      ...p,
      path: where.display,
      absolute: where.absolute,
    }));
    return report(workspace, found, `No problems in ${where.display}.`, undefined, where.display);
  }
  if (changed.length) {
    await workspace.settleProblems(changed);
    const names = changed.map((a) => display(a) ?? a);
    const found = (await Promise.all(changed.map((a) => workspace.problems(a)))).flatMap((list, i) =>
      list.map((p) => ({ ...p, path: names[i], absolute: changed[i] })),
    );
    const scope = `the files this answer changed (${names.join(', ')})`;
    return report(workspace, found, `No problems in ${scope}.`, `Problems in ${scope}:`, 'changed files');
  }
  const patterns = workspace.protectedPatterns();
  const errors = (await workspace.problems()).flatMap((p) => {
    const shown = p.severity === 'error' ? display(p.path) : undefined;
    return shown && !protectedBy(shown, patterns) ? [{ ...p, path: shown, absolute: p.path }] : [];
  });
  return report(
    workspace,
    errors,
    'No errors in the workspace.',
    'No file was changed in this answer yet; the errors in the workspace:',
    'workspace',
  );
}

/** A problem as the model sees it, and the file its lines are read from. */
type Found = Problem & { absolute: string };

/** Each problem (hints left out, as the Problems view does) with the lines around it. */
async function report(
  workspace: EditWorkspace,
  found: Found[],
  none: string,
  heading: string | undefined,
  target: string,
): Promise<ToolOutcome> {
  const problems = found.filter((p) => p.severity !== 'hint').sort(byImportance);
  if (!problems.length) return { status: 'done', result: none, target };
  const texts = new Map<string, Promise<string | undefined>>();
  const textOf = (absolute: string) => {
    let text = texts.get(absolute);
    if (!text) {
      text = workspace.read(absolute).then((f) => (f && !f.binary ? f.text : undefined));
      texts.set(absolute, text);
    }
    return text;
  };
  const out = heading ? [heading] : [];
  for (const p of problems.slice(0, PROBLEMS_LIMIT)) {
    const text = await textOf(p.absolute);
    out.push(problemHeadline(p), ...(text === undefined ? [] : markedLines(text, p.line, AROUND)));
  }
  if (problems.length > PROBLEMS_LIMIT) {
    out.push(
      `[${PROBLEMS_LIMIT} of ${problems.length} problems shown, errors first. Call get_problems with a path for one file.]`,
    );
  }
  return { status: 'done', result: out.join('\n'), target };
}

import { fenceFor } from '../conversation/selectionPrompt';

/**
 * A mentioned file as the model reads it: one fenced block whose info string is the file's workspace
 * path, so the model can name the file back (and the edit tools can find it) without a header line.
 */
export function fencedFile(path: string, text: string): string {
  return fencedBlock(path, text);
}

/**
 * `text` in a fence it cannot close early: backticks one longer than its longest run (at least
 * three). CommonMark forbids backticks in a backtick fence's info string, so an info string holding
 * one (a file named `a`b.md`) gets a tilde fence, sized the same way against the text's tildes.
 */
export function fencedBlock(info: string, text: string): string {
  const fence = info.includes('`') ? tildeFenceFor(text) : fenceFor(text);
  // A file usually ends in a line break; the fence brings its own.
  const body = text.replace(/\r?\n$/, '');
  return `${fence}${info}\n${body}\n${fence}`;
}

function tildeFenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/~+/g) ?? []).map((run) => run.length));
  return '~'.repeat(Math.max(3, longest + 1));
}

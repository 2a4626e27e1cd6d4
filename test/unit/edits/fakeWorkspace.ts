import type { EditWorkspace, FileSnapshot, WorkspaceProblem } from '../../../src/common/edits/editWorkspace';
import { globToRegExp } from '../../../src/common/paths/glob';
import { DEFAULT_PROTECTED } from '../../../src/common/edits/workspacePath';

/** A workspace in memory: files by absolute path, symlinks as a map of real paths. */
export class FakeWorkspace implements EditWorkspace {
  files = new Map<string, FileSnapshot>();
  links = new Map<string, string>();
  patterns: string[] = DEFAULT_PROTECTED;
  roots = [
    { name: 'app', path: '/ws/app' },
    { name: 'lib', path: '/ws/lib' },
  ];

  folders() {
    return this.roots;
  }
  async realPath(absolute: string) {
    for (const [link, target] of this.links) {
      if (absolute === link || absolute.startsWith(link + '/')) return target + absolute.slice(link.length);
    }
    if (this.files.has(absolute) || this.roots.some((r) => r.path === absolute)) return absolute;
    if ([...this.files.keys()].some((f) => f.startsWith(absolute + '/'))) return absolute;
    return undefined;
  }
  async read(absolute: string) {
    const real = await this.realPath(absolute);
    return real ? this.files.get(real) : undefined;
  }
  async list(folder: { path: string }, under: string) {
    const base = under ? `${folder.path}/${under}/` : `${folder.path}/`;
    return [...this.files.keys()]
      .filter((f) => f.startsWith(base))
      .map((f) => f.slice(folder.path.length + 1));
  }
  /** Diagnostics by absolute path; `settled` lists the files get_problems waited for. */
  diagnostics = new Map<string, WorkspaceProblem[]>();
  settled: string[][] = [];
  /** What search.exclude and .gitignore would leave out, as globs over the relative path. */
  searchExcluded: string[] = [];
  searchFileCalls = 0;
  async searchFiles(folder: { path: string }, glob: string | undefined) {
    this.searchFileCalls++;
    const re = glob ? globToRegExp(glob) : undefined;
    return (await this.list(folder, ''))
      .filter((p) => !re || re.test(p))
      .filter((p) => !this.searchExcluded.some((g) => globToRegExp(g).test(p)))
      .sort();
  }
  async problems(absolute?: string) {
    if (absolute) return this.diagnostics.get(absolute) ?? [];
    return [...this.diagnostics.values()].flat();
  }
  async settleProblems(absolutes: readonly string[]) {
    this.settled.push([...absolutes]);
  }
  protectedPatterns() {
    return this.patterns;
  }
  put(path: string, text: string, version = 1, extra: Partial<FileSnapshot> = {}) {
    this.files.set(path, { text, version, size: text.length, ...extra });
  }
}

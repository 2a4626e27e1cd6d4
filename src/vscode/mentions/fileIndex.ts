import * as vscode from 'vscode';
import { LatestQuery } from '../../common/mentions/latestQuery';
import { PathIndex, type PathMatch } from '../../common/mentions/pathIndex';
import {
  excludePatterns,
  findFilesExclude,
  WorkspaceIgnores,
  type ExcludeSetting,
} from '../../common/mentions/workspaceIgnores';

/**
 * The workspace's files for the `@` picker: listed once with `findFiles` (files.exclude and
 * search.exclude as its exclude glob), filtered by the `.gitignore` files found in that listing,
 * then kept current by a file watcher. Listed again when the excludes, the workspace folders or a
 * `.gitignore` change.
 *
 * The first listing happens on the first query, not at activation: most sessions never type `@`,
 * and listing a large workspace would cost them its disk walk at startup. The picker's first query
 * (the `@` itself) waits for it; the keystrokes after answer from the index.
 */

/** A workspace larger than this is listed only this far (the picker says nothing is missing: rare). */
const MAX_FILES = 200_000;
/** Files added to the index between two yields to the event loop. */
const LIST_SLICE = 2_000;

export class FileIndex implements vscode.Disposable {
  readonly index = new PathIndex();
  private readonly latest = new LatestQuery(this.index);
  private listing: Promise<void> | undefined;
  private readonly ignores = new Map<string, WorkspaceIgnores>();
  /** Each folder's findFiles exclude glob, for a folder that appears later. */
  private readonly excludes = new Map<string, string | undefined>();
  private readonly disposables: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  /** Bumped by each listing: a listing that a newer one replaced stops filling the index. */
  private generation = 0;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude'))
          this.relist();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.relist()),
    );
  }

  /** The index, listed; the first call lists the workspace. */
  ready(): Promise<void> {
    this.listing ??= this.list();
    return this.listing;
  }

  /** The best matches (limit+1 asked, so the caller knows there were more); undefined when superseded. */
  async query(text: string, limit: number): Promise<PathMatch[] | undefined> {
    await this.ready();
    // Queries that waited for the listing run in turn; each aborts the one before.
    return this.latest.run(text, limit);
  }

  /** Whether the ignores leave this path out (for a folder mention's tree and Add to Chat). */
  ignored(folder: vscode.WorkspaceFolder, relative: string): boolean {
    return this.ignores.get(folder.name)?.ignores(relative) ?? false;
  }

  private relist(): void {
    if (!this.listing) return; // not listed yet: the first query lists with the new settings
    this.listing = this.list();
  }

  private async list(): Promise<void> {
    const generation = ++this.generation;
    const started = Date.now();
    this.latest.cancel();
    const folders = vscode.workspace.workspaceFolders ?? [];
    this.watch();
    const lists = await Promise.all(folders.map((folder) => this.listFolder(folder)));
    if (generation !== this.generation) return;
    this.index.setFolders([]);
    this.index.setFolders(folders.map((f) => f.name));
    let count = 0;
    for (const [i, folder] of folders.entries()) {
      const { files, ignores } = lists[i];
      this.ignores.set(folder.name, ignores);
      for (let at = 0; at < files.length; at++) {
        // The extension host serves every other extension too: a large listing fills the index in
        // slices, never holding it for more than a few milliseconds.
        if (at % LIST_SLICE === LIST_SLICE - 1) {
          await new Promise((resolve) => setImmediate(resolve));
          if (generation !== this.generation) return;
        }
        if (ignores.ignores(files[at])) continue;
        this.index.add(folder.name, files[at]);
        count++;
      }
    }
    this.log.info(`@ picker: listed ${count} files in ${Date.now() - started} ms`);
  }

  private async listFolder(
    folder: vscode.WorkspaceFolder,
  ): Promise<{ files: string[]; ignores: WorkspaceIgnores }> {
    const patterns = excludePatterns(
      vscode.workspace.getConfiguration('files', folder).get<ExcludeSetting>('exclude'),
      vscode.workspace.getConfiguration('search', folder).get<ExcludeSetting>('exclude'),
    );
    const exclude = findFilesExclude(patterns);
    this.excludes.set(folder.name, exclude);
    let uris: vscode.Uri[] = [];
    try {
      uris = await vscode.workspace.findFiles(
        new vscode.RelativePattern(folder, '**/*'),
        exclude ?? null,
        MAX_FILES,
      );
    } catch (error) {
      this.log.warn(`@ picker: could not list ${folder.name}: ${String(error)}`);
    }
    const base = folder.uri.path.replace(/\/+$/, '') + '/';
    const files = uris.filter((u) => u.path.startsWith(base)).map((u) => u.path.slice(base.length));
    const gitignores = await Promise.all(
      files
        .filter((f) => f === '.gitignore' || f.endsWith('/.gitignore'))
        .map(async (f) => ({
          dir: f.slice(0, Math.max(0, f.length - '/.gitignore'.length)),
          text: await readText(vscode.Uri.joinPath(folder.uri, f)),
        })),
    );
    const ignoreCase = process.platform === 'win32' || process.platform === 'darwin';
    return { files, ignores: new WorkspaceIgnores(patterns, gitignores, ignoreCase) };
  }

  /** One watcher over every folder; created with the first listing, so nothing happens before. */
  private watch(): void {
    if (this.watcher) return;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.watcher = watcher;
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.changed(uri, true)),
      watcher.onDidDelete((uri) => this.changed(uri, false)),
    );
  }

  private changed(uri: vscode.Uri, created: boolean): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || !this.listing) return;
    const base = folder.uri.path.replace(/\/+$/, '') + '/';
    if (!uri.path.startsWith(base)) return;
    const relative = uri.path.slice(base.length);
    if (relative === '.gitignore' || relative.endsWith('/.gitignore')) {
      this.relist();
      return;
    }
    if (!created) {
      this.index.remove(folder.name, relative);
      return;
    }
    if (this.ignored(folder, relative)) return;
    // A created folder is reported once, not once per file inside it: only files enter the index.
    void vscode.workspace.fs.stat(uri).then(
      (stat) => {
        if (stat.type & vscode.FileType.File) this.index.add(folder.name, relative);
        else if (stat.type & vscode.FileType.Directory) void this.addFolder(folder, relative);
      },
      () => undefined,
    );
  }

  /** A folder moved or copied in: the watcher reports it, not the files inside it. */
  private async addFolder(folder: vscode.WorkspaceFolder, relative: string): Promise<void> {
    const generation = this.generation;
    const pattern = new vscode.RelativePattern(vscode.Uri.joinPath(folder.uri, relative), '**/*');
    const uris = await vscode.workspace
      .findFiles(pattern, this.excludes.get(folder.name) ?? null, MAX_FILES)
      .then(
        (found) => found,
        () => [] as vscode.Uri[],
      );
    if (generation !== this.generation) return;
    const base = folder.uri.path.replace(/\/+$/, '') + '/';
    for (const uri of uris) {
      const rel = uri.path.startsWith(base) ? uri.path.slice(base.length) : undefined;
      if (rel && !this.ignored(folder, rel)) this.index.add(folder.name, rel);
    }
  }

  dispose(): void {
    this.latest.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

async function readText(uri: vscode.Uri): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return '';
  }
}

import type * as vscode from 'vscode';

/**
 * The few parts of the built-in git extension's API (`vscode.git`, `getAPI(1)`) `@changes` uses,
 * declared here instead of depending on its typings package. Status 7 is UNTRACKED in its `Status`
 * enum.
 */

export const UNTRACKED = 7;

export interface GitChange {
  readonly uri: vscode.Uri;
  readonly status: number;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly workingTreeChanges: readonly GitChange[];
    /** Newer versions list untracked files here (with `git.untrackedChanges: separate`). */
    readonly untrackedChanges?: readonly GitChange[];
  };
  /** The whole diff: staged (`cached` true) or in the working tree. */
  diff(cached?: boolean): Promise<string>;
}

export interface GitApi {
  readonly repositories: readonly GitRepository[];
}

export interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

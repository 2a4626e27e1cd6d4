import * as vscode from 'vscode';
import type { ContextChip } from '../../common/panel/protocol';
import { toSlashes, type WorkspaceFolderInfo } from '../../common/paths/workspaceFolder';
import { projectInstructions } from '../../common/rules/projectInstructions';
import { RULE_FILES_EXCLUDE, RULE_FILES_GLOB, ruleFilesIn } from '../../common/rules/ruleFiles';
import { estimateTokens } from '../../common/tokens/estimateTokens';
import type { EndpointSettings } from '../endpoint/settings';
import { readFileContent } from '../mentions/fileReader';
import { modelOverrideFor } from '../../common/endpoint/profile';

/** A question's system message, and the `rules` chip that shows what went into it. */
export interface QuestionRules {
  system: string;
  chip?: ContextChip;
}

/**
 * The project's rule files (AGENTS.md, …) and the settings' system prompts, for one question. The
 * list of rule files is kept by a watcher, so a question costs no search of the workspace; the
 * files themselves are read for every question, so an edit on disk applies to the next one.
 */
export class ProjectRules implements vscode.Disposable {
  private listing: Promise<string[]> | undefined;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly settings: EndpointSettings) {
    // The same files the listing finds: a rule file that comes or goes makes the next question list again.
    this.watcher = vscode.workspace.createFileSystemWatcher(RULE_FILES_GLOB, false, true, false);
    const forget = () => (this.listing = undefined);
    this.subscriptions.push(
      this.watcher,
      this.watcher.onDidCreate(forget),
      this.watcher.onDidDelete(forget),
      vscode.workspace.onDidChangeWorkspaceFolders(forget),
    );
  }

  /** What applies to a question about `files` (absolute paths), read now. */
  async forQuestion(files: readonly string[]): Promise<QuestionRules> {
    const t = vscode.l10n.t;
    const config = vscode.workspace.getConfiguration('relayChat');
    const profile = this.settings.activeProfile();
    const model = this.settings.currentModel();
    const systemPrompts = {
      global: config.get<string>('systemPrompt') ?? '',
      profile: profile.systemPrompt,
      model: modelOverrideFor(profile, model).systemPrompt,
    };
    const rulesEnabled = config.get<boolean>('context.rules') !== false;
    const folders: WorkspaceFolderInfo[] = (vscode.workspace.workspaceFolders ?? []).map((f) => ({
      name: f.name,
      path: toSlashes(f.uri.fsPath),
    }));
    const { rules, text } = await projectInstructions({
      folders,
      ruleFiles: rulesEnabled ? await this.ruleFiles(folders) : [],
      requestFiles: files.map(toSlashes),
      read: readText,
      rulesEnabled,
      systemPrompts,
      caseInsensitive: process.platform !== 'linux',
    });
    if (!text) return { system: '' };
    const settingNames = [
      systemPrompts.global.trim() && 'relayChat.systemPrompt',
      systemPrompts.profile?.trim() && t('profile {0}: systemPrompt', profile.name || profile.id),
      systemPrompts.model?.trim() && t('model {0}: systemPrompt', model),
    ].filter((s): s is string => !!s);
    const paths = [...settingNames, ...rules.map((r) => r.display)];
    return {
      system: text,
      chip: {
        label: rules.length ? t('Rules ({0})', rules.length) : t('System prompt'),
        kind: 'rules',
        tokens: estimateTokens(text),
        paths,
        ...(rules.some((r) => r.cut)
          ? {
              notes: rules.flatMap((r) =>
                r.cut ? [t('{0}: only its first {1} bytes sent', r.display, r.cut.keptBytes)] : [],
              ),
            }
          : {}),
      },
    };
  }

  private ruleFiles(folders: readonly WorkspaceFolderInfo[]): Promise<string[]> {
    const listing = (this.listing ??= Promise.resolve(
      vscode.workspace.findFiles(RULE_FILES_GLOB, RULE_FILES_EXCLUDE),
    ).then(
      (uris) => {
        const paths = uris.map((u) => toSlashes(u.fsPath));
        const insensitive = process.platform !== 'linux';
        return [...new Set(folders.flatMap((f) => ruleFilesIn(f.path, paths, insensitive)))];
      },
      (): string[] => [],
    ));
    return listing;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** A rule file as a mention reads a file: the editor's unsaved text where it is open, else the disk. */
async function readText(absolute: string): Promise<string | undefined> {
  const content = await readFileContent(vscode.Uri.file(absolute), { outline: false });
  return content.type === 'text' ? content.text : undefined;
}

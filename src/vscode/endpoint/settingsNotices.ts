import * as vscode from 'vscode';
import type { SettingProblem } from '../../common/settings/settingSchema';
import { describeCredentialHeader } from '../../common/settings/settingsRead';
import type { EndpointSettings } from './settings';

const WARNED_HEADERS_KEY = 'relayChat.credentialHeadersWarned';

/**
 * Opens the settings.json that holds `key` with the cursor on it (the workspace file when the
 * workspace sets it, the user file otherwise); VS Code's own revealSetting finds the line.
 */
export async function openSetting(key: string): Promise<void> {
  const inspected = vscode.workspace.getConfiguration().inspect(key);
  const command =
    inspected?.workspaceValue !== undefined
      ? 'workbench.action.openWorkspaceSettingsFile'
      : 'workbench.action.openSettingsJson';
  await vscode.commands.executeCommand(command, { revealSetting: { key } });
}

/** A notification naming the setting, with Open Settings; resolves once it is dismissed or used. */
export async function showSettingsProblem(
  problems: readonly SettingProblem[],
  severity: 'error' | 'warning' = 'error',
): Promise<void> {
  if (!problems.length) return;
  const open = vscode.l10n.t('Open Settings');
  const text = vscode.l10n.t('Relay Chat settings: {0}', problems.map((p) => p.message).join(' '));
  const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  if ((await show(text, open)) === open) await openSetting(problems[0].setting);
}

/** On activation, once: the active profile cannot work, and the user learns before asking. */
export function checkActiveProfile(settings: EndpointSettings): void {
  const read = settings.read();
  const problems = read.active ? (read.modelProblem ? [read.modelProblem] : []) : read.activeProblems;
  void showSettingsProblem(problems);
}

/** Each left-out option or replaced setting is told once per session, not at every message. */
export class LeftOutNotifier {
  private readonly told = new Set<string>();

  notify(problems: readonly SettingProblem[]): void {
    const fresh = problems.filter((p) => !this.told.has(p.message));
    for (const p of fresh) this.told.add(p.message);
    void showSettingsProblem(fresh, 'warning');
  }
}

/**
 * A header that looks like a key (Authorization, api-key, x-api-key, a value starting with sk-)
 * sits in plain text and may sync to other machines. Warned once per header (remembered in
 * globalState), with an offer to move it into Secret Storage.
 */
export async function warnCredentialHeaders(
  settings: EndpointSettings,
  state: vscode.Memento,
): Promise<void> {
  const warned = new Set(state.get<string[]>(WARNED_HEADERS_KEY, []));
  for (const found of settings.read().credentialHeaders) {
    const id = `${found.setting}|${found.profileId}|${found.header.toLowerCase()}`;
    if (warned.has(id)) continue;
    warned.add(id);
    await state.update(WARNED_HEADERS_KEY, [...warned]);
    const move = vscode.l10n.t('Move to Secret Storage');
    const open = vscode.l10n.t('Open Settings');
    const choice = await vscode.window.showWarningMessage(
      describeCredentialHeader(found, vscode.l10n.t),
      move,
      open,
    );
    if (choice === move) {
      await settings.moveHeaderToSecret(found);
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Relay Chat: the key from {0} is now in Secret Storage, and the header is gone from settings.',
          found.path,
        ),
      );
    } else if (choice === open) {
      await openSetting(found.setting);
    }
  }
}

import type { SettingProblem } from './settingSchema';

/** A setting that makes the request impossible; the panel shows it as a "Settings problem". */
export class SettingsError extends Error {
  constructor(readonly problems: readonly SettingProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'SettingsError';
  }
}

import * as vscode from 'vscode';
import { DEFAULT_SKIP_SETTINGS } from '../../common/completion/engine/skipRules';
import { modeSetting, type AutocompleteModeSetting } from '../../common/completion/request/completionMode';

/** `relayChat.autocomplete.*` as the completion service reads them, with their defaults. */
export interface CompletionSettings {
  enabled: boolean;
  /** A profile id; empty: the active profile. */
  profile: string;
  /** A model id; empty: the profile's model. */
  model: string;
  mode: AutocompleteModeSetting;
  family: string;
  exclude: readonly string[];
  /** US dollars a day; 0: no limit. */
  dailyBudget: number;
  prefixTokens: number;
  suffixTokens: number;
}

export const AUTOCOMPLETE = 'relayChat.autocomplete';

export function readCompletionSettings(): CompletionSettings {
  const config = vscode.workspace.getConfiguration(AUTOCOMPLETE);
  const text = (key: string) => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' ? value.trim() : '';
  };
  const count = (key: string, fallback: number, min: number) => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
  };
  const exclude = config.get<unknown>('exclude');
  return {
    enabled: config.get<unknown>('enabled') === true,
    profile: text('profile'),
    model: text('model'),
    mode: modeSetting(config.get<unknown>('mode')),
    family: text('family'),
    exclude: Array.isArray(exclude)
      ? exclude.filter((g): g is string => typeof g === 'string' && !!g.trim())
      : DEFAULT_SKIP_SETTINGS.exclude,
    dailyBudget: count('dailyBudget', 0, 0),
    prefixTokens: count('prefixTokens', 1024, 16),
    suffixTokens: count('suffixTokens', 256, 0),
  };
}

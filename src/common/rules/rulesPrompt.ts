import type { AppliedRule } from './applicableRules';
import { normalizeRuleText } from './ruleText';

/**
 * The system (or developer) message the settings and the rule files make. The prompts from the
 * settings come first, from the most general to the most specific (`relayChat.systemPrompt`, the
 * profile's, the model entry's): each one adds to the ones before rather than replacing them, and a
 * layer that repeats an earlier one word for word is sent once. The rule files follow, each inside
 * a tag that names its path, so the model can tell one file from the next and say which rule it
 * follows; a file that was cut says so where its text stops.
 */

export interface SystemPromptSettings {
  /** `relayChat.systemPrompt`. */
  global?: string;
  /** The active profile's `systemPrompt`. */
  profile?: string;
  /** The `systemPrompt` of the profile's entry for the chosen model. */
  model?: string;
}

/** The settings' prompts in the order they are sent: blank ones dropped, repeats sent once. */
export function systemPromptLayers(settings: SystemPromptSettings): string[] {
  const layers: string[] = [];
  for (const prompt of [settings.global, settings.profile, settings.model]) {
    const text = normalizeRuleText(prompt ?? '');
    if (text && !layers.includes(text)) layers.push(text);
  }
  return layers;
}

const RULES_INTRO =
  "The project's rule files follow, each inside a <rules> tag with its path. Follow them. Where two " +
  'disagree, the later one is more specific and wins.';

const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

function cutNote(rule: AppliedRule): string {
  if (!rule.cut) return '';
  return (
    `\n[Cut: ${rule.display} is ${rule.cut.fullBytes} bytes; only its first ${rule.cut.keptBytes} ` +
    'bytes are included here. Read the file itself for the rest.]'
  );
}

/** The rules section of the system message; empty when no rule applies. */
export function renderRules(rules: readonly AppliedRule[]): string {
  if (!rules.length) return '';
  const files = rules.map(
    (rule) => `<rules path="${attribute(rule.display)}">\n${rule.text}${cutNote(rule)}\n</rules>`,
  );
  return [RULES_INTRO, ...files].join('\n\n');
}

/** The whole system message: the settings' prompts, then the rules; empty when there is neither. */
export function renderSystemPrompt(settings: SystemPromptSettings, rules: readonly AppliedRule[]): string {
  return [...systemPromptLayers(settings), renderRules(rules)].filter(Boolean).join('\n\n');
}

import { applicableRules, type AppliedRule, type RulesInput } from './applicableRules';
import { renderSystemPrompt, type SystemPromptSettings } from './rulesPrompt';

/**
 * What the project tells the model before a question: the one call the vscode layer makes per
 * question. The files are read afresh each time, so an edit on disk applies to the next question.
 * With `relayChat.context.rules` off, no file is read and only the settings' prompts remain.
 */

export interface ProjectInstructionsInput extends RulesInput {
  /** `relayChat.context.rules`. */
  rulesEnabled: boolean;
  systemPrompts: SystemPromptSettings;
}

export interface ProjectInstructions {
  /** What the `rules` chip lists, in the order the model reads them. */
  rules: AppliedRule[];
  /** The system (or developer) message; empty when there is nothing to say. */
  text: string;
}

export async function projectInstructions(input: ProjectInstructionsInput): Promise<ProjectInstructions> {
  const rules = input.rulesEnabled ? await applicableRules(input) : [];
  return { rules, text: renderSystemPrompt(input.systemPrompts, rules) };
}

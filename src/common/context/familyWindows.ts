import { baseName } from '../endpoint/modelRules';
import type { ModelLimits } from './modelLimits';

/**
 * Published windows of well-known families, for endpoints whose model list says nothing. Model ids
 * arrive in every spelling relays use, so these match the last path segment by family, most
 * specific first. A relay may cap lower; its refusal then teaches the real figure.
 */
const FAMILIES: readonly (readonly [RegExp, number, number])[] = [
  [/^gpt-4\.1/, 1_047_576, 32_768],
  [/^gpt-5.*chat/, 128_000, 16_384],
  [/^gpt-5/, 400_000, 128_000],
  [/^(gpt-4o|chatgpt-4o)/, 128_000, 16_384],
  [/^gpt-4-(turbo|\d{4}-preview)/, 128_000, 4_096],
  [/^gpt-4-32k/, 32_768, 4_096],
  [/^gpt-4(-\d{4})?$/, 8_192, 4_096],
  [/^gpt-3\.5-turbo/, 16_385, 4_096],
  [/^o1-(mini|preview)/, 128_000, 32_768],
  [/^o\d/, 200_000, 100_000],
  [/^claude-(opus-4|sonnet-4|3-7|4)/, 200_000, 64_000],
  [/^claude/, 200_000, 8_192],
  [/^gemini-(1\.5|2|3)/, 1_048_576, 8_192],
  [/^deepseek-(chat|reasoner|v3)/, 128_000, 8_192],
  [/^(qwen-?max|qwen-plus|qwen-turbo)/, 131_072, 8_192],
  [/^moonshot-v1-8k/, 8_192, 4_096],
  [/^moonshot-v1-32k/, 32_768, 4_096],
  [/^moonshot-v1-128k/, 131_072, 4_096],
  [/^glm-4/, 128_000, 4_096],
  [/^mistral-large/, 131_072, 8_192],
];

export function familyLimits(model: string): ModelLimits {
  const name = baseName(model);
  const hit = FAMILIES.find(([pattern]) => pattern.test(name));
  return hit ? { contextWindow: hit[1], maxOutputTokens: hit[2] } : {};
}

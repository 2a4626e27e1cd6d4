/**
 * The parts of a profile that shape its requests: headers, request options and per-model overrides.
 * Each part is checked on its own against the manifest's schema; one that cannot work is left out
 * of the request, and a notice says so, while the rest of the profile stays usable.
 */
import type { ModelOverride } from '../endpoint/profile';
import type { ChatOptions } from '../endpoint/requestBuilder';
import type { ImageGeometry } from '../images/imagePolicy';
import type { Translate } from '../l10n/translate';
import { checkValue, type SettingProblem, type SettingSchema } from './settingSchema';

export function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The headers of one profile: valid ones kept, others named. */
export function readHeaders(
  value: unknown,
  path: string,
  setting: string,
  t: Translate,
  notices: SettingProblem[],
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const schema: SettingSchema = { type: 'object', additionalProperties: { type: 'string' } };
  if (!isObject(value)) {
    for (const p of checkValue(schema, value, path, setting, t)) notices.push(leftOut(p, t));
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(value)) {
    const problems = checkValue({ type: 'string' }, header, `${path}.${name}`, setting, t);
    if (problems.length) {
      notices.push(...problems.map((p) => leftOut(p, t)));
      continue;
    }
    headers[name] = header as string;
  }
  return Object.keys(headers).length ? headers : undefined;
}

/** A problem with a part the request goes without: the message says so. */
function leftOut(problem: SettingProblem, t: Translate): SettingProblem {
  return { ...problem, message: t('{0} It was left out of the request.', problem.message) };
}

/** Request options checked one by one against the manifest's `relayChat.requestOptions` schema. */
export function readOptions(
  schema: SettingSchema,
  value: unknown,
  path: string,
  setting: string,
  t: Translate,
  notices: SettingProblem[],
): ChatOptions {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    notices.push(...checkValue({ type: 'object' }, value, path, setting, t).map((p) => leftOut(p, t)));
    return {};
  }
  const options: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(value)) {
    const problems = checkValue({ ...schema, required: [] }, { [name]: option }, path, setting, t);
    if (problems.length) notices.push(...problems.map((p) => leftOut(p, t)));
    else options[name] = option;
  }
  return options as ChatOptions;
}

/** A profile's per-model overrides (`models`), each part checked and kept or left out on its own. */
export function readModels(
  value: unknown,
  path: string,
  setting: string,
  optionsSchema: SettingSchema,
  t: Translate,
  notices: SettingProblem[],
): Record<string, ModelOverride> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    notices.push(...checkValue({ type: 'object' }, value, path, setting, t).map((p) => leftOut(p, t)));
    return undefined;
  }
  const models: Record<string, ModelOverride> = {};
  for (const [pattern, raw] of Object.entries(value)) {
    const at = `${path}.${pattern}`;
    if (!isObject(raw)) {
      notices.push(...checkValue({ type: 'object' }, raw, at, setting, t).map((p) => leftOut(p, t)));
      continue;
    }
    const override: ModelOverride = {};
    const options = readOptions(optionsSchema, raw.options, `${at}.options`, setting, t, notices);
    if (Object.keys(options).length) override.options = options;
    const headers = readHeaders(raw.headers, `${at}.headers`, setting, t, notices);
    if (headers) override.headers = headers;
    for (const limit of ['contextWindow', 'maxOutputTokens'] as const) {
      const value = raw[limit];
      if (value === undefined) continue;
      const problems = checkValue({ type: 'integer', minimum: 1 }, value, `${at}.${limit}`, setting, t);
      if (problems.length) notices.push(...problems.map((p) => leftOut(p, t)));
      else override[limit] = value as number;
    }
    if (raw.vision !== undefined) {
      const problems = checkValue({ type: 'boolean' }, raw.vision, `${at}.vision`, setting, t);
      if (problems.length) notices.push(...problems.map((p) => leftOut(p, t)));
      else override.vision = raw.vision as boolean;
    }
    if (raw.imageGeometry !== undefined) {
      const schema = { type: 'string', enum: ['openai', 'claude', 'original'] } as const;
      const problems = checkValue(schema, raw.imageGeometry, `${at}.imageGeometry`, setting, t);
      if (problems.length) notices.push(...problems.map((p) => leftOut(p, t)));
      else override.imageGeometry = raw.imageGeometry as ImageGeometry;
    }
    if (raw.systemPrompt !== undefined) {
      const problems = checkValue({ type: 'string' }, raw.systemPrompt, `${at}.systemPrompt`, setting, t);
      if (problems.length) notices.push(...problems.map((p) => leftOut(p, t)));
      else if ((raw.systemPrompt as string).trim()) override.systemPrompt = raw.systemPrompt as string;
    }
    models[pattern] = override;
  }
  return models;
}

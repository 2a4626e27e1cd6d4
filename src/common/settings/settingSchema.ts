/**
 * The small part of JSON Schema that the manifest's `contributes.configuration` uses, checked by
 * hand: the extension bundle carries no schema library. Every problem is one sentence that names
 * the setting, says what is wrong and what is expected.
 */
import type { Translate } from '../l10n/translate';

export type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface SettingSchema {
  type?: SchemaType | readonly SchemaType[];
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  properties?: Readonly<Record<string, SettingSchema>>;
  required?: readonly string[];
  additionalProperties?: boolean | SettingSchema;
  items?: SettingSchema;
  default?: unknown;
  /** The first one is quoted in "expected …" sentences. */
  examples?: readonly unknown[];
}

export interface SettingProblem {
  /** The top-level setting to open, e.g. `relayChat.profiles`. */
  setting: string;
  /** Where exactly, e.g. `relayChat.profiles[1].baseUrl`. */
  path: string;
  /** One sentence: the path, what is wrong, what is expected. */
  message: string;
}

/** A key pasted into the wrong place is never repeated back. */
export function looksLikeCredential(value: string): boolean {
  return /^\s*(bearer\s+)?sk-/i.test(value);
}

function typeOf(value: unknown): SchemaType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as SchemaType;
}

function matchesType(value: unknown, type: SchemaType): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** How the value the user wrote reads in a sentence. */
export function describeFound(value: unknown, t: Translate): string {
  switch (typeOf(value)) {
    case 'string': {
      const text = value as string;
      if (looksLikeCredential(text)) return t('a key (not shown)');
      return t('the text "{0}"', text.length > 60 ? `${text.slice(0, 57)}…` : text);
    }
    case 'number':
    case 'integer':
      return t('the number {0}', String(value));
    case 'boolean':
    case 'null':
      return t('the value {0}', String(value));
    case 'array':
      return t('a list');
    default:
      return t('an object');
  }
}

function describeType(type: SchemaType, schema: SettingSchema, t: Translate): string {
  switch (type) {
    case 'string':
      return t('text');
    case 'number':
      return t('a number');
    case 'integer':
      return t('a whole number');
    case 'boolean':
      return t('true or false');
    case 'null':
      return 'null';
    case 'array': {
      const items = schema.items;
      if (items?.required?.length) return t('a list of objects with {0}', items.required.join(', '));
      if (items?.type === 'string') return t('a list of texts');
      return t('a list');
    }
    case 'object': {
      if (schema.required?.length) return t('an object with {0}', schema.required.join(', '));
      const values =
        typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
      if (values?.type === 'string') return t('an object of text values');
      if (values?.type === 'number') return t('an object of number values');
      return t('an object');
    }
  }
}

function withRange(text: string, schema: SettingSchema, t: Translate): string {
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined) return t('{0} from {1} to {2}', text, min, max);
  if (min !== undefined) return t('{0} of at least {1}', text, min);
  if (max !== undefined) return t('{0} of at most {1}', text, max);
  return text;
}

/** What the schema accepts, in words: "a number from 0 to 2", "one of "enter", "ctrlEnter"". */
export function describeExpected(schema: SettingSchema, t: Translate): string {
  if (schema.enum) return t('one of {0}', schema.enum.map((v) => JSON.stringify(v)).join(', '));
  const types =
    schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;
  if (!types.length) return t('any value');
  const words = types.map((type) => {
    const text = describeType(type, schema, t);
    return type === 'number' || type === 'integer' ? withRange(text, schema, t) : text;
  });
  const text = words.reduce((all, word) => t('{0} or {1}', all, word));
  return schema.examples?.length ? t('{0}, such as {1}', text, JSON.stringify(schema.examples[0])) : text;
}

/** Every way `value` breaks `schema`; an empty list when it fits. */
export function checkValue(
  schema: SettingSchema,
  value: unknown,
  path: string,
  setting: string,
  t: Translate,
): SettingProblem[] {
  const problem = (message: string): SettingProblem => ({ setting, path, message });
  const wrong = () => [
    problem(t('{0} is {1}; expected {2}.', path, describeFound(value, t), describeExpected(schema, t))),
  ];
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((type) => matchesType(value, type))) return wrong();
  }
  if (schema.enum && !schema.enum.includes(value)) return wrong();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return wrong();
    if (schema.minimum !== undefined && value < schema.minimum) return wrong();
    if (schema.maximum !== undefined && value > schema.maximum) return wrong();
    return [];
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    return items ? value.flatMap((item, i) => checkValue(items, item, `${path}[${i}]`, setting, t)) : [];
  }
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const problems: SettingProblem[] = [];
    for (const key of schema.required ?? []) {
      if (object[key] === undefined) {
        const sub = schema.properties?.[key] ?? {};
        problems.push({
          setting,
          path: `${path}.${key}`,
          message: t('{0} is missing; expected {1}.', `${path}.${key}`, describeExpected(sub, t)),
        });
      }
    }
    for (const [key, item] of Object.entries(object)) {
      const sub = schema.properties?.[key];
      const subPath = `${path}.${key}`;
      if (sub) {
        problems.push(...checkValue(sub, item, subPath, setting, t));
      } else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {});
        problems.push({
          setting,
          path: subPath,
          message: t('{0} is not a known setting; expected only {1}.', subPath, known.join(', ')),
        });
      } else if (typeof schema.additionalProperties === 'object') {
        problems.push(...checkValue(schema.additionalProperties, item, subPath, setting, t));
      }
    }
    return problems;
  }
  return [];
}

import type { Translate } from '../l10n/translate';
import type { StructuredSchema } from './structuredTypes';
import { schemaProblem } from './validateAnswer';

export type SchemaSource =
  | { ok: true; schema: StructuredSchema }
  | { ok: false; problem: 'json' | 'notObject' | 'unusable'; detail?: string };

/**
 * A schema from a workspace file or pasted text. Takes the schema itself, or the object OpenAI's
 * `json_schema` field holds (`{"name", "schema", "strict"}`), whose name then wins over `fallbackName`.
 */
export function readSchema(text: string, fallbackName: string): SchemaSource {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: 'json', detail: err instanceof Error ? err.message : String(err) };
  }
  if (!isObject(value)) return { ok: false, problem: 'notObject' };
  let schema = value;
  let name = typeof value.title === 'string' && value.title.trim() ? value.title : fallbackName;
  if (isObject(value.schema) && typeof value.name === 'string') {
    schema = value.schema;
    name = value.name;
  }
  const unusable = schemaProblem(schema);
  if (unusable) return { ok: false, problem: 'unusable', detail: unusable };
  return { ok: true, schema: { name: schemaName(name), schema } };
}

/**
 * A schema kept from an earlier session (workspace state), checked again as if just picked: a
 * value that is no longer usable is dropped, not sent.
 */
export function storedSchema(value: unknown): StructuredSchema | undefined {
  if (!isObject(value) || typeof value.name !== 'string' || !isObject(value.schema)) return undefined;
  const source = readSchema(JSON.stringify({ name: value.name, schema: value.schema }), value.name);
  return source.ok ? source.schema : undefined;
}

/** A name the API takes (`^[A-Za-z0-9_-]{1,64}$`) from a file name or a title. */
export function schemaName(raw: string): string {
  const name = raw
    .replace(/(\.schema)?\.json$/i, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return name || 'schema';
}

/** What is wrong with a schema, for the input box or the error message, before anything is sent. */
export function describeSchemaProblem(source: Extract<SchemaSource, { ok: false }>, t: Translate): string {
  switch (source.problem) {
    case 'json':
      return t('This is not valid JSON: {0}', source.detail ?? '');
    case 'notObject':
      return t('A JSON Schema is an object, such as {"type": "object", "properties": {…}}.');
    case 'unusable':
      return t('This schema cannot be used to check answers: {0}', source.detail ?? '');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

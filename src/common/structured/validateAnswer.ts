import { Validator, type OutputUnit, type SchemaDraft } from '@cfworker/json-schema';
import { identityTranslate, type Translate } from '../l10n/translate';
import { parseAnswerJson } from './answerJson';
import {
  MAX_ERRORS,
  type SchemaError,
  type StructuredResult,
  type StructuredSchema,
} from './structuredTypes';

/**
 * Checks a finished answer against the schema it was asked for, on the host (the panel only shows
 * the result). @cfworker/json-schema does the validating; what is ours is reading its output as a
 * person would: only the errors that say what is wrong (not "property X does not match" around
 * them), each at its JSON Pointer, in the user's language.
 */
export function checkAnswer(
  text: string,
  schema: StructuredSchema,
  t: Translate = identityTranslate,
): StructuredResult {
  const parsed = parseAnswerJson(text);
  if (!parsed.ok) return { schema: schema.name, json: false, parseError: parsed.error, errors: [] };
  let units: OutputUnit[];
  try {
    units = validator(schema.schema).validate(parsed.value).errors;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    units = [{ instanceLocation: '#', keyword: 'schema', keywordLocation: '#', error: detail }];
  }
  const errors = readErrors(units, schema.schema, parsed.value, t);
  return {
    schema: schema.name,
    json: true,
    errors: errors.slice(0, MAX_ERRORS),
    ...(errors.length > MAX_ERRORS ? { moreErrors: errors.length - MAX_ERRORS } : {}),
  };
}

/** Why a schema cannot check anything (an unresolved $ref, a bad pattern); undefined when it can. */
export function schemaProblem(schema: Record<string, unknown>): string | undefined {
  try {
    // Every keyword of the root is looked at for an object; refs resolve on first use.
    validator(schema).validate({});
    return undefined;
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).split('\n')[0];
  }
}

const DRAFTS: Record<string, SchemaDraft> = {
  'draft-04': '4',
  'draft-07': '7',
  '2019-09': '2019-09',
  '2020-12': '2020-12',
};

function validator(schema: Record<string, unknown>): Validator {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  const draft = Object.entries(DRAFTS).find(([id]) => declared.includes(id))?.[1] ?? '2020-12';
  return new Validator(schema as object, draft, false);
}

// Keywords whose error only says "something inside did not match": the errors inside say what.
const WRAPPERS = new Set([
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'dependentSchemas',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  '$ref',
  '$dynamicRef',
  '$recursiveRef',
  'allOf',
  'if',
  'then',
  'else',
]);
// Keywords whose own error is the clearer one: what failed inside each branch is noise.
const BRANCHES = new Set(['anyOf', 'oneOf', 'not']);

function readErrors(units: OutputUnit[], schema: unknown, answer: unknown, t: Translate): SchemaError[] {
  const branches = units.filter((u) => BRANCHES.has(u.keyword)).map((u) => `${u.keywordLocation}/`);
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const unit of units) {
    if (WRAPPERS.has(unit.keyword)) continue;
    if (branches.some((prefix) => unit.keywordLocation.startsWith(prefix))) continue;
    const path = displayPath(unit.instanceLocation);
    for (const message of describe(unit, schema, answer, t)) {
      const key = `${path}\n${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ path, message });
    }
  }
  return out;
}

function describe(unit: OutputUnit, schema: unknown, answer: unknown, t: Translate): string[] {
  const expected = schemaAt(schema, unit.keywordLocation);
  const json = (v: unknown) => JSON.stringify(v);
  switch (unit.keyword) {
    case 'type':
      return [t('must be {0}', (Array.isArray(expected) ? expected : [expected]).join(' | '))];
    case 'required': {
      const at = valueAt(answer, unit.instanceLocation);
      const names = Array.isArray(expected) ? expected.filter((k) => typeof k === 'string') : [];
      const missing = names.filter((k) => !at || typeof at !== 'object' || !Object.hasOwn(at, k));
      return missing.map((k) => t('must have required property {0}', json(k)));
    }
    case 'enum':
      return [t('must be one of {0}', Array.isArray(expected) ? expected.map(json).join(', ') : '')];
    case 'const':
      return [t('must equal {0}', json(expected))];
    case 'minimum':
      return [t('must be >= {0}', String(expected))];
    case 'maximum':
      return [t('must be <= {0}', String(expected))];
    case 'exclusiveMinimum':
      return [t('must be > {0}', String(expected))];
    case 'exclusiveMaximum':
      return [t('must be < {0}', String(expected))];
    case 'multipleOf':
      return [t('must be a multiple of {0}', String(expected))];
    case 'minLength':
      return [t('must have at least {0} characters', String(expected))];
    case 'maxLength':
      return [t('must have at most {0} characters', String(expected))];
    case 'pattern':
      return [t('must match the pattern {0}', String(expected))];
    case 'format':
      return [t('must be a valid {0}', String(expected))];
    case 'minItems':
      return [t('must have at least {0} items', String(expected))];
    case 'maxItems':
      return [t('must have at most {0} items', String(expected))];
    case 'uniqueItems':
      return [t('must not have duplicate items')];
    case 'contains':
      return [t('must contain a matching item')];
    case 'minProperties':
      return [t('must have at least {0} properties', String(expected))];
    case 'maxProperties':
      return [t('must have at most {0} properties', String(expected))];
    case 'false':
      // `additionalProperties: false` (and the like) refusing this property.
      return [t('is not allowed here')];
    case 'anyOf':
      return [t('must match one of the choices in anyOf')];
    case 'oneOf':
      return [t('must match exactly one of the choices in oneOf')];
    case 'not':
      return [t('must not match the schema in not')];
    default:
      // A keyword without words of our own: the validator's (English) words.
      return [unit.error];
  }
}

/** `#/items/0/price` (URI-encoded JSON Pointer) as the user reads it: `/items/0/price`. */
function displayPath(location: string): string {
  const pointer = safeDecode(location.replace(/^#/, ''));
  return pointer || '/';
}

function segments(location: string): string[] {
  const pointer = location.replace(/^#/, '');
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => safeDecode(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(root: unknown, location: string): unknown {
  let node = root;
  for (const segment of segments(location)) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** The schema value a keyword location names, following local `$ref`s as the validator did. */
function schemaAt(root: unknown, location: string): unknown {
  let node = root;
  for (const segment of segments(location)) {
    if (!node || typeof node !== 'object') return undefined;
    const here = node as Record<string, unknown>;
    if (segment === '$ref' && typeof here.$ref === 'string' && here.$ref.startsWith('#')) {
      node = valueAt(root, here.$ref);
      continue;
    }
    node = here[segment];
  }
  return node;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

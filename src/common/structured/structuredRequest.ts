import type { ResponseFormat } from '../endpoint/chatTypes';
import type { StructuredSchema } from './structuredTypes';

/** What the request carries while structured output is on: the schema, strictly. */
export function jsonSchemaFormat(schema: StructuredSchema): ResponseFormat {
  return { type: 'json_schema', json_schema: { name: schema.name, schema: schema.schema, strict: true } };
}

/**
 * For an endpoint that refused `json_schema` and gets `json_object` instead: the schema goes into
 * the system prompt, so the model still knows the shape (and OpenAI's JSON mode wants the word
 * "JSON" in the messages).
 */
export function schemaInstruction(name: string, schema: unknown): string {
  return `Answer with one JSON value, and nothing else, that follows this JSON Schema ("${name}"):\n${JSON.stringify(schema)}`;
}

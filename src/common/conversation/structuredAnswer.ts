import type { ChatOptions } from '../endpoint/requestBuilder';
import type { Translate } from '../l10n/translate';
import type { ViewMessage } from '../panel/protocol';
import { jsonSchemaFormat } from '../structured/structuredRequest';
import type { StructuredSchema } from '../structured/structuredTypes';
import { checkAnswer } from '../structured/validateAnswer';
import type { UpdateAnswer } from './answerEvents';

/**
 * The schema an answer is asked with and checked against. Structured output is for Ask mode: an
 * edit is asked without it, and the answer says so.
 */
export function answerSchema(
  schema: StructuredSchema | undefined,
  editing: boolean,
  view: ViewMessage,
  update: UpdateAnswer,
  t: Translate,
): StructuredSchema | undefined {
  if (!editing) return schema;
  if (schema) {
    const text = t('Structured output is for Ask mode: this edit was asked without the schema.');
    update({ op: 'notice', index: view.notices?.length ?? 0, text });
  }
  return undefined;
}

/** The request's options, asking for JSON that fits the schema when there is one. */
export function askedWithSchema(options: ChatOptions, schema: StructuredSchema | undefined): ChatOptions {
  return schema ? { ...options, responseFormat: jsonSchemaFormat(schema) } : options;
}

/** The finished answer measured against its schema, for the panel to show. */
export function checkStructured(
  view: ViewMessage,
  schema: StructuredSchema | undefined,
  update: UpdateAnswer,
  t: Translate,
): void {
  if (schema && view.text) update({ op: 'structured', result: checkAnswer(view.text, schema, t) });
}

import type { ChatCompletionRequest, ChatMessage } from '../endpoint/chatTypes';
import { schemaInstruction } from './structuredRequest';

/**
 * The `json_schema` downgrade: `json_object` instead, and the schema told to the model in the
 * system prompt (the first system or developer message, or a new one in front). Only a request that
 * still asks for `json_schema` changes, so applying it twice changes nothing more.
 */
export function withSchemaInstruction(body: ChatCompletionRequest): ChatCompletionRequest {
  const format = body.response_format;
  if (format?.type !== 'json_schema') return body;
  const instruction = schemaInstruction(format.json_schema.name, format.json_schema.schema ?? {});
  const first = body.messages[0];
  let messages: ChatMessage[];
  if ((first?.role === 'system' || first?.role === 'developer') && typeof first.content === 'string') {
    messages = [{ ...first, content: `${first.content}\n\n${instruction}` }, ...body.messages.slice(1)];
  } else {
    messages = [{ role: 'system', content: instruction }, ...body.messages];
  }
  return { ...body, response_format: { type: 'json_object' }, messages };
}

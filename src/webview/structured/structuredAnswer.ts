import { parseAnswerJson, prettyJsonBlock } from '../../common/structured/answerJson';
import type { StructuredResult } from '../../common/structured/structuredTypes';
import { el, format } from '../dom';
import type { Strings } from '../strings';
import { markdownStream, type MessageDom } from '../chat/messageDom';

/**
 * A finished structured answer: its JSON pretty-printed in a code block (with the usual copy and
 * insert buttons), then the host's verdict against the schema. Text that is not JSON stays as it
 * came, with the line saying so.
 */
export function renderStructured(dom: MessageDom, strings: Strings): void {
  const result = dom.model.structured;
  if (!result || dom.model.role !== 'assistant') return;
  const parsed = result.json ? parseAnswerJson(dom.model.text) : undefined;
  const answer = el('div', { class: 'structured-answer' });
  dom.body.replaceChildren(answer);
  dom.stream = markdownStream(answer, strings);
  dom.stream.append(parsed?.ok ? prettyJsonBlock(parsed.value) : dom.model.text);
  dom.stream.render(true);
  dom.body.append(resultLine(result, strings));
}

function resultLine(result: StructuredResult, strings: Strings): HTMLElement {
  const valid = result.json && !result.errors.length;
  const line = el('div', {
    class: `schema-result ${valid ? 'valid' : 'invalid'}`,
    'data-testid': 'schema-result',
    'data-valid': String(valid),
  });
  if (!result.json) {
    line.textContent = format(strings.schemaNotJson, result.schema, result.parseError ?? '');
  } else if (valid) {
    line.textContent = format(strings.schemaValid, result.schema);
  } else {
    line.append(el('div', { class: 'schema-result-title' }, format(strings.schemaInvalid, result.schema)));
    const list = el('ul', { class: 'schema-errors' });
    for (const error of result.errors) {
      const item = el('li', { 'data-testid': 'schema-error' });
      item.append(el('code', {}, error.path), `: ${error.message}`);
      list.append(item);
    }
    if (result.moreErrors) list.append(el('li', {}, format(strings.schemaMoreErrors, result.moreErrors)));
    line.append(list);
  }
  return line;
}

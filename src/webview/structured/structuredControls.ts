import type { WebviewToHost } from '../../common/panel/protocol';
import { codicon, el, format, iconButton } from '../dom';
import type { Strings } from '../strings';

/** The parameter menu's "Structured output…": the host offers workspace .json files or a paste box. */
export function structuredOutputButton(
  strings: Strings,
  postToHost: (message: WebviewToHost) => void,
): HTMLButtonElement {
  const button = iconButton(
    'structured-output',
    'json',
    strings.structuredOutputTitle,
    strings.structuredOutput,
    'structured-output',
  );
  button.addEventListener('click', () => postToHost({ type: 'pickSchema' }));
  return button;
}

/** The active schema in the composer, as a chip whose × turns structured output off. */
export class SchemaChip {
  readonly element: HTMLElement;
  private readonly label: HTMLElement;

  constructor(
    private readonly strings: Strings,
    postToHost: (message: WebviewToHost) => void,
  ) {
    this.element = el('div', { class: 'schema-chip chip', 'data-testid': 'schema-chip', hidden: '' });
    this.label = el('span', { class: 'chip-label' });
    const remove = el('button', {
      type: 'button',
      class: 'chip-remove',
      'data-testid': 'schema-remove',
      title: strings.removeSchema,
      'aria-label': strings.removeSchema,
    });
    remove.append(codicon('close'));
    remove.addEventListener('click', () => postToHost({ type: 'clearSchema' }));
    this.element.append(codicon('json'), this.label, remove);
  }

  /** The schema the host asks with now; none hides the chip. */
  set(name: string | undefined): void {
    this.element.hidden = !name;
    this.label.textContent = name ? format(this.strings.schemaChip, name) : '';
    this.element.title = name ? this.strings.structuredOutputTitle : '';
  }
}

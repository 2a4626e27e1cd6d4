/** Element creation for the panel's own chrome; text always goes in as textContent, never as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A button with a visible label and a fuller accessible name (also its tooltip). */
export function actionButton(
  testId: string,
  label: string,
  description: string,
  extraClass = '',
): HTMLButtonElement {
  return el(
    'button',
    {
      type: 'button',
      'data-testid': testId,
      class: extraClass ? `action ${extraClass}` : 'action',
      title: description,
      'aria-label': description,
    },
    label,
  );
}

/** A codicon; decorative, since the button around it carries the name. */
export function codicon(name: string): HTMLSpanElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A button with a codicon, and a visible label where there is room for one. */
export function iconButton(
  testId: string,
  icon: string,
  description: string,
  label = '',
  extraClass = '',
): HTMLButtonElement {
  const button = actionButton(
    testId,
    label,
    description,
    extraClass ? `icon-button ${extraClass}` : 'icon-button',
  );
  button.prepend(codicon(icon));
  return button;
}

/** Fills `{0}`, `{1}`… in a translated template. */
export function format(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

/** Images the panel shows from host data: inline data of the four types the protocol allows. */

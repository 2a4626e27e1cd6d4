import type { CodeAction } from '../common/protocol';

/** Labels the code blocks need; the view passes its translated strings. */
export interface CodeBlockStrings {
  copy: string;
  copied: string;
  copyFailed: string;
  copyCode: string;
  insert: string;
  insertCode: string;
  apply: string;
  applyCode: string;
  open: string;
  openCode: string;
}

const ACTIONS: readonly [CodeAction, keyof CodeBlockStrings, keyof CodeBlockStrings][] = [
  ['insert', 'insert', 'insertCode'],
  ['apply', 'apply', 'applyCode'],
  ['open', 'open', 'openCode'],
];

/**
 * Wraps every `pre > code` of freshly sanitised markdown in a frame with its language, a Copy
 * button and the buttons that hand the code to the editor. Built with DOM calls after sanitising,
 * so nothing here passes through an HTML string. The buttons carry no handlers: the message list
 * delegates their clicks, so blocks re-rendered while streaming need no wiring.
 */
export function decorateCodeBlocks(fragment: DocumentFragment, strings: CodeBlockStrings): void {
  for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
    const code = pre.firstElementChild;
    if (!code || code.tagName !== 'CODE') continue;
    const language = codeLanguage(code);
    const frame = document.createElement('div');
    frame.className = 'code-block';
    const header = document.createElement('div');
    header.className = 'code-header';
    const label = document.createElement('span');
    label.className = 'code-language';
    label.textContent = language;
    const buttons = document.createElement('span');
    buttons.className = 'code-buttons';
    const suffix = language ? ` (${language})` : '';
    for (const [action, text, description] of ACTIONS) {
      buttons.append(codeButton(`code-${action}`, strings[text], strings[description] + suffix, action));
    }
    const copy = codeButton('code-copy', strings.copy, strings.copyCode + suffix);
    copy.className = 'code-copy';
    buttons.append(copy);
    header.append(label, buttons);
    pre.replaceWith(frame);
    frame.append(header, pre);
  }
}

function codeButton(
  testId: string,
  text: string,
  description: string,
  action?: CodeAction,
): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = text;
  button.title = description;
  button.setAttribute('aria-label', description);
  button.setAttribute('data-testid', testId);
  if (action) {
    button.className = 'code-action';
    button.setAttribute('data-code-action', action);
  }
  return button;
}

function codeLanguage(code: Element): string {
  return /(?:^|\s)language-([\w+#.-]+)/.exec(code.className)?.[1] ?? '';
}

/**
 * The source of the block a button belongs to. The highlighted `<code>` holds spans, but its
 * textContent is exactly the fenced text: highlight.js only wraps, never rewrites.
 */
export function codeOf(button: Element): { code: string; language?: string } {
  const code = button.closest('.code-block')?.querySelector('pre > code');
  if (!code) return { code: '' };
  const language = codeLanguage(code);
  return { code: code.textContent ?? '', ...(language ? { language } : {}) };
}

/**
 * While a message streams, its last block may still be growing: hand it to the editor only once
 * done. Judged at click time (the stylesheet dims the same buttons), so the streamed DOM stays
 * exactly a one-shot render.
 */
export function isUnfinishedBlock(button: Element): boolean {
  const block = button.closest('.code-block');
  return !!block && !block.nextElementSibling && !!block.closest('[data-streaming="true"]');
}

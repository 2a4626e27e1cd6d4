import type { CodeAction } from '../../common/panel/protocol';
import { codicon } from '../dom';
import { highlightCode, languageOf } from './highlight';
import { sanitizeToFragment } from './sanitize';

/** Labels the code blocks need (their buttons are icons named by these); the view passes its translated strings. */
export interface CodeBlockStrings {
  copyCode: string;
  insertCode: string;
  applyCode: string;
  openCode: string;
}

const ACTIONS: readonly [CodeAction, string, keyof CodeBlockStrings][] = [
  ['insert', 'insert', 'insertCode'],
  ['apply', 'diff', 'applyCode'],
  ['open', 'go-to-file', 'openCode'],
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
    for (const [action, icon, description] of ACTIONS) {
      buttons.append(codeButton(`code-${action}`, icon, strings[description] + suffix, action));
    }
    const copy = codeButton('code-copy', 'copy', strings.copyCode + suffix);
    copy.className = 'code-copy';
    buttons.append(copy);
    header.append(label, buttons);
    pre.replaceWith(frame);
    frame.append(header, pre);
  }
}

function codeButton(
  testId: string,
  icon: string,
  description: string,
  action?: CodeAction,
): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.append(codicon(icon));
  button.title = description;
  button.setAttribute('aria-label', description);
  button.setAttribute('data-testid', testId);
  button.setAttribute('data-action', action ? 'code' : testId);
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
 * Highlights, in place, the blocks under `root` rendered plain while `language`'s grammar loaded.
 * Only each `<code>`'s children change, through the same sanitiser as all markdown: the text
 * around it is not parsed again, and a settled block stays the node it was.
 */
export function highlightPlainBlocks(root: ParentNode, language: string): void {
  for (const code of Array.from(root.querySelectorAll('.code-block > pre > code'))) {
    const name = codeLanguage(code);
    if (code.childElementCount > 0 || !name || languageOf(name) !== language) continue;
    const html = highlightCode(code.textContent ?? '', name);
    // The wrapper is markdown-it's own for a fence, so the spans parse exactly as in a fresh render.
    const highlighted = html && sanitizeToFragment(`<pre><code>${html}</code></pre>`).querySelector('code');
    if (highlighted) code.replaceChildren(...highlighted.childNodes);
  }
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
  // A long answer's blocks sit in groups (streamingRenderer.ts): the last block of the last group.
  const group = block?.parentElement?.closest('.md-group');
  return (
    !!block &&
    !block.nextElementSibling &&
    !group?.nextElementSibling &&
    !!block.closest('[data-streaming="true"]')
  );
}

import MarkdownIt, { type Token } from 'markdown-it';
import { highlightCode } from './highlight';

/** Image URLs we render in place: inline data only, so markdown never fetches from the network. */
export const INLINE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp);base64,[a-z0-9+/=\s]*$/i;

const md = new MarkdownIt({
  html: false,
  linkify: true,
  typographer: false,
  highlight: (code, language) => highlightCode(code, language),
});

// Table alignment arrives as a style attribute, which the sanitiser (and the CSP) refuse; a class
// keeps the alignment.
md.core.ruler.push('align_classes', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const style = token.attrGet('style');
    if (typeof style !== 'string') continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    const align = /text-align:(left|center|right)/.exec(style)?.[1];
    if (align) token.attrJoin('class', `align-${align}`);
  }
});

// A remote image becomes a link to it: showing it would need a request the user never asked for.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = String(token.attrGet('src') ?? '');
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  if (INLINE_IMAGE.test(src)) {
    return `<img src="${md.utils.escapeHtml(src)}" alt="${md.utils.escapeHtml(alt)}">`;
  }
  const label = md.utils.escapeHtml(alt || src);
  return `<a href="${md.utils.escapeHtml(src)}" class="image-link">[image: ${label}]</a>`;
};

export type MarkdownEnv = Record<string, unknown>;

export function parseMarkdown(text: string, env: MarkdownEnv): Token[] {
  return md.parse(text, env);
}

export function renderTokens(tokens: Token[], env: MarkdownEnv): string {
  return md.renderer.render(tokens, md.options, env);
}

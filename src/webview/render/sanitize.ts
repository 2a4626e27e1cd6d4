import DOMPurify from 'dompurify';
import { INLINE_IMAGE } from './markdown';

/** Where a link may point: the host opens it, so only schemes a browser hands to the OS safely. */
export const SAFE_LINK = /^(?:https?:|mailto:)/i;

// What markdown-it produces, nothing more; html:false already escapes raw HTML, this is the second
// wall in case a renderer rule or a library update lets something through.
const ALLOWED_TAGS = [
  'a',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'img',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'span',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];

const CLASS_TOKEN =
  /^(?:hljs(?:-[\w-]+)?|[a-z]+_|language-[\w+#.-]+|align-(?:left|center|right)|image-link)$/;

const purifier = DOMPurify(window);

purifier.addHook('uponSanitizeAttribute', (node, data) => {
  if (data.attrName === 'src' && !(node.nodeName === 'IMG' && INLINE_IMAGE.test(data.attrValue))) {
    data.keepAttr = false;
  } else if (data.attrName === 'href' && !SAFE_LINK.test(data.attrValue.trim())) {
    data.keepAttr = false;
  } else if (data.attrName === 'class') {
    data.attrValue = data.attrValue
      .split(/\s+/)
      .filter((name) => CLASS_TOKEN.test(name))
      .join(' ');
  }
});

// Links never navigate the webview: the href moves to data-href and a click handler decides.
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  const element = node as Element;
  const href = element.getAttribute('href');
  element.removeAttribute('href');
  if (href) {
    element.setAttribute('data-href', href);
    element.setAttribute('role', 'link');
    element.setAttribute('tabindex', '0');
    if (!element.hasAttribute('title')) element.setAttribute('title', href);
  }
});

// Set once: a config passed to each sanitize() is parsed again on every call (its tag and attribute
// lists copied into fresh sets), and the panel sanitises several times a second while it streams.
purifier.setConfig({
  ALLOWED_TAGS,
  ALLOWED_ATTR: ['href', 'src', 'alt', 'title', 'class', 'start'],
  FORBID_TAGS: ['style', 'form', 'iframe', 'svg', 'math', 'script', 'object', 'embed', 'base', 'meta'],
  FORBID_ATTR: ['style'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|data:image\/)/i,
  RETURN_DOM_FRAGMENT: true,
});

/** Sanitised nodes ready for the live document; remote images are gone before they are adopted. */
export function sanitizeToFragment(html: string): DocumentFragment {
  return purifier.sanitize(html) as unknown as DocumentFragment;
}

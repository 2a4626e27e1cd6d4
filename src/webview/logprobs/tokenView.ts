/**
 * An answer as its tokens, each shaded by how unsure the model was of it; hovering or focusing a
 * token shows the alternatives the model weighed there. Built only when asked (the toggle was on
 * when the answer settled, or the message's button), never while the answer streams: the
 * markdown path stays as it is. Token text goes into the DOM as text only.
 */
import { percentText, probability, type TokenProbability } from '../../common/logprobs/tokenLogprobs';
import { el, format } from '../dom';
import type { Strings } from '../strings';
import { place, unplace, type MessageDom } from '../chat/messageDom';
import { actionIcon } from '../chat/messageView';

const ACTION = 'token-probs';

/** Messages whose reader chose with the button: the toggle no longer decides for them. */
const chosen = new WeakSet<MessageDom>();

/**
 * A settled answer that has token probabilities gets the button that shows them; with `show` (the
 * panel's toggle is on) the tokens show too, unless the reader went back to the formatted answer.
 */
export function offerTokens(dom: MessageDom, strings: Strings, show: boolean): void {
  const bar = dom.slots.actions;
  if (
    dom.model.role !== 'assistant' ||
    dom.model.status === 'streaming' ||
    !dom.model.logprobs?.length ||
    !bar
  )
    return;
  if (!bar.querySelector(`[data-action="${ACTION}"]`)) {
    const button = actionIcon(ACTION, 'symbol-numeric', strings.showTokenProbabilities);
    button.setAttribute('aria-pressed', 'false');
    bar.prepend(button);
  }
  if (show && !dom.slots.tokens && !chosen.has(dom)) showTokens(dom, strings, true);
}

/** The message's button: tokens, or the formatted answer again. */
export function toggleTokens(dom: MessageDom, strings: Strings): void {
  chosen.add(dom);
  showTokens(dom, strings, !dom.slots.tokens);
}

/** The answer streams again (Continue): the formatted answer shows it, and the button waits. */
export function withdrawTokens(dom: MessageDom): void {
  showTokens(dom, undefined, false);
  dom.slots.actions?.querySelector(`[data-action="${ACTION}"]`)?.remove();
}

function showTokens(dom: MessageDom, strings: Strings | undefined, show: boolean): void {
  dom.slots.actions?.querySelector(`[data-action="${ACTION}"]`)?.setAttribute('aria-pressed', String(show));
  const tokens = dom.model.logprobs;
  if (!show || !strings || !tokens?.length) {
    if (dom.slots.tokens) {
      unplace(dom, 'tokens');
      dom.body.hidden = dom.choice > 0;
    }
    return;
  }
  place(dom, 'tokens', tokenView(dom.model.id, tokens, strings));
  dom.body.hidden = true;
}

/** How strongly a token is shaded, 0 (the model was sure) to 1; CSS turns it into a background. */
export const shadeOf = (logprob: number) => (1 - probability(logprob)).toFixed(2);

/** Whitespace made visible, so " the" and "the" and a line break can be told apart in the list. */
const visible = (token: string) => token.replace(/ /g, '␣').replace(/\n/g, '↵').replace(/\t/g, '⇥');

function tokenView(messageId: string, tokens: readonly TokenProbability[], strings: Strings): HTMLElement {
  const view = el('div', {
    class: 'tokens',
    'data-testid': 'token-view',
    role: 'group',
    'aria-label': strings.tokenView,
  });
  const fragment = document.createDocumentFragment();
  tokens.forEach((t, i) => {
    const span = el(
      'span',
      { 'data-role': 'token', 'data-index': String(i), tabindex: i ? '-1' : '0' },
      t.token,
    );
    span.style.setProperty('--token-shade', shadeOf(t.logprob));
    fragment.append(span);
  });
  view.append(fragment);

  let popup: HTMLElement | undefined;
  let current: HTMLElement | undefined;
  const tokenOf = (target: EventTarget | null) =>
    target instanceof Element ? target.closest<HTMLElement>('[data-role="token"]') : null;
  const open = (span: HTMLElement) => {
    if (span === current && popup && !popup.hidden) return;
    const token = tokens[Number(span.dataset.index)];
    if (!token) return;
    popup ??= el('div', {
      class: 'token-alternatives',
      role: 'tooltip',
      id: `token-alternatives-${messageId}`,
      'data-testid': 'token-alternatives',
    });
    current?.removeAttribute('aria-describedby');
    current = span;
    span.setAttribute('aria-describedby', popup.id);
    fillAlternatives(popup, token, strings);
    popup.hidden = false;
    if (!popup.isConnected) view.append(popup);
    // Messages contain their paint (content-visibility), which would clip the popup: not while open.
    view.closest('.message')?.classList.add('token-popup-open');
    // Layout is read on hover or focus only: under the token, or above it at the list's end.
    const list = view.closest('.messages') ?? document.documentElement;
    const room = list.getBoundingClientRect().bottom - span.getBoundingClientRect().bottom;
    const height = popup.offsetHeight;
    const top = room < height + 4 ? span.offsetTop - height - 2 : span.offsetTop + span.offsetHeight + 2;
    popup.style.top = `${top}px`;
    popup.style.left = `${Math.max(0, Math.min(span.offsetLeft, view.clientWidth - popup.offsetWidth))}px`;
  };
  const close = () => {
    view.closest('.message')?.classList.remove('token-popup-open');
    if (popup) popup.hidden = true;
    current?.removeAttribute('aria-describedby');
    current = undefined;
  };
  view.addEventListener('mouseover', (event) => {
    const span = tokenOf(event.target);
    if (span) open(span);
  });
  view.addEventListener('mouseleave', () => {
    if (!view.contains(document.activeElement)) close();
  });
  view.addEventListener('focusin', (event) => {
    const span = tokenOf(event.target);
    if (span) open(span);
  });
  view.addEventListener('focusout', (event) => {
    if (!view.contains(event.relatedTarget as Node | null)) close();
  });
  // One tab stop for the whole answer; the arrow keys move between its tokens.
  view.addEventListener('keydown', (event) => {
    const span = tokenOf(event.target);
    if (!span) return;
    if (event.key === 'Escape') {
      close();
      return;
    }
    const index = Number(span.dataset.index);
    const next =
      event.key === 'ArrowRight'
        ? index + 1
        : event.key === 'ArrowLeft'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tokens.length - 1
              : undefined;
    if (next === undefined || next < 0 || next >= tokens.length) return;
    event.preventDefault();
    const target = view.querySelector<HTMLElement>(`[data-role="token"][data-index="${next}"]`);
    if (!target) return;
    span.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  });
  return view;
}

/** The alternatives at one position, most likely first, the chosen one marked. */
function fillAlternatives(popup: HTMLElement, token: TokenProbability, strings: Strings): void {
  const caption = el(
    'div',
    { class: 'token-caption' },
    format(strings.tokenAlternatives, visible(token.token)),
  );
  const list = el('ol', { class: 'token-alternative-list' });
  for (const alt of token.top?.length ? token.top : [token]) {
    const chosen = alt.token === token.token;
    const item = el('li', chosen ? { class: 'chosen', 'aria-current': 'true' } : {});
    item.append(
      el('span', { class: 'alt-token' }, visible(alt.token)),
      el('span', { class: 'alt-percent' }, percentText(alt.logprob)),
    );
    list.append(item);
  }
  popup.replaceChildren(caption, list);
}

import { meterTotal, METER_WARNING_SHARE, type Draft } from '../../common/context/contextMeter';
import { compactTokens } from '../../common/context/tokenLabels';
import type { ContextInfo, WebviewToHost } from '../../common/panel/protocol';
import { el, format } from '../dom';
import type { Strings } from '../strings';

/**
 * "5.1k / 8.2k" beside Send: the next request's estimate over the model's window, the draft
 * included as it is typed. When the request and the answer reserve come near the window it takes
 * the warning colour; its tooltip lists what the request carries, and the reserve. When earlier messages will be left out, New Chat sits beside it.
 */
export class ContextMeter {
  readonly element: HTMLElement;
  private readonly figure: HTMLElement;
  private readonly newChat: HTMLButtonElement;
  private info: ContextInfo | undefined;
  private draft: Draft = { text: '', images: [], includeSelection: false };

  constructor(
    private readonly strings: Strings,
    postToHost: (message: WebviewToHost) => void,
  ) {
    this.element = el('span', { class: 'context-meter-row' });
    this.figure = el('span', { class: 'context-meter', 'data-testid': 'context-meter', tabindex: '0' });
    this.newChat = el(
      'button',
      { type: 'button', class: 'context-new-chat', 'data-testid': 'context-new-chat', hidden: '' },
      strings.newChat,
    );
    this.newChat.addEventListener('click', () => postToHost({ type: 'newChat' }));
    this.element.append(this.figure, this.newChat);
    this.element.hidden = true;
  }

  setInfo(info: ContextInfo): void {
    this.info = info;
    this.render();
  }

  setDraft(draft: Draft): void {
    this.draft = draft;
    this.render();
  }

  private render(): void {
    const info = this.info;
    if (!info) return;
    const s = this.strings;
    // The figure is what the request carries: an empty composer reads next to nothing, not the
    // answer reserve. The colour is whether request and reserve fit the window.
    const { request, total, draft, attachments, context } = meterTotal(info, this.draft);
    const level =
      info.window === undefined
        ? 'unknown'
        : total > info.window
          ? 'over'
          : total >= info.window * METER_WARNING_SHARE
            ? 'warning'
            : 'ok';
    this.figure.textContent =
      info.window === undefined
        ? compactTokens(request)
        : `${compactTokens(request)} / ${compactTokens(info.window)}`;
    this.figure.setAttribute('data-level', level);
    const lines = [
      info.window === undefined
        ? format(s.contextUnknownWindow, request)
        : format(s.contextHead, request, info.window),
      format(s.contextSystem, info.system),
      format(s.contextTurns, info.turns, info.history),
      ...(info.leftOut ? [format(s.contextLeftOut, info.leftOut)] : []),
      format(s.contextAttachments, attachments),
      ...(context ? [format(s.contextMentions, context)] : []),
      format(s.contextDraft, draft),
      format(s.contextReserve, info.reserve),
    ];
    this.figure.title = lines.join('\n');
    this.figure.setAttribute('aria-label', lines.join('. '));
    this.newChat.hidden = !(info.leftOut > 0 || level === 'over');
    this.element.hidden = false;
  }
}

import type { CodeAction, WebviewToHost } from '../../common/panel/protocol';
import { codeOf, isUnfinishedBlock } from '../render/codeBlock';
import { SAFE_LINK } from '../render/sanitize';
import type { Strings } from '../strings';
import { shownText, stepChoice } from './alternatives';
import { copyWithFeedback } from './clipboard';
import { isSendKey, type SendOn } from './composer';
import { endEdit, isEditBox, saveEdit, startEdit } from './editMode';
import { messageIdOf, type MessageDom } from './messageDom';
import { toggleTokens } from '../logprobs/tokenView';

/** What the conversation's buttons, links and edit boxes need from the view that shows it. */
export interface ConversationContext {
  strings: Strings;
  postToHost(message: WebviewToHost): void;
  /** The message on screen with this id. */
  message(id: string): MessageDom | undefined;
  showEarlier(): void;
  /** The composer's send key also saves an edited message. */
  sendKey(): SendOn;
}

/**
 * What the reader does inside the conversation: one listener for every message's buttons (by
 * their `data-action`), links and edit boxes, so messages added later need none of their own.
 */
export function listenToConversation(list: HTMLElement, ctx: ConversationContext): void {
  list.addEventListener('click', (event) => onClick(event, ctx));
  list.addEventListener('keydown', (event) => onKeyDown(event, ctx));
}

/** A clicked (or Enter-pressed) markdown link; the host opens it. */
function openLink(url: string, ctx: ConversationContext): void {
  if (SAFE_LINK.test(url)) ctx.postToHost({ type: 'openLink', url });
}

/** Clicks inside the conversation, dispatched by the `data-action` of the button clicked. */
function onClick(event: MouseEvent, ctx: ConversationContext): void {
  const target = event.target as Element;
  const link = target.closest?.('a[data-href]');
  if (link) {
    event.preventDefault();
    openLink(link.getAttribute('data-href') ?? '', ctx);
    return;
  }
  const button = target.closest?.<HTMLButtonElement>('button[data-action]');
  if (!button) return;
  const action = button.getAttribute('data-action');
  if (action === 'show-earlier') return ctx.showEarlier();
  const dom = ctx.message(messageIdOf(button));
  if (!dom) return;
  switch (action) {
    case 'code':
      if (!isUnfinishedBlock(button)) {
        const codeAction = button.getAttribute('data-code-action') as CodeAction;
        ctx.postToHost({ type: 'code', action: codeAction, ...codeOf(button) });
      }
      break;
    case 'code-copy':
      void copyWithFeedback(button, codeOf(button).code, ctx.strings);
      break;
    case 'copy-message':
      void copyWithFeedback(button, shownText(dom), ctx.strings);
      break;
    case 'stop-answer':
      ctx.postToHost({ type: 'stopAnswer', messageId: dom.model.id });
      break;
    case 'pick-answer':
      ctx.postToHost({ type: 'pickAnswer', messageId: dom.model.id });
      break;
    case 'retry':
      ctx.postToHost({ type: 'retry' });
      break;
    case 'open-settings': {
      const setting = button.getAttribute('data-setting');
      if (setting) ctx.postToHost({ type: 'openSettings', setting });
      break;
    }
    case 'show-log':
      ctx.postToHost({ type: 'showLog' });
      break;
    case 'send-without-attachments':
      ctx.postToHost({ type: 'sendWithoutAttachments' });
      break;
    case 'new-chat':
      ctx.postToHost({ type: 'newChat' });
      break;
    case 'regenerate':
      ctx.postToHost({ type: 'regenerate' });
      break;
    case 'continue':
      ctx.postToHost({ type: 'continue' });
      break;
    case 'delete-message':
      ctx.postToHost({ type: 'delete', messageId: dom.model.id });
      break;
    case 'keep-edits':
    case 'undo-edits':
      ctx.postToHost({ type: 'reviewEdits', accept: action === 'keep-edits', messageId: dom.model.id });
      break;
    case 'open-edit':
      ctx.postToHost({
        type: 'openEdit',
        messageId: dom.model.id,
        index: Number(button.getAttribute('data-index')),
      });
      break;
    case 'edit-message':
      startEdit(dom, ctx.strings);
      break;
    case 'edit-save':
      saveEdit(dom, ctx.postToHost);
      break;
    case 'edit-cancel':
      endEdit(dom);
      break;
    case 'token-probs':
      toggleTokens(dom, ctx.strings);
      break;
    case 'alt-prev':
    case 'alt-next':
      stepChoice(dom, action === 'alt-next' ? 1 : -1, ctx.strings);
      break;
  }
}

function onKeyDown(event: KeyboardEvent, ctx: ConversationContext): void {
  const target = event.target as Element;
  if (isEditBox(target)) {
    const dom = ctx.message(messageIdOf(target));
    if (!dom) return;
    if (isSendKey(event, ctx.sendKey())) {
      event.preventDefault();
      saveEdit(dom, ctx.postToHost);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      endEdit(dom);
    }
    return;
  }
  const link = target.closest?.('a[data-href]');
  if (link && event.key === 'Enter') {
    event.preventDefault();
    openLink(link.getAttribute('data-href') ?? '', ctx);
  }
}

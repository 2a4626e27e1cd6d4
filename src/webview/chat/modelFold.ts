import type { HostToWebview, ViewMessage } from '../../common/panel/protocol';

/** The host messages that change one message's model. */
export type MessageUpdate = Extract<
  HostToWebview,
  {
    type: 'delta' | 'contentWasReasoning' | 'notice' | 'usage' | 'toolCalls' | 'alternatives' | 'resume';
  }
>;

/**
 * How a host message changes the webview's copy of a message: the model half of handling it, kept
 * apart from rendering. Returns false for a message that cannot apply (malformed wire data).
 */
export function foldIntoMessage(model: ViewMessage, update: MessageUpdate): boolean {
  switch (update.type) {
    case 'delta':
      if (update.content) model.text += update.content;
      if (update.refusal) model.refusal = (model.refusal ?? '') + update.refusal;
      return true;
    case 'contentWasReasoning': {
      if (!Number.isInteger(update.from) || update.from < 0) return false;
      const text = model.text ?? '';
      model.text = text.slice(0, update.from);
      model.reasoning = (model.reasoning ?? '') + text.slice(update.from);
      return true;
    }
    case 'notice':
      model.notices = [...(model.notices ?? []), update.text];
      return true;
    case 'usage':
      model.usage = update.usage;
      return true;
    case 'toolCalls':
      if (!Array.isArray(update.calls)) return false;
      model.toolCalls = update.calls;
      return true;
    case 'alternatives':
      if (!Array.isArray(update.texts)) return false;
      model.alternatives = update.texts.filter((t) => typeof t === 'string');
      return true;
    case 'resume':
      model.requestId = update.requestId;
      return true;
  }
}

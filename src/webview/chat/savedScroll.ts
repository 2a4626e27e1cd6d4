// Where the reader was in the conversation, kept in the webview's state across a rebuild.
import type { ViewStore } from './viewState';

export interface SavedScroll {
  /** The conversation it belongs to, by its first message. */
  first: string;
  /** The message the reader was reading, and where its top was below the list's top. */
  anchor: string;
  offset: number;
}

export function savedScroll(store: ViewStore | undefined): SavedScroll | undefined {
  const scroll = (store?.getState() as { scroll?: unknown } | undefined)?.scroll as
    Partial<SavedScroll> | undefined;
  return typeof scroll?.first === 'string' &&
    typeof scroll.anchor === 'string' &&
    typeof scroll.offset === 'number' &&
    Number.isFinite(scroll.offset)
    ? { first: scroll.first, anchor: scroll.anchor, offset: scroll.offset }
    : undefined;
}

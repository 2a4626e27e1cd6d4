/** Where an `@` the user is typing starts, and what they typed after it up to the caret. */
export interface MentionTrigger {
  /** The offset of the `@`. */
  start: number;
  /** The text between the `@` and the caret. */
  query: string;
}

/**
 * The `@query` the caret is in: an `@` at the start of a line or after whitespace, then no
 * whitespace up to the caret (a space ends the mention, as in an e-mail address it never starts
 * one). None while text is selected.
 */
export function findTrigger(
  value: string,
  selectionStart: number,
  selectionEnd: number,
): MentionTrigger | undefined {
  if (selectionStart !== selectionEnd) return undefined;
  for (let at = selectionStart - 1; at >= 0; at--) {
    const c = value[at];
    if (/\s/.test(c)) return undefined;
    if (c === '@' && (at === 0 || /\s/.test(value[at - 1]))) {
      return { start: at, query: value.slice(at + 1, selectionStart) };
    }
  }
  return undefined;
}

/** The text with `@query` (from the trigger to `end`) replaced by `insert`, and where the caret goes. */
export function replaceTrigger(
  value: string,
  trigger: MentionTrigger,
  end: number,
  insert = '',
): { value: string; caret: number } {
  return {
    value: value.slice(0, trigger.start) + insert + value.slice(end),
    caret: trigger.start + insert.length,
  };
}

/** Labels come translated from the host (vscode.l10n) in a JSON script tag; English is the fallback. */
const FALLBACK = {
  composerPlaceholder: 'Ask anything… (Enter to send, Shift+Enter for a new line)',
  composerLabel: 'Message',
  send: 'Send',
  stop: 'Stop',
  newChat: 'New chat',
  retry: 'Retry',
  you: 'You',
  assistant: 'Assistant',
  thinking: 'Thinking',
  stopped: 'Stopped',
  incomplete: 'Incomplete: the answer was cut off',
  empty: 'Select code and run "Ask About Selection", or type a question below.',
  requestId: 'Request id',
};

export type Strings = typeof FALLBACK;

export function loadStrings(doc: Document): Strings {
  const raw = doc.getElementById('relay-l10n')?.textContent;
  if (!raw) return FALLBACK;
  try {
    return { ...FALLBACK, ...(JSON.parse(raw) as Partial<Strings>) };
  } catch {
    return FALLBACK;
  }
}

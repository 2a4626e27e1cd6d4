import { WEBVIEW_STRINGS, type WebviewStringKey } from '../common/panel/webviewStrings';
/** Labels come translated from the host (vscode.l10n) in a JSON script tag; English is the fallback. */
const FALLBACK: Record<WebviewStringKey, string> = WEBVIEW_STRINGS;

export type Strings = Record<WebviewStringKey, string>;

export function loadStrings(doc: Document): Strings {
  const raw = doc.getElementById('relay-l10n')?.textContent;
  if (!raw) return FALLBACK;
  try {
    return { ...FALLBACK, ...(JSON.parse(raw) as Partial<Strings>) };
  } catch {
    return FALLBACK;
  }
}

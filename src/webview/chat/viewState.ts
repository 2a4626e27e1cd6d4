/** The webview's own persisted state (vscode getState/setState): only what the host cannot resend. */
export interface ViewStore {
  getState(): unknown;
  setState(state: unknown): void;
}

/** Merges `part` into the webview's persisted state: the composer and the scroll keep their own keys. */
export function updateViewState(store: ViewStore | undefined, part: object): void {
  if (!store) return;
  const current = store.getState();
  store.setState({ ...(current && typeof current === 'object' ? current : {}), ...part });
}

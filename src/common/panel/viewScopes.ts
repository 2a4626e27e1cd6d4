/** Something to let go of: a listener, a timer, a VS Code `Disposable`. */
export interface Disposable {
  dispose(): void;
}

/**
 * The listeners of the chat view as it is now. VS Code resolves a webview view again each time it
 * is shown after being hidden, and when it moves to the panel or the secondary side bar; each
 * resolve opens a scope and closes the one before, so listeners never pile up on the provider.
 * Closing a scope (the view disposed, the extension deactivated) lets go of everything in it once.
 */
export class ViewScopes implements Disposable {
  private current: Set<Disposable> | undefined;

  /** Listeners held by the views resolved and not yet closed: at most one view's. */
  get live(): number {
    return this.current?.size ?? 0;
  }

  /**
   * Opens the scope of a newly resolved view with its listeners, closing the previous view's.
   * Returns the function that closes this one (idempotent; a no-op once a later view opened).
   */
  open(listeners: Disposable[]): () => void {
    this.dispose();
    const scope = new Set(listeners);
    this.current = scope;
    return () => {
      if (this.current === scope) this.current = undefined;
      release(scope);
    };
  }

  dispose(): void {
    const scope = this.current;
    this.current = undefined;
    if (scope) release(scope);
  }
}

function release(scope: Set<Disposable>): void {
  const all = [...scope];
  scope.clear();
  for (const disposable of all) disposable.dispose();
}

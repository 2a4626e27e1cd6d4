/** Copies text; the Clipboard API needs focus and a secure context, so fall back to a selection. */
export async function copyText(text: string, focusAfter?: HTMLElement): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through to the selection copy.
  }
  const ok = copyWithSelection(text);
  focusAfter?.focus();
  return ok;
}

/** Copies and flips the button's label to "Copied" (or "Copy failed") for a moment. */
export async function copyWithFeedback(
  button: HTMLButtonElement,
  text: string,
  labels: { copy: string; copied: string; copyFailed: string },
): Promise<void> {
  const ok = await copyText(text, button);
  button.textContent = ok ? labels.copied : labels.copyFailed;
  button.setAttribute('data-copied', ok ? 'true' : 'false');
  setTimeout(() => {
    button.textContent = labels.copy;
    button.removeAttribute('data-copied');
  }, 1500);
}

function copyWithSelection(text: string): boolean {
  const scratch = document.createElement('textarea');
  scratch.value = text;
  scratch.setAttribute('readonly', '');
  scratch.className = 'sr-only';
  document.body.append(scratch);
  scratch.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    scratch.remove();
  }
}

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

/** Feedback still showing on a button: its timer, and how to put the button back. */
const showing = new WeakMap<HTMLButtonElement, { timer: ReturnType<typeof setTimeout>; restore(): void }>();

/**
 * Copies and says so for a moment: the icon becomes a check (or an error sign) and the button's
 * name and tooltip become "Copied" (or "Copy failed").
 */
export async function copyWithFeedback(
  button: HTMLButtonElement,
  text: string,
  labels: { copied: string; copyFailed: string },
): Promise<void> {
  const ok = await copyText(text, button);
  const previous = showing.get(button);
  if (previous) {
    clearTimeout(previous.timer);
    previous.restore();
  }
  const icon = button.querySelector('.codicon');
  const saved = { label: button.getAttribute('aria-label'), title: button.title, icon: icon?.className };
  const feedback = ok ? labels.copied : labels.copyFailed;
  button.setAttribute('aria-label', feedback);
  button.title = feedback;
  if (icon) icon.className = `codicon codicon-${ok ? 'check' : 'error'}`;
  button.setAttribute('data-copied', ok ? 'true' : 'false');
  const restore = () => {
    showing.delete(button);
    if (saved.label === null) button.removeAttribute('aria-label');
    else button.setAttribute('aria-label', saved.label);
    button.title = saved.title;
    if (icon && saved.icon) icon.className = saved.icon;
    button.removeAttribute('data-copied');
  };
  showing.set(button, { timer: setTimeout(restore, 1500), restore });
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

import type { WebviewToHost } from '../../common/panel/protocol';
import { el, format, iconButton } from '../dom';
import type { Strings } from '../strings';

/** At most this many models are asked at once (the host caps it too). */
const MAX_CHECKED = 4;

/**
 * The toolbar's Compare button and its list: one checkbox per model of every profile
 * (`<profile id>/<model id>`), with a filter box. Two to four checked turn compare mode on; the
 * host remembers the choice until it is turned off.
 */
export class ComparePicker {
  readonly button: HTMLButtonElement;
  readonly panel: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly list: HTMLElement;
  private selected: string[] = [];

  constructor(
    private readonly strings: Strings,
    private readonly postToHost: (message: WebviewToHost) => void,
  ) {
    this.button = iconButton('compare', 'split-horizontal', strings.compare);
    this.button.setAttribute('aria-expanded', 'false');
    this.button.setAttribute('aria-pressed', 'false');
    this.button.addEventListener('click', () => this.toggle());
    this.panel = el('div', {
      class: 'compare-panel',
      role: 'group',
      'aria-label': strings.compare,
      hidden: '',
    });
    this.filter = el('input', {
      type: 'search',
      'data-testid': 'compare-filter',
      placeholder: strings.compareFilter,
      'aria-label': strings.compareFilter,
    });
    this.filter.addEventListener('input', () => this.applyFilter());
    this.list = el('div', { class: 'compare-list' }, strings.compareLoading);
    this.panel.append(el('p', { class: 'compare-hint' }, strings.compareHint), this.filter, this.list);
    this.panel.addEventListener('change', () => this.changed());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.toggle(false);
        this.button.focus();
      }
    });
  }

  /** The models compare mode asks now (from the host's config). */
  setSelected(selected: readonly string[]): void {
    this.selected = [...selected];
    this.button.setAttribute('aria-pressed', String(this.selected.length >= 2));
    this.button.title =
      this.selected.length >= 2
        ? format(this.strings.compareOn, this.selected.join(', '))
        : this.strings.compare;
    for (const box of this.boxes()) box.checked = this.selected.includes(box.value);
    this.limit();
  }

  /** The host's list of every profile's models. */
  setModels(models: readonly string[], selected: readonly string[]): void {
    this.list.replaceChildren(
      ...[...new Set([...selected, ...models])].map((id) => {
        const label = el('label', { 'data-model': id });
        label.append(el('input', { type: 'checkbox', 'data-testid': 'compare-model', value: id }), id);
        return label;
      }),
    );
    this.setSelected(selected);
    this.applyFilter();
  }

  private boxes(): HTMLInputElement[] {
    return [...this.list.querySelectorAll<HTMLInputElement>('input[data-testid="compare-model"]')];
  }

  private toggle(open = this.panel.hidden): void {
    this.panel.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (open) {
      this.postToHost({ type: 'compareList' });
      this.filter.focus();
    }
  }

  private applyFilter(): void {
    const words = this.filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const label of this.list.querySelectorAll<HTMLElement>('label')) {
      const id = (label.getAttribute('data-model') ?? '').toLowerCase();
      label.hidden = !words.every((w) => id.includes(w));
    }
  }

  /** Four checked: the rest wait until one is unchecked. */
  private limit(): void {
    const checked = this.boxes().filter((b) => b.checked).length;
    for (const box of this.boxes()) box.disabled = !box.checked && checked >= MAX_CHECKED;
  }

  private changed(): void {
    const checked = this.boxes()
      .filter((b) => b.checked)
      .map((b) => b.value);
    this.selected = checked;
    this.limit();
    this.button.setAttribute('aria-pressed', String(checked.length >= 2));
    this.postToHost({ type: 'setCompare', models: checked });
  }
}

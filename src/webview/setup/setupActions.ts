import type { PanelConfig, WebviewToHost } from '../../common/panel/protocol';
import { el } from '../dom';
import type { Strings } from '../strings';

/**
 * The empty state's setup steps while nothing is set up (default base URL, no key): set the base
 * URL, set the key, check the endpoint. Built only when first needed; hidden once set up.
 */
export class SetupActions {
  private element: HTMLElement | undefined;

  constructor(
    private readonly host: HTMLElement,
    private readonly strings: Strings,
    private readonly postToHost: (message: WebviewToHost) => void,
  ) {}

  setConfig(config: PanelConfig): void {
    if (!config.setup) {
      if (this.element) this.element.hidden = true;
      return;
    }
    this.element ??= this.build();
    this.element.hidden = false;
  }

  private build(): HTMLElement {
    const box = el('span', { class: 'setup', 'data-testid': 'setup' });
    box.append(el('span', { class: 'setup-intro' }, this.strings.setupIntro));
    const actions = el('span', { class: 'setup-actions' });
    const button = (testId: string, label: string, action: 'baseUrl' | 'apiKey' | 'check') => {
      const b = el('button', { type: 'button', class: 'action', 'data-testid': testId }, label);
      b.addEventListener('click', () => this.postToHost({ type: 'setup', action }));
      return b;
    };
    actions.append(
      button('setup-base-url', this.strings.setupBaseUrl, 'baseUrl'),
      button('setup-api-key', this.strings.setupApiKey, 'apiKey'),
      button('setup-check', this.strings.setupCheck, 'check'),
    );
    box.append(actions);
    this.host.append(box);
    return box;
  }
}

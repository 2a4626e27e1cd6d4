import type { PanelConfig, PanelOptions, WebviewToHost } from '../../common/panel/protocol';
import { el, format, iconButton } from '../dom';
import type { Strings } from '../strings';
import { usageText } from './messageParts';
import type { UsageTotals } from '../../common/billing/usageTotals';
import { ComparePicker } from '../compare/comparePicker';
import { structuredOutputButton } from '../structured/structuredControls';

const EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;

/**
 * The header: which model and profile answer (each a button that asks the host to pick another),
 * the chat's token total, the parameters menu, History, Export and New chat.
 */
export class Toolbar {
  readonly element: HTMLElement;
  private readonly modelButton: HTMLButtonElement;
  private readonly profileButton: HTMLButtonElement;
  private readonly usageTotal: HTMLElement;
  private readonly paramsButton: HTMLButtonElement;
  private readonly paramsPanel: HTMLElement;
  readonly compare: ComparePicker;
  private readonly temperature: HTMLInputElement;
  private readonly maxTokens: HTMLInputElement;
  private readonly effort: HTMLSelectElement;
  private readonly jsonMode: HTMLInputElement;
  private readonly logprobs: HTMLInputElement;
  private readonly mode: HTMLSelectElement;
  private model = '';
  private profile = '';
  /** What the host last heard (or sent), so one edit that fires two events posts once. */
  private lastOptions = '{}';

  constructor(
    private readonly strings: Strings,
    private readonly postToHost: (message: WebviewToHost) => void,
  ) {
    this.element = el('header', { class: 'toolbar' });
    const left = el('div', { class: 'toolbar-group pickers' });
    this.modelButton = el('button', {
      type: 'button',
      'data-testid': 'model-picker',
      class: 'picker',
      hidden: '',
    });
    this.modelButton.addEventListener('click', () => this.postToHost({ type: 'pickModel' }));
    this.profileButton = el('button', {
      type: 'button',
      'data-testid': 'profile-picker',
      class: 'picker',
      hidden: '',
    });
    this.profileButton.addEventListener('click', () => this.postToHost({ type: 'pickProfile' }));
    left.append(this.modelButton, this.profileButton);
    // Ask answers in text; Edit lets the model change files through tools (remembered per workspace).
    this.mode = el('select', {
      'data-testid': 'mode',
      class: 'mode',
      'aria-label': strings.mode,
      title: strings.mode,
    });
    this.mode.append(
      el('option', { value: 'ask' }, strings.modeAsk),
      el('option', { value: 'edit' }, strings.modeEdit),
    );
    this.mode.addEventListener('change', () =>
      this.postToHost({ type: 'setMode', mode: this.mode.value === 'edit' ? 'edit' : 'ask' }),
    );
    left.append(this.mode);

    this.usageTotal = el('span', { class: 'usage-total', 'data-testid': 'usage-total', hidden: '' });

    const right = el('div', { class: 'toolbar-group' });
    this.paramsButton = iconButton('params', 'settings-gear', strings.parameters);
    this.paramsButton.setAttribute('aria-expanded', 'false');
    this.paramsButton.setAttribute('aria-controls', 'relay-params');
    this.paramsButton.addEventListener('click', () => this.toggleParams());
    const history = iconButton('history', 'history', strings.showHistory);
    history.addEventListener('click', () => this.postToHost({ type: 'showHistory' }));
    const exportButton = iconButton('export', 'export', strings.exportChat);
    exportButton.addEventListener('click', () => this.postToHost({ type: 'export' }));
    const newChat = iconButton('new-chat', 'add', strings.newChat);
    this.compare = new ComparePicker(strings, postToHost);
    right.append(this.compare.button, this.paramsButton, history, exportButton, newChat);
    newChat.addEventListener('click', () => this.postToHost({ type: 'newChat' }));

    this.paramsPanel = el('div', {
      id: 'relay-params',
      class: 'params-panel',
      role: 'group',
      'aria-label': strings.parameters,
      hidden: '',
    });
    this.temperature = el('input', {
      type: 'number',
      min: '0',
      max: '2',
      step: '0.1',
      placeholder: strings.defaultValue,
      'data-testid': 'param-temperature',
    });
    this.maxTokens = el('input', {
      type: 'number',
      min: '1',
      step: '1',
      placeholder: strings.defaultValue,
      'data-testid': 'param-max-tokens',
    });
    this.effort = el('select', { 'data-testid': 'param-effort' });
    this.effort.append(el('option', { value: '' }, strings.effortDefault));
    const effortLabels = {
      minimal: strings.effortMinimal,
      low: strings.effortLow,
      medium: strings.effortMedium,
      high: strings.effortHigh,
    };
    for (const effort of EFFORTS) this.effort.append(el('option', { value: effort }, effortLabels[effort]));
    this.jsonMode = el('input', { type: 'checkbox', 'data-testid': 'param-json' });
    this.logprobs = el('input', {
      type: 'checkbox',
      'data-testid': 'logprobs-toggle',
      title: strings.tokenProbabilitiesTitle,
    });
    this.paramsPanel.append(
      field(strings.temperature, this.temperature),
      field(strings.maxTokens, this.maxTokens),
      field(strings.reasoningEffort, this.effort),
      field(strings.jsonMode, this.jsonMode, 'checkbox-field'),
      field(strings.tokenProbabilities, this.logprobs, 'checkbox-field'),
      structuredOutputButton(strings, postToHost),
    );
    this.paramsPanel.addEventListener('change', () => this.postOptions());
    this.paramsPanel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.toggleParams(false);
        this.paramsButton.focus();
      }
    });
    document.addEventListener('mousedown', (event) => {
      const target = event.target as Node;
      if (
        !this.paramsPanel.hidden &&
        !this.paramsPanel.contains(target) &&
        !this.paramsButton.contains(target)
      ) {
        this.toggleParams(false);
      }
    });

    this.element.append(left, this.usageTotal, right, this.paramsPanel, this.compare.panel);
  }

  /** The Token probabilities toggle: answers that settle while it is on show their tokens. */
  get showsTokens(): boolean {
    return this.logprobs.checked;
  }

  setModel(model: string): void {
    this.model = model;
    this.renderPickers();
  }

  setConfig(config: PanelConfig): void {
    this.model = config.model;
    this.profile = config.profile;
    if (config.mode) this.mode.value = config.mode;
    this.renderPickers();
  }

  setOptions(options: PanelOptions | undefined): void {
    this.temperature.value = options?.temperature === undefined ? '' : String(options.temperature);
    this.maxTokens.value = options?.maxTokens === undefined ? '' : String(options.maxTokens);
    this.effort.value = options?.reasoningEffort ?? '';
    this.jsonMode.checked = options?.jsonMode === true;
    this.logprobs.checked = options?.logprobs === true;
    this.lastOptions = JSON.stringify(this.readOptions());
  }

  setUsageTotal(totals: UsageTotals): void {
    this.usageTotal.hidden = totals.total === 0;
    this.usageTotal.textContent = usageText(
      this.strings.usageTotal,
      [totals.total.toLocaleString()],
      totals.cost,
      totals.estimated,
      totals.currency,
    );
    this.usageTotal.title = format(
      this.strings.usageTotalTitle,
      totals.prompt.toLocaleString(),
      totals.completion.toLocaleString(),
    );
    if (totals.estimated) this.usageTotal.title += `\n${this.strings.usageTotalEstimated}`;
  }

  private renderPickers(): void {
    for (const [button, value, template] of [
      [this.modelButton, this.model, this.strings.pickModel],
      [this.profileButton, this.profile, this.strings.pickProfile],
    ] as const) {
      button.hidden = !value;
      button.textContent = value;
      button.title = format(template, value);
      button.setAttribute('aria-label', format(template, value));
    }
  }

  private toggleParams(open = this.paramsPanel.hidden): void {
    this.paramsPanel.hidden = !open;
    this.paramsButton.setAttribute('aria-expanded', String(open));
    if (open) this.temperature.focus();
  }

  private postOptions(): void {
    const options = this.readOptions();
    const json = JSON.stringify(options);
    if (json === this.lastOptions) return;
    this.lastOptions = json;
    this.postToHost({ type: 'setOptions', options });
  }

  /** Only what the user set; an empty field means the endpoint's default. */
  private readOptions(): PanelOptions {
    const options: PanelOptions = {};
    const temperature = this.temperature.valueAsNumber;
    if (this.temperature.value !== '' && Number.isFinite(temperature)) {
      options.temperature = Math.min(2, Math.max(0, temperature));
    }
    const maxTokens = this.maxTokens.valueAsNumber;
    if (this.maxTokens.value !== '' && Number.isFinite(maxTokens) && maxTokens >= 1) {
      options.maxTokens = Math.floor(maxTokens);
    }
    const effort = EFFORTS.find((e) => e === this.effort.value);
    if (effort) options.reasoningEffort = effort;
    if (this.jsonMode.checked) options.jsonMode = true;
    if (this.logprobs.checked) options.logprobs = true;
    return options;
  }
}

function field(label: string, control: HTMLElement, extraClass = ''): HTMLLabelElement {
  const wrapper = el('label', { class: extraClass ? `field ${extraClass}` : 'field' });
  wrapper.append(el('span', {}, label), control);
  return wrapper;
}

import {
  type Attachment,
  type HostToWebview,
  type PanelConfig,
  type WebviewToHost,
} from '../../common/panel/protocol';
import { isWebviewToHost } from '../../common/panel/protocolGuards';
import { acceptsDrag, droppedUris, pastedFiles } from './attachments';
import { DEFAULT_PANEL_IMAGES, isImageName, rawImageBlob } from '../images/imageAttachments';
import { codicon, el, format, iconButton } from '../dom';
import type { Strings } from '../strings';
import type { Draft } from '../../common/context/contextMeter';
import { attachmentChip, sendFields, type Chip, type ChipEntry } from './chips/chipModel';
import { ChipStrip } from './chips/chipStrip';
import { SelectionOffer } from './chips/selectionOffer';
import { ImageIntake } from './imageIntake';
import { updateViewState, type ViewStore } from './viewState';
import { ComposerMentions, type MentionHostMessage } from './mentions/composerMentions';
import type { SavedMention } from './mentions/mentionChips';

interface SavedComposer {
  draft: string;
  /** Sent messages, most recent first. */
  history: string[];
  /** What was attached but not sent yet: it survives the panel being rebuilt. */
  attachments: Attachment[];
  /** The @-mentions not sent yet, with what the host last measured of them. */
  mentions: SavedMention[];
}

const HISTORY_LIMIT = 50;

export type SendOn = PanelConfig['sendOn'];

/** Whether a keydown is "send" under the user's setting; never while an IME is composing. */
export function isSendKey(event: KeyboardEvent, sendOn: SendOn): boolean {
  if (event.key !== 'Enter' || event.isComposing) return false;
  if (sendOn === 'ctrlEnter') return event.ctrlKey || event.metaKey;
  return !event.shiftKey;
}

/**
 * The message box: text with Up/Down history, Send and Stop. What goes with the text (the editor
 * selection, images, files) lives in the chip strip; images come in through the image intake.
 */
export class Composer {
  readonly form: HTMLFormElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly attachButton: HTMLButtonElement;
  private readonly note: HTMLElement;
  private readonly strip: ChipStrip;
  private readonly selection: SelectionOffer;
  private readonly images: ImageIntake;
  private readonly mentions: ComposerMentions;
  /** Sends waiting for their images' pipeline to settle, posted in order. */
  private outbox: Promise<void> | undefined;
  /** The model, when it is known to see no images: sending them is stopped here, with a reason. */
  private blindModel: string | undefined;
  private sendOn: SendOn = 'enter';
  private streaming = false;
  private history: string[];
  /** -1: editing the draft; otherwise the history entry shown. */
  private historyIndex = -1;
  private draftBeforeHistory = '';
  private readonly actions: HTMLElement;
  private meter: { element: HTMLElement; setDraft(draft: Draft): void } | undefined;

  constructor(
    private readonly strings: Strings,
    private readonly postToHost: (message: WebviewToHost) => void,
    private readonly store?: ViewStore,
  ) {
    const saved = this.saved();
    this.history = saved.history;
    this.form = el('form', { class: 'composer' });

    this.strip = new ChipStrip(strings, {
      removed: (entry) => {
        this.selection.removed(entry);
        this.persist();
      },
      focusFallback: () => this.textarea.focus(),
      changeDetail: (entry, detail) => void this.images.changeDetail(entry, detail),
    });
    this.selection = new SelectionOffer(this.strip.chips);
    this.images = new ImageIntake(strings, this.strip.chips, {
      attach: (chip) => this.attach(chip),
      settled: () => this.persist(),
      note: (text) => (this.note.textContent = text),
    });

    this.textarea = el('textarea', {
      'data-testid': 'composer',
      rows: '3',
      placeholder: strings.composerPlaceholder,
      'aria-label': strings.composerLabel,
    });
    this.textarea.value = saved.draft;
    this.note = el('div', { class: 'composer-note', 'aria-live': 'polite' });
    // Before anything restored can ask for `persist`, which reads the mentions.
    this.mentions = new ComposerMentions(
      strings,
      this.textarea,
      this.strip.chips,
      postToHost,
      () => this.persist(),
      saved.mentions,
    );
    for (const attachment of saved.attachments) this.attach(attachmentChip(attachment), false);
    this.textarea.addEventListener('input', () => {
      this.historyIndex = -1;
      this.persist();
    });
    this.textarea.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.textarea.addEventListener('paste', (event) => {
      const files = pastedFiles(event.clipboardData);
      if (files.length) void this.images.addFiles(files);
    });

    const fileInput = el('input', {
      type: 'file',
      accept: 'image/*',
      multiple: '',
      hidden: '',
      tabindex: '-1',
    });
    fileInput.addEventListener('change', () => {
      void this.images.addFiles(Array.from(fileInput.files ?? []));
      fileInput.value = '';
    });
    this.attachButton = iconButton('attach-image', 'file-media', strings.attachImage, '', 'attach');
    this.attachButton.addEventListener('click', () => fileInput.click());
    // Files from where the workspace is (also remote), through VS Code's own dialog: images, and
    // WAV/MP3/PDF, which travel as their own parts.
    const attachFileButton = iconButton('attach-file', 'attach', strings.attachFile, '', 'attach');
    attachFileButton.addEventListener('click', () => this.postToHost({ type: 'pickFiles' }));

    const sendButton = el(
      'button',
      { type: 'submit', 'data-testid': 'send', class: 'primary' },
      strings.send,
    );
    this.stopButton = el('button', {
      type: 'button',
      'data-testid': 'stop',
      class: 'icon-button',
      hidden: '',
    });
    this.stopButton.append(codicon('debug-stop'), strings.stop);
    this.stopButton.addEventListener('click', () => this.postToHost({ type: 'stop' }));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });

    this.form.addEventListener('dragover', (event) => {
      if (!acceptsDrag(event.dataTransfer)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      this.form.classList.add('drag-over');
    });
    this.form.addEventListener('dragleave', () => this.form.classList.remove('drag-over'));
    this.form.addEventListener('drop', (event) => this.onDrop(event));

    const actions = (this.actions = el('div', { class: 'composer-actions' }));
    const spacer = el('span', { class: 'spacer' });
    actions.append(this.attachButton, attachFileButton, fileInput, spacer, this.stopButton, sendButton);
    this.form.append(this.strip.list, this.mentions.picker, this.textarea, this.note, actions);
  }

  focus(): void {
    this.textarea.focus();
  }

  /** The panel said `ready`: the host can now measure what the composer restored. */
  connected(): void {
    this.mentions.chips.connected();
  }

  handleMentions(message: MentionHostMessage): void {
    this.mentions.handle(message);
  }

  /** The context meter sits beside Send and follows the draft, the attachments and the selection. */
  attachMeter(meter: { element: HTMLElement; setDraft(draft: Draft): void }): void {
    this.meter = meter;
    this.actions.querySelector('.spacer')?.after(meter.element);
    this.draftChanged();
  }

  private draftChanged(): void {
    const chips = this.strip.chips.entries;
    this.meter?.setDraft({
      text: this.textarea.value,
      images: chips.flatMap(({ chip }) => (chip.kind === 'image' ? [chip.attachment.dataUrl] : [])),
      includeSelection: chips.some(({ chip }) => chip.kind === 'selection'),
      contextTokens: this.mentions.chips.tokens,
    });
  }

  get sendKey(): SendOn {
    return this.sendOn;
  }

  setConfig(config: PanelConfig): void {
    this.sendOn = config.sendOn === 'ctrlEnter' ? 'ctrlEnter' : 'enter';
    this.textarea.placeholder =
      this.sendOn === 'ctrlEnter'
        ? this.strings.composerPlaceholderCtrlEnter
        : this.strings.composerPlaceholder;
    this.attachButton.hidden = config.vision === false;
    this.images.config = config.images ?? DEFAULT_PANEL_IMAGES;
    this.blindModel = config.vision === false ? config.model : undefined;
  }

  /** Attach File's WAV, MP3 and PDF files: chips, read by the host when the question is sent. */
  addPickedFiles(files: { name: string; uri: string }[]): void {
    for (const file of files)
      this.attach({ kind: 'file', attachment: { kind: 'file', name: file.name, uri: file.uri } });
  }

  /** Explain Image and Capture Screenshot: the host's bytes go through the same pipeline. */
  async addRawImages(message: Extract<HostToWebview, { type: 'addImages' }>): Promise<void> {
    await this.images.addFiles(
      message.images.map((raw) => new File([rawImageBlob(raw)], raw.name, { type: raw.type })),
    );
    if (message.prompt && !this.textarea.value.trim()) {
      this.textarea.value = message.prompt;
      this.persist();
    }
    if (message.send) this.submit();
    else this.textarea.focus();
  }

  setStreaming(streaming: boolean): void {
    this.streaming = streaming;
    this.stopButton.hidden = !streaming;
  }

  setSelection(label: string | undefined): void {
    this.selection.set(label);
    this.draftChanged();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.mentions.onKeyDown(event)) return;
    if (isSendKey(event, this.sendOn)) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'Escape' && this.streaming) {
      event.preventDefault();
      this.postToHost({ type: 'stop' });
    } else if (
      (event.key === 'ArrowUp' || event.key === 'ArrowDown') &&
      !hasModifier(event) &&
      !event.isComposing
    ) {
      const { selectionStart, selectionEnd, value } = this.textarea;
      if (selectionStart !== selectionEnd) return;
      if (event.key === 'ArrowUp' && selectionStart === 0 && this.recall(this.historyIndex + 1)) {
        event.preventDefault();
        this.textarea.setSelectionRange(0, 0);
      } else if (
        event.key === 'ArrowDown' &&
        selectionEnd === value.length &&
        this.recall(this.historyIndex - 1)
      ) {
        event.preventDefault();
        const end = this.textarea.value.length;
        this.textarea.setSelectionRange(end, end);
      }
    }
  }

  /** Shows history entry `index` (-1: the draft typed before browsing); false when there is none. */
  private recall(index: number): boolean {
    if (index < -1 || index >= this.history.length || index === this.historyIndex) return false;
    if (this.historyIndex === -1) this.draftBeforeHistory = this.textarea.value;
    this.historyIndex = index;
    this.textarea.value = index === -1 ? this.draftBeforeHistory : this.history[index];
    return true;
  }

  private submit(): void {
    const text = this.textarea.value;
    const chips = this.strip.chips;
    const attached = chips.entries.filter(({ chip }) => ['image', 'file', 'mention'].includes(chip.kind));
    if (!text.trim() && !attached.length) return;
    if (this.blindModel && attached.some(({ chip }) => chip.kind === 'image')) {
      this.note.textContent = format(this.strings.noVision, this.blindModel);
      return;
    }
    const entries = [...chips.entries];
    this.selection.take();
    this.post(text.trim() ? text : '', entries);
    if (text.trim() && this.history[0] !== text) {
      this.history = [text, ...this.history].slice(0, HISTORY_LIMIT);
    }
    this.historyIndex = -1;
    this.textarea.value = '';
    // The rules chip stays: it says what the host applies to the next question too.
    chips.clear((chip) => chip.kind === 'rules');
    this.persist();
  }

  /**
   * Posts a send with its chips as they are once every image's pipeline has settled; sends stay in
   * order.
   */
  private post(text: string, entries: ChipEntry[]): void {
    const send = () => this.postToHost({ type: 'send', text, ...sendFields(entries.map((e) => e.chip)) });
    const pending = this.images.pending(entries);
    if (!pending.length && !this.outbox) {
      send();
      return;
    }
    const run = (this.outbox ?? Promise.resolve()).then(() => Promise.all(pending)).then(send);
    this.outbox = run;
    void run.finally(() => {
      if (this.outbox === run) this.outbox = undefined;
    });
  }

  private async onDrop(event: DragEvent): Promise<void> {
    this.form.classList.remove('drag-over');
    const data = event.dataTransfer;
    if (!data || !acceptsDrag(data)) return;
    event.preventDefault();
    const files = Array.from(data.files);
    if (files.length) {
      await this.images.addFiles(files);
      return;
    }
    // Explorer images come back from the host as bytes, for the same pipeline as a paste.
    const images: string[] = [];
    for (const attachment of droppedUris(data)) {
      if (attachment.kind === 'file' && isImageName(attachment.name)) images.push(attachment.uri);
      else this.attach(attachmentChip(attachment));
    }
    if (images.length) this.postToHost({ type: 'readImages', uris: images });
  }

  /** A new attachment chip; a file already attached is not attached twice. */
  private attach<C extends Chip>(chip: C, persist = true): ChipEntry<C> | undefined {
    const { chips } = this.strip;
    if (
      chip.kind === 'file' &&
      chips.ofKind('file').some((e) => e.chip.attachment.uri === chip.attachment.uri)
    ) {
      return undefined;
    }
    const entry = chips.add(chip);
    this.note.textContent = '';
    if (persist) this.persist();
    return entry;
  }

  private saved(): Omit<SavedComposer, 'mentions'> & { mentions: unknown } {
    const state = this.store?.getState() as
      { draft?: unknown; history?: unknown; attachments?: unknown; mentions?: unknown } | undefined;
    const history = Array.isArray(state?.history)
      ? state.history.filter((h): h is string => typeof h === 'string')
      : [];
    // Saved by this webview, but state is still checked like anything else that arrives.
    const attachments = Array.isArray(state?.attachments)
      ? state.attachments.filter((a) => isWebviewToHost({ type: 'send', text: '', attachments: [a] }))
      : [];
    return {
      draft: typeof state?.draft === 'string' ? state.draft : '',
      history: history.slice(0, HISTORY_LIMIT),
      attachments: attachments as Attachment[],
      // Checked by MentionChips as it restores them.
      mentions: state?.mentions,
    };
  }

  private persist(): void {
    this.draftChanged();
    const state: SavedComposer = {
      draft: this.historyIndex === -1 ? this.textarea.value : this.draftBeforeHistory,
      history: this.history,
      attachments: sendFields(this.strip.chips.entries.map((e) => e.chip)).attachments ?? [],
      mentions: this.mentions.saved(),
    };
    updateViewState(this.store, state);
    this.mentions.chips.sync();
  }
}

function hasModifier(event: KeyboardEvent): boolean {
  return event.shiftKey || event.ctrlKey || event.metaKey || event.altKey;
}

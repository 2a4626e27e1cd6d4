import {
  isWebviewToHost,
  type Attachment,
  type HostToWebview,
  type PanelConfig,
  type PanelImageConfig,
  type WebviewToHost,
} from '../../common/panel/protocol';
import { acceptsDrag, droppedUris, pastedFiles } from './attachments';
import {
  DEFAULT_PANEL_IMAGES,
  imageChipParts,
  imageHover,
  isImageFile,
  isImageName,
  rawImageBlob,
  takeImage,
  type ImageAttachment,
} from '../images/imageAttachments';
import type { ImageDetail } from '../../common/images/imageTokens';
import { codicon, el, format, iconButton } from '../dom';
import type { Strings } from '../strings';
import type { Draft } from '../../common/context/contextMeter';
import { updateViewState, type ViewStore } from './viewState';

interface SavedComposer {
  draft: string;
  /** Sent messages, most recent first. */
  history: string[];
  /** What was attached but not sent yet: it survives the panel being rebuilt. */
  attachments: Attachment[];
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
 * The message box: text with Up/Down history, image and file attachments, the editor-selection
 * chip, Send and Stop.
 */
export class Composer {
  readonly form: HTMLFormElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly attachButton: HTMLButtonElement;
  private readonly attachmentList: HTMLElement;
  private readonly selectionChip: HTMLElement;
  private readonly selectionText: HTMLElement;
  private readonly note: HTMLElement;
  /** `source`: the image as it came in, so a new detail choice re-runs the pipeline on it. */
  private attachments: AttachmentEntry[] = [];
  /** Sends waiting for their images' pipeline to settle, posted in order. */
  private outbox: Promise<void> | undefined;
  private images: PanelImageConfig = DEFAULT_PANEL_IMAGES;
  /** The model, when it is known to see no images: sending them is stopped here, with a reason. */
  private blindModel: string | undefined;
  private sendOn: SendOn = 'enter';
  private streaming = false;
  private selectionLabel: string | undefined;
  /** The label last removed or sent; the chip comes back only for a different selection. */
  private dismissedLabel: string | undefined;
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

    this.selectionChip = el('div', {
      class: 'selection-chip chip',
      'data-testid': 'selection-chip',
      hidden: '',
    });
    this.selectionText = el('span', { class: 'chip-label' });
    const removeSelection = el('button', {
      type: 'button',
      class: 'chip-remove',
      'data-testid': 'selection-remove',
      title: strings.removeSelection,
      'aria-label': strings.removeSelection,
    });
    removeSelection.append(codicon('close'));
    removeSelection.addEventListener('click', () => {
      this.dismissSelection();
      this.textarea.focus();
    });
    this.selectionChip.append(this.selectionText, removeSelection);

    this.attachmentList = el('div', {
      class: 'attachments',
      role: 'list',
      'aria-label': strings.attachments,
    });
    this.attachmentList.hidden = true;

    this.textarea = el('textarea', {
      'data-testid': 'composer',
      rows: '3',
      placeholder: strings.composerPlaceholder,
      'aria-label': strings.composerLabel,
    });
    this.textarea.value = saved.draft;
    this.textarea.addEventListener('input', () => {
      this.historyIndex = -1;
      this.persist();
    });
    this.textarea.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.textarea.addEventListener('paste', (event) => {
      const files = pastedFiles(event.clipboardData);
      if (files.length) void this.addFiles(files);
    });

    this.note = el('div', { class: 'composer-note', 'aria-live': 'polite' });
    // After the note: adding a chip clears it.
    for (const attachment of saved.attachments) this.addAttachment(attachment, false);

    const fileInput = el('input', {
      type: 'file',
      accept: 'image/*',
      multiple: '',
      hidden: '',
      tabindex: '-1',
    });
    fileInput.addEventListener('change', () => {
      void this.addFiles(Array.from(fileInput.files ?? []));
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
    this.form.append(this.selectionChip, this.attachmentList, this.textarea, this.note, actions);
  }

  focus(): void {
    this.textarea.focus();
  }

  /** The context meter sits beside Send and follows the draft, the attachments and the selection. */
  attachMeter(meter: { element: HTMLElement; setDraft(draft: Draft): void }): void {
    this.meter = meter;
    this.actions.querySelector('.spacer')?.after(meter.element);
    this.draftChanged();
  }

  private draftChanged(): void {
    this.meter?.setDraft({
      text: this.textarea.value,
      images: this.attachments.flatMap((a) => (a.attachment.kind === 'image' ? [a.attachment.dataUrl] : [])),
      includeSelection: !!this.selectionLabel,
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
    this.images = config.images ?? DEFAULT_PANEL_IMAGES;
    this.blindModel = config.vision === false ? config.model : undefined;
  }

  /** Attach File's WAV, MP3 and PDF files: chips, read by the host when the question is sent. */
  addPickedFiles(files: { name: string; uri: string }[]): void {
    for (const file of files) this.addAttachment({ kind: 'file', name: file.name, uri: file.uri });
  }

  /** Explain Image and Capture Screenshot: the host's bytes go through the same pipeline. */
  async addRawImages(message: Extract<HostToWebview, { type: 'addImages' }>): Promise<void> {
    await this.addFiles(
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
    if (!label) {
      this.selectionLabel = undefined;
      this.dismissedLabel = undefined;
    } else if (label !== this.dismissedLabel) {
      this.selectionLabel = label;
      this.dismissedLabel = undefined;
    }
    this.selectionText.textContent = this.selectionLabel
      ? format(this.strings.selection, this.selectionLabel)
      : '';
    this.selectionChip.title = this.selectionLabel ?? '';
    this.selectionChip.hidden = !this.selectionLabel;
    this.draftChanged();
  }

  private dismissSelection(): void {
    this.dismissedLabel = this.selectionLabel;
    this.selectionLabel = undefined;
    this.selectionChip.hidden = true;
    this.draftChanged();
  }

  private onKeyDown(event: KeyboardEvent): void {
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
    if (!text.trim() && !this.attachments.length) return;
    if (this.blindModel && this.attachments.some((a) => a.attachment.kind === 'image')) {
      this.note.textContent = format(this.strings.noVision, this.blindModel);
      return;
    }
    const message: WebviewToHost & { type: 'send' } = { type: 'send', text: text.trim() ? text : '' };
    if (this.selectionLabel) {
      message.includeSelection = true;
      this.dismissSelection();
    }
    this.post(message, [...this.attachments]);
    if (text.trim() && this.history[0] !== text) {
      this.history = [text, ...this.history].slice(0, HISTORY_LIMIT);
    }
    this.historyIndex = -1;
    this.textarea.value = '';
    this.clearAttachments();
    this.persist();
  }

  /**
   * Posts a send with its attachments as they are once every image's pipeline has settled (its
   * WebP, fallback and 413 copy are usually done long before Send is pressed); sends stay in order.
   */
  private post(message: WebviewToHost & { type: 'send' }, entries: AttachmentEntry[]): void {
    const send = () => {
      if (entries.length) message.attachments = entries.map((a) => a.attachment);
      this.postToHost(message);
    };
    const pending = entries.flatMap((e) => (e.settling ? [e.settling] : []));
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

  /** The pipeline's later work is done: the chip shows what will now be sent. */
  private settle(entry: AttachmentEntry, ready: ImageAttachment, settled: Promise<ImageAttachment>): void {
    entry.settling = settled.then((image) => {
      // A new detail choice since: its own run settles it.
      if (entry.attachment !== ready) return;
      entry.settling = undefined;
      entry.attachment = image;
      if (!this.attachments.includes(entry)) return;
      if (image.dataUrl !== ready.dataUrl) this.showImage(entry, image);
      this.persist();
    });
  }

  private showImage(entry: AttachmentEntry, image: ImageAttachment): void {
    const parts = imageChipParts(image, this.strings, (d) => void this.changeDetail(entry, d));
    entry.chip.querySelectorAll('.thumb, .image-meta, .image-detail').forEach((n) => n.remove());
    entry.chip.prepend(...parts);
    entry.chip.title = imageHover(image, this.strings);
  }

  private async onDrop(event: DragEvent): Promise<void> {
    this.form.classList.remove('drag-over');
    const data = event.dataTransfer;
    if (!data || !acceptsDrag(data)) return;
    event.preventDefault();
    const files = Array.from(data.files);
    if (files.length) {
      await this.addFiles(files);
      return;
    }
    // Explorer images come back from the host as bytes, for the same pipeline as a paste.
    const images: string[] = [];
    for (const attachment of droppedUris(data)) {
      if (attachment.kind === 'file' && isImageName(attachment.name)) images.push(attachment.uri);
      else this.addAttachment(attachment);
    }
    if (images.length) this.postToHost({ type: 'readImages', uris: images });
  }

  private async addFiles(files: File[]): Promise<void> {
    const notes: string[] = [];
    for (const file of files) {
      const name = file.name || 'image';
      if (!isImageFile(file)) {
        notes.push(format(this.strings.attachmentUnsupported, file.name || file.type || '?'));
        continue;
      }
      const intake = await takeImage(file, name, this.images, this.strings);
      if ('problem' in intake) {
        notes.push(intake.problem);
        continue;
      }
      const entry = this.addAttachment(intake.attachment, true, file);
      if (entry) this.settle(entry, intake.attachment, intake.settled);
      if (intake.note) notes.push(intake.note);
    }
    this.note.textContent = notes.join(' ');
  }

  /** A new detail choice: sized again from the original (or, after a reload, from what was sent). */
  private async changeDetail(entry: AttachmentEntry, detail: ImageDetail): Promise<void> {
    const current = entry.attachment as ImageAttachment;
    const source =
      entry.source ??
      rawImageBlob({
        name: current.name,
        type: '',
        base64: current.dataUrl.slice(current.dataUrl.indexOf(',') + 1),
      });
    const intake = await takeImage(source, current.name, this.images, this.strings, detail);
    if ('problem' in intake) {
      this.note.textContent = intake.problem;
      return;
    }
    entry.attachment = intake.attachment;
    this.settle(entry, intake.attachment, intake.settled);
    this.showImage(entry, intake.attachment);
    this.persist();
  }

  private addAttachment(attachment: Attachment, persist = true, source?: Blob): AttachmentEntry | undefined {
    if (
      attachment.kind === 'file' &&
      this.attachments.some((a) => a.attachment.kind === 'file' && a.attachment.uri === attachment.uri)
    ) {
      return undefined;
    }
    const chip = el('span', {
      class: 'attachment chip',
      'data-testid': 'attachment',
      role: 'listitem',
      title: attachment.name,
    });
    const entry: AttachmentEntry = { attachment, chip, source };
    if (attachment.kind === 'image') {
      chip.classList.add('image-chip');
      chip.title = imageHover(attachment, this.strings);
      chip.append(...imageChipParts(attachment, this.strings, (d) => void this.changeDetail(entry, d)));
    } else {
      chip.append(el('span', { class: 'chip-label' }, attachment.name));
    }
    const remove = el('button', {
      type: 'button',
      class: 'chip-remove',
      'data-testid': 'attachment-remove',
      title: format(this.strings.removeAttachment, attachment.name),
      'aria-label': format(this.strings.removeAttachment, attachment.name),
    });
    remove.append(codicon('close'));
    remove.addEventListener('click', () => {
      const at = this.attachments.indexOf(entry);
      this.attachments.splice(at, 1);
      chip.remove();
      this.persist();
      this.attachmentList.hidden = this.attachments.length === 0;
      const next = this.attachments[Math.min(at, this.attachments.length - 1)];
      (next?.chip.querySelector('button') ?? this.textarea).focus();
    });
    chip.append(remove);
    this.attachments.push(entry);
    this.attachmentList.append(chip);
    this.attachmentList.hidden = false;
    this.note.textContent = '';
    if (persist) this.persist();
    return entry;
  }

  private clearAttachments(): void {
    this.attachments = [];
    this.attachmentList.replaceChildren();
    this.attachmentList.hidden = true;
  }

  private saved(): SavedComposer {
    const state = this.store?.getState() as
      { draft?: unknown; history?: unknown; attachments?: unknown } | undefined;
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
    };
  }

  private persist(): void {
    this.draftChanged();
    const state: SavedComposer = {
      draft: this.historyIndex === -1 ? this.textarea.value : this.draftBeforeHistory,
      history: this.history,
      attachments: this.attachments.map((a) => a.attachment),
    };
    updateViewState(this.store, state);
  }
}

interface AttachmentEntry {
  attachment: Attachment;
  chip: HTMLElement;
  source?: Blob;
  /** The image pipeline's later work, until it settles (see takeImage). */
  settling?: Promise<void>;
}

function hasModifier(event: KeyboardEvent): boolean {
  return event.shiftKey || event.ctrlKey || event.metaKey || event.altKey;
}

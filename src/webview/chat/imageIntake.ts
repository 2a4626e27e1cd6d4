import type { PanelImageConfig } from '../../common/panel/protocol';
import type { ImageDetail } from '../../common/images/imageTokens';
import { format } from '../dom';
import {
  DEFAULT_PANEL_IMAGES,
  isImageFile,
  rawImageBlob,
  takeImage,
  type ImageAttachment,
} from '../images/imageAttachments';
import type { Strings } from '../strings';
import type { ChipEntry, ChipList, ChipOf } from './chips/chipModel';

type ImageEntry = ChipEntry<ChipOf<'image'>>;

export interface ImageIntakeHost {
  /** Adds a chip for a new image (and persists it); undefined when it was not added. */
  attach(chip: ChipOf<'image'>): ImageEntry | undefined;
  /** An image chip now holds what the pipeline settled on: worth persisting. */
  settled(): void;
  /** A sentence for the composer's note; empty clears it. */
  note(text: string): void;
}

interface PipelineWork {
  /** The image as it came in, so a new detail choice re-runs the pipeline on it. */
  source?: Blob;
  /** The pipeline's later work, until it settles (see takeImage). */
  settling?: Promise<void>;
}

/** The composer's hand-off to the image pipeline: files in, image chips out, each settled in time. */
export class ImageIntake {
  config: PanelImageConfig = DEFAULT_PANEL_IMAGES;
  private readonly work = new WeakMap<ChipEntry, PipelineWork>();

  constructor(
    private readonly strings: Strings,
    private readonly chips: ChipList,
    private readonly host: ImageIntakeHost,
  ) {}

  /** Pasted, dropped or picked files: images become chips, the rest a sentence in the note. */
  async addFiles(files: File[]): Promise<void> {
    const notes: string[] = [];
    for (const file of files) {
      const name = file.name || 'image';
      if (!isImageFile(file)) {
        notes.push(format(this.strings.attachmentUnsupported, file.name || file.type || '?'));
        continue;
      }
      const intake = await takeImage(file, name, this.config, this.strings);
      if ('problem' in intake) {
        notes.push(intake.problem);
        continue;
      }
      const entry = this.host.attach({ kind: 'image', attachment: intake.attachment });
      if (entry) {
        this.work.set(entry, { source: file });
        this.settle(entry, intake.attachment, intake.settled);
      }
      if (intake.note) notes.push(intake.note);
    }
    this.host.note(notes.join(' '));
  }

  /**
   * What a send waits for before it reads its chips: each image's pipeline settling (its WebP,
   * fallback and 413 copy are usually done long before Send is pressed).
   */
  pending(entries: readonly ChipEntry[]): Promise<void>[] {
    return entries.flatMap((e) => {
      const settling = this.work.get(e)?.settling;
      return settling ? [settling] : [];
    });
  }

  /** A new detail choice: sized again from the original (or, after a reload, from what was sent). */
  async changeDetail(entry: ImageEntry, detail: ImageDetail): Promise<void> {
    const current = entry.chip.attachment;
    const source =
      this.work.get(entry)?.source ??
      rawImageBlob({
        name: current.name,
        type: '',
        base64: current.dataUrl.slice(current.dataUrl.indexOf(',') + 1),
      });
    const intake = await takeImage(source, current.name, this.config, this.strings, detail);
    if ('problem' in intake) {
      this.host.note(intake.problem);
      return;
    }
    this.chips.replace(entry, { kind: 'image', attachment: intake.attachment });
    this.settle(entry, intake.attachment, intake.settled);
    this.host.settled();
  }

  /** The pipeline's later work is done: the chip shows what will now be sent. */
  private settle(entry: ImageEntry, ready: ImageAttachment, settled: Promise<ImageAttachment>): void {
    const work = this.work.get(entry) ?? {};
    this.work.set(entry, work);
    work.settling = settled.then((image) => {
      // A new detail choice since: its own run settles it.
      if (entry.chip.attachment !== ready) return;
      work.settling = undefined;
      this.chips.replace(entry, { kind: 'image', attachment: image });
      if (this.chips.entries.includes(entry)) this.host.settled();
    });
  }
}

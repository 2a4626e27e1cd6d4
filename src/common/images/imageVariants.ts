import type { ImageVariantLookup, ImageVariants } from './imageBudget';

/**
 * The PNG/JPEG and smaller copies of recently sent images, keyed by the data URL sent: the client
 * looks here after a WebP refusal or a 413. Bounded, oldest first out; lost on reload, when
 * earlier images are re-sent as they are (or as a note).
 */
export class ImageVariantStore {
  private readonly entries = new Map<string, ImageVariants>();

  constructor(private readonly limit = 32) {}

  remember(url: string, variants: ImageVariants): void {
    if (!variants.fallback && !variants.smaller) return;
    this.entries.delete(url);
    this.entries.set(url, variants);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  readonly lookup: ImageVariantLookup = (url) => this.entries.get(url);
}

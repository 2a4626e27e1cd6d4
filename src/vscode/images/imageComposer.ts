import type { RawImage } from '../../common/panel/protocol';

/**
 * All the image commands need of the chat view: a composer to put images in. Asking for this
 * rather than the provider keeps them free of it, so the provider can import from images/.
 */
export interface ImageComposer {
  addImages(images: RawImage[], prompt: string, send: boolean): Promise<void>;
}

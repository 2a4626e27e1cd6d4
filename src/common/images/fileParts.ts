/**
 * Files that travel as their own content parts (new-api's Chat Completions takes them): WAV and
 * MP3 as `input_audio` (base64 and a format), PDF as `file` (a base64 data URL and its name).
 * The caps keep one attachment under what relays commonly accept in a body.
 */
export const FILE_PART_TYPES = {
  '.wav': { part: 'input_audio', format: 'wav', mime: 'audio/wav' },
  '.mp3': { part: 'input_audio', format: 'mp3', mime: 'audio/mpeg' },
  '.pdf': { part: 'file', mime: 'application/pdf' },
} as const;

export type FilePartExtension = keyof typeof FILE_PART_TYPES;

export const MAX_AUDIO_BYTES = 10 * 1024 * 1024;
export const MAX_PDF_BYTES = 16 * 1024 * 1024;

export function filePartOfExtension(
  extension: string,
): (typeof FILE_PART_TYPES)[FilePartExtension] | undefined {
  const ext = extension.toLowerCase();
  return Object.hasOwn(FILE_PART_TYPES, ext) ? FILE_PART_TYPES[ext as FilePartExtension] : undefined;
}

/** The cap for a file of this part type, in bytes. */
export function filePartCap(part: 'input_audio' | 'file'): number {
  return part === 'input_audio' ? MAX_AUDIO_BYTES : MAX_PDF_BYTES;
}

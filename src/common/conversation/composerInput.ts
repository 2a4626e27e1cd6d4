import type { ContentPart } from '../endpoint/chatTypes';
import type { UserInput } from './chatSession';
import type { ImageDetail } from '../images/imageTokens';
import { fencedCodePart, selectionCodePart, selectionLabel, type SelectionContext } from './selectionPrompt';

/** A file the user dropped into the composer, as the host read it. */
export type ReadFile =
  | { kind: 'text'; path: string; languageId: string; text: string; truncated: boolean }
  | { kind: 'image'; path: string; dataUrl: string }
  /** WAV or MP3, sent as an `input_audio` part. */
  | { kind: 'audio'; path: string; format: 'wav' | 'mp3'; base64: string }
  /** A PDF, sent as a `file` part with its name. */
  | { kind: 'pdf'; path: string; dataUrl: string }
  | { kind: 'unreadable'; path: string; reason: string };

export interface ComposerParts {
  text: string;
  images: { name: string; dataUrl: string; detail?: ImageDetail }[];
  files: ReadFile[];
  selection?: SelectionContext;
}

/** Text files larger than this are cut, with a note the model can see. */
export const MAX_FILE_CHARS = 200_000;

/**
 * The composer's text, attached images, dropped files and the editor selection as one user
 * message: a plain string when it is only text (every relay takes that), content parts otherwise.
 */
export function composeUserInput(parts: ComposerParts): UserInput {
  const content: ContentPart[] = [];
  const context: { label: string }[] = [];
  if (parts.text.trim()) content.push({ type: 'text', text: parts.text });
  if (parts.selection) {
    content.push(selectionCodePart(parts.selection));
    context.push({ label: selectionLabel(parts.selection) });
  }
  for (const file of parts.files) {
    context.push({ label: file.path });
    if (file.kind === 'text') {
      const note = file.truncated ? ` (first ${MAX_FILE_CHARS} characters)` : '';
      content.push(
        fencedCodePart(
          `File: ${file.path} (language: ${file.languageId})${note}:`,
          file.languageId,
          file.text,
        ),
      );
    } else if (file.kind === 'image') {
      content.push({ type: 'image_url', image_url: { url: file.dataUrl } });
    } else if (file.kind === 'audio') {
      content.push({ type: 'input_audio', input_audio: { data: file.base64, format: file.format } });
    } else if (file.kind === 'pdf') {
      const filename = file.path.slice(file.path.lastIndexOf('/') + 1);
      content.push({ type: 'file', file: { filename, file_data: file.dataUrl } });
    } else {
      content.push({ type: 'text', text: `(The file ${file.path} could not be attached: ${file.reason})` });
    }
  }
  for (const image of parts.images) {
    const detail = image.detail && image.detail !== 'auto' ? { detail: image.detail } : {};
    content.push({ type: 'image_url', image_url: { url: image.dataUrl, ...detail } });
  }
  const images = [
    ...parts.images.map((i) => i.dataUrl),
    ...parts.files.flatMap((f) => (f.kind === 'image' ? [f.dataUrl] : [])),
  ];
  const onlyText = content.length === 1 && content[0].type === 'text' && !context.length;
  return {
    display: parts.text,
    content: onlyText ? parts.text : content,
    ...(context.length ? { context } : {}),
    ...(images.length ? { images } : {}),
  };
}

import * as vscode from 'vscode';
import { MAX_FILE_CHARS, type ReadFile } from '../../common/conversation/composerInput';
import { fileExtension, MAX_IMAGE_BYTES, imageTypeOfExtension } from '../../common/images/imageTypes';
import { filePartCap, filePartOfExtension } from '../../common/images/fileParts';

/** Reads a file the user dropped into the composer: text as code, images as data URLs. */
export async function readDroppedFile(uriText: string): Promise<ReadFile> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(uriText, true);
  } catch {
    return { kind: 'unreadable', path: uriText, reason: vscode.l10n.t('not a file address') };
  }
  const path = vscode.workspace.asRelativePath(uri, false);
  try {
    const ext = fileExtension(uri.path);
    const bytes = await vscode.workspace.fs.readFile(uri);
    const partType = filePartOfExtension(ext);
    if (partType) {
      const cap = filePartCap(partType.part);
      if (bytes.byteLength > cap) {
        const mb = String(cap / (1024 * 1024));
        return { kind: 'unreadable', path, reason: vscode.l10n.t('larger than {0} MB', mb) };
      }
      const base64 = Buffer.from(bytes).toString('base64');
      return partType.part === 'input_audio'
        ? { kind: 'audio', path, format: partType.format, base64 }
        : { kind: 'pdf', path, dataUrl: `data:${partType.mime};base64,${base64}` };
    }
    const imageType = imageTypeOfExtension(ext);
    if (imageType) {
      if (bytes.byteLength > MAX_IMAGE_BYTES)
        return { kind: 'unreadable', path, reason: vscode.l10n.t('image larger than 20 MB') };
      return {
        kind: 'image',
        path,
        dataUrl: `data:${imageType};base64,${Buffer.from(bytes).toString('base64')}`,
      };
    }
    if (bytes.subarray(0, 8000).includes(0))
      return { kind: 'unreadable', path, reason: vscode.l10n.t('binary file') };
    const text = new TextDecoder('utf-8').decode(bytes);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const languageId = doc?.languageId ?? (ext.slice(1) || 'text');
    return {
      kind: 'text',
      path,
      languageId,
      text: text.slice(0, MAX_FILE_CHARS),
      truncated: text.length > MAX_FILE_CHARS,
    };
  } catch (err) {
    return { kind: 'unreadable', path, reason: err instanceof Error ? err.message : String(err) };
  }
}

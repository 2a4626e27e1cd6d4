import * as vscode from 'vscode';
import { fileExtension, MAX_IMAGE_BYTES, sourceImageTypeOfExtension } from '../../common/images/imageTypes';
import type { RawImage } from '../../common/panel/protocol';

/** Images dropped from the Explorer into the composer: read here, sized in the panel. */
export async function readDroppedImages(uris: string[]): Promise<{ images: RawImage[]; problems: string[] }> {
  const images: RawImage[] = [];
  const problems: string[] = [];
  for (const text of uris) {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(text, true);
    } catch {
      problems.push(
        vscode.l10n.t('Relay Chat could not read {0}: {1}', text, vscode.l10n.t('not a file address')),
      );
      continue;
    }
    const read = await readRawImage(uri);
    if ('problem' in read) problems.push(read.problem);
    else images.push(read);
  }
  return { images, problems };
}

export async function readRawImage(uri: vscode.Uri): Promise<RawImage | { problem: string }> {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const ext = fileExtension(name);
  const type = sourceImageTypeOfExtension(ext);
  if (!type) return { problem: vscode.l10n.t('{0} is not an image Relay Chat can send.', name) };
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.byteLength > MAX_IMAGE_BYTES) {
      return { problem: vscode.l10n.t('{0} is larger than 20 MB.', name) };
    }
    return { name, type, base64: Buffer.from(bytes).toString('base64') };
  } catch (err) {
    return {
      problem: vscode.l10n.t(
        'Relay Chat could not read {0}: {1}',
        name,
        err instanceof Error ? err.message : String(err),
      ),
    };
  }
}

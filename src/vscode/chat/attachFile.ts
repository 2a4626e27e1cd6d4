import * as vscode from 'vscode';
import { FILE_PART_TYPES, filePartCap, filePartOfExtension } from '../../common/images/fileParts';
import {
  fileExtension,
  SOURCE_IMAGE_TYPES,
  sourceImageTypeOfExtension,
} from '../../common/images/imageTypes';
import type { HostToWebview } from '../../common/panel/protocol';
import { readDroppedImages } from '../images/readImages';

const bare = (ext: string) => ext.slice(1);

/**
 * The composer's Attach File: VS Code's own open dialog, so it picks from where the workspace is
 * (also remote). Images go through the panel's image pipeline like a paste; WAV, MP3 and PDF become
 * chips that travel as their own parts. A file over its cap, or of a kind Relay Chat cannot send, is
 * named in one warning and left out.
 */
export async function pickAttachments(post: (message: HostToWebview) => void): Promise<void> {
  const imageExtensions = Object.values(SOURCE_IMAGE_TYPES).flat().map(bare);
  const fileExtensions = Object.keys(FILE_PART_TYPES).map(bare);
  const uris = await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: vscode.l10n.t('Attach'),
    title: vscode.l10n.t('Attach to the question'),
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: {
      [vscode.l10n.t('Images, audio and PDF')]: [...imageExtensions, ...fileExtensions],
    },
  });
  if (!uris?.length) return;
  const images: string[] = [];
  const files: { name: string; uri: string }[] = [];
  const problems: string[] = [];
  for (const uri of uris) {
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    const ext = fileExtension(uri.path);
    const part = filePartOfExtension(ext);
    if (part) {
      const size = await vscode.workspace.fs.stat(uri).then(
        (s) => s.size,
        () => undefined,
      );
      const cap = filePartCap(part.part);
      if (size === undefined) problems.push(vscode.l10n.t('Relay Chat could not read {0}.', name));
      else if (size > cap)
        problems.push(vscode.l10n.t('{0} is larger than {1} MB.', name, String(cap / (1024 * 1024))));
      else files.push({ name, uri: uri.toString() });
    } else if (sourceImageTypeOfExtension(ext)) {
      images.push(uri.toString());
    } else {
      problems.push(vscode.l10n.t('{0} is not an image, WAV, MP3 or PDF file.', name));
    }
  }
  if (files.length) post({ type: 'addFiles', files });
  if (images.length) {
    const read = await readDroppedImages(images);
    problems.push(...read.problems);
    if (read.images.length) post({ type: 'addImages', images: read.images });
  }
  if (problems.length) void vscode.window.showWarningMessage(problems.join(' '));
}

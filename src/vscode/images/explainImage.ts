import * as vscode from 'vscode';
import { fileExtension, MAX_IMAGE_BYTES, sourceImageTypeOfExtension } from '../../common/images/imageTypes';
import type { RawImage } from '../../common/panel/protocol';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import type { EndpointSettings } from '../endpoint/settings';
import { explainPrompt } from './imageSettings';

/**
 * "Explain Image": from the Explorer (one or several selected images) or the image preview's
 * title bar. The images go to the panel's composer as raw bytes, where the pipeline sizes them,
 * with the default question to edit (or sent at once, by setting).
 */
export async function explainImage(
  provider: ChatViewProvider,
  settings: EndpointSettings,
  focusPanel: () => Thenable<unknown>,
  uri?: vscode.Uri,
  selected?: vscode.Uri[],
): Promise<void> {
  const targets = selected?.length ? selected : uri ? [uri] : previewedImage();
  if (!targets.length) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Right-click an image in the Explorer to explain it.'),
    );
    return;
  }
  const images: RawImage[] = [];
  const problems: string[] = [];
  for (const target of targets) {
    const read = await readRawImage(target);
    if ('problem' in read) problems.push(read.problem);
    else images.push(read);
  }
  if (problems.length) void vscode.window.showWarningMessage(problems.join(' '));
  if (!images.length) return;
  await focusPanel();
  const { prompt, send } = explainPrompt(settings);
  await provider.addImages(images, prompt, send);
}

/** The image open in VS Code's image preview (a custom editor), when that is the active tab. */
function previewedImage(): vscode.Uri[] {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom) return [input.uri];
  const doc = vscode.window.activeTextEditor?.document.uri;
  return doc ? [doc] : [];
}

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

async function readRawImage(uri: vscode.Uri): Promise<RawImage | { problem: string }> {
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

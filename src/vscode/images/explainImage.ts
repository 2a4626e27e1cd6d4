import * as vscode from 'vscode';
import type { RawImage } from '../../common/panel/protocol';
import type { EndpointSettings } from '../endpoint/settings';
import type { ImageComposer } from './imageComposer';
import { explainPrompt } from './imageSettings';
import { readRawImage } from './readImages';

/**
 * "Explain Image": from the Explorer (one or several selected images) or the image preview's
 * title bar. The images go to the panel's composer as raw bytes, where the pipeline sizes them,
 * with the default question to edit (or sent at once, by setting).
 */
export async function explainImage(
  composer: ImageComposer,
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
  await composer.addImages(images, prompt, send);
}

/** The image open in VS Code's image preview (a custom editor), when that is the active tab. */
function previewedImage(): vscode.Uri[] {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom) return [input.uri];
  const doc = vscode.window.activeTextEditor?.document.uri;
  return doc ? [doc] : [];
}

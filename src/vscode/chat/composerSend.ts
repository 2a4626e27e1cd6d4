import * as vscode from 'vscode';
import type { ChatSession } from '../../common/conversation/chatSession';
import { composeUserInput } from '../../common/conversation/composerInput';
import type { ImageVariantStore } from '../../common/images/imageVariants';
import type { Attachment } from '../../common/panel/protocol';
import type { ContextGate } from '../context/contextGate';
import { readDroppedFile } from './attachments';
import { selectionContext } from './selection';

export interface ComposerSendDeps {
  session: ChatSession;
  gate: ContextGate;
  /** The images' PNG/JPEG and smaller copies, for a WebP refusal or a 413. */
  variants: ImageVariantStore;
}

/** The composer's Send: its text, images, files and (if offered) the selection, past the context gate. */
export async function sendFromComposer(
  { session, gate, variants }: ComposerSendDeps,
  text: string,
  attachments: Attachment[],
  includeSelection: boolean,
): Promise<void> {
  const images = attachments.flatMap((a) => {
    if (a.kind !== 'image') return [];
    variants.remember(a.dataUrl, { fallback: a.fallbackDataUrl, smaller: a.smallerDataUrl });
    return [{ name: a.name, dataUrl: a.dataUrl, ...(a.detail ? { detail: a.detail } : {}) }];
  });
  const files = await Promise.all(
    attachments.flatMap((a) => (a.kind === 'file' ? [readDroppedFile(a.uri)] : [])),
  );
  const selection = includeSelection ? selectionContext(vscode.window.activeTextEditor) : undefined;
  if (!text.trim() && !images.length && !files.length && !selection) return;
  const input = await gate.check(
    (sel) => composeUserInput({ text, images, files, selection: sel }),
    selection,
  );
  if (input) await session.send(input);
}

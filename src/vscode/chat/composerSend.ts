import * as vscode from 'vscode';
import type { ChatSession } from '../../common/conversation/chatSession';
import { composeUserInput } from '../../common/conversation/composerInput';
import type { ImageVariantStore } from '../../common/images/imageVariants';
import type { Mention } from '../../common/mentions/mentionTypes';
import type { Attachment } from '../../common/panel/protocol';
import { estimateTokens } from '../../common/tokens/estimateTokens';
import type { ContextGate } from '../context/contextGate';
import type { QuestionContext } from '../mentions/questionContext';
import { readDroppedFile } from './attachments';
import { selectionContext } from './selection';

export interface ComposerSendDeps {
  session: ChatSession;
  gate: ContextGate;
  /** The images' PNG/JPEG and smaller copies, for a WebP refusal or a 413. */
  variants: ImageVariantStore;
  /** The @-mentions read and fitted, and the rules for the files the question is about. */
  question: QuestionContext;
}

/** What the composer sends. */
export interface ComposerMessage {
  text: string;
  attachments: Attachment[];
  includeSelection: boolean;
  mentions: Mention[];
}

/**
 * The composer's Send: its text, images, files, @-mentions and (if offered) the selection, past the
 * context gate. The mentions are read from the workspace now, and go last in the question.
 */
export async function sendFromComposer(
  { session, gate, variants, question }: ComposerSendDeps,
  { text, attachments, includeSelection, mentions }: ComposerMessage,
): Promise<void> {
  const images = attachments.flatMap((a) => {
    if (a.kind !== 'image') return [];
    variants.remember(a.dataUrl, { fallback: a.fallbackDataUrl, smaller: a.smallerDataUrl });
    return [{ name: a.name, dataUrl: a.dataUrl, ...(a.detail ? { detail: a.detail } : {}) }];
  });
  const dropped = attachments.flatMap((a) => (a.kind === 'file' ? [a.uri] : []));
  const files = await Promise.all(dropped.map(readDroppedFile));
  const editor = vscode.window.activeTextEditor;
  const selection = includeSelection ? selectionContext(editor) : undefined;
  const read = await question.read(mentions, estimateTokens(text));
  if (!text.trim() && !images.length && !files.length && !selection && !read.parts.length) return;
  const about = [
    ...(selection && editor?.document.uri.scheme === 'file' ? [editor.document.uri.fsPath] : []),
    ...dropped.flatMap((uri) => {
      try {
        return [vscode.Uri.parse(uri, true).fsPath];
      } catch {
        return [];
      }
    }),
    ...read.files,
  ];
  const input = await gate.check((sel) => {
    const base = composeUserInput({ text, images, files, selection: sel });
    if (!read.parts.length) return { ...base, ...(about.length ? { files: about } : {}) };
    const content =
      typeof base.content === 'string' ? [{ type: 'text' as const, text: base.content }] : base.content;
    return {
      ...base,
      content: [...content.filter((p) => p.type !== 'text' || p.text), ...read.parts],
      context: [...(base.context ?? []), ...read.chips],
      mentionParts: read.parts.length,
      files: about,
    };
  }, selection);
  if (input) await session.send(input);
}

// A leaf of its own: error views, settings, context and billing all say things to the user, and
// each reaching into errorView for this type tied them into one import loop.

/** vscode.l10n.t on the host; identity with placeholders filled in tests. */
export type Translate = (message: string, ...args: (string | number)[]) => string;

export const identityTranslate: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));

/**
 * The shapes the completion engine shares with the request layer and the VS Code provider: a leaf,
 * so every engine file and `completion/request/` can import it without tying each other in a loop.
 */

/** One nearby piece of another place the user was, offered to the template where it has room. */
export interface PromptSnippet {
  path: string;
  text: string;
}

/** What one completion request asks for; the request layer turns it into a FIM body or template. */
export interface CompletionPrompt {
  /** Text before the cursor, cut on a line boundary to the prefix budget. */
  prefix: string;
  /** Text after the cursor, cut on a line boundary to the suffix budget. */
  suffix: string;
  snippets: PromptSnippet[];
  languageId: string;
  path: string;
  /** False when the cursor's line has text right of it: the model should finish the line only. */
  multiline: boolean;
}

export interface CompletionUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface CompletionResult {
  text: string;
  /** What the endpoint said it counted; without it the engine estimates. */
  usage?: CompletionUsage;
}

/**
 * One completion request over the network. `onText` receives each piece of the text as it streams
 * in (pieces, not the text so far); the returned text is the whole completion.
 */
export type CompleteFn = (
  prompt: CompletionPrompt,
  signal: AbortSignal,
  onText?: (piece: string) => void,
) => Promise<CompletionResult>;

/** Why no request was made, for the log and the status bar. */
export type SkipReason =
  'multipleCursors' | 'textRightOfCursor' | 'fileTooLarge' | 'excluded' | 'minified' | 'dailyBudget';

/** The editor at one keystroke. */
export interface CompletionContext {
  /** Identifies the document (its URI) across keystrokes. */
  documentKey: string;
  /** Slash-separated, relative to the workspace folder where there is one; matched by the exclude globs. */
  path: string;
  languageId: string;
  text: string;
  /** The primary cursor, as a UTF-16 offset into `text`. */
  offset: number;
  /** How many cursors the editor has. */
  cursors: number;
}

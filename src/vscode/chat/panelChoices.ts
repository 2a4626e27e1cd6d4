import type * as vscode from 'vscode';
import type { ChatSession } from '../../common/conversation/chatSession';
import { storedSchema } from '../../common/structured/schemaSource';

/** Compare mode's models, kept until the user turns it off (across restarts). */
export const COMPARE_KEY = 'relayChat.compareModels';
/** The Token probabilities toggle, kept across restarts like compare mode. */
export const LOGPROBS_KEY = 'relayChat.logprobs';
/** The structured-output schema, per workspace: picked from a workspace file, it belongs with it. */
export const STRUCTURED_KEY = 'relayChat.structuredSchema';

/** A new window's session starts with the choices the panel made last: compare, logprobs, schema. */
export function restorePanelChoices(
  session: ChatSession,
  context: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState'>,
): void {
  session.setCompare(context.globalState.get<string[]>(COMPARE_KEY, []));
  if (context.globalState.get<boolean>(LOGPROBS_KEY)) session.setOptions({ logprobs: true });
  session.setStructured(storedSchema(context.workspaceState.get(STRUCTURED_KEY)));
}

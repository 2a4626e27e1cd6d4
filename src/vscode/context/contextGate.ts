import * as vscode from 'vscode';
import type { ResolvedEndpoint, UserInput } from '../../common/conversation/chatSession';
import type { SelectionContext } from '../../common/conversation/selectionPrompt';
import type { ChatMessage } from '../../common/endpoint/chatTypes';
import { checkBeforeSend, costQuestion, type PriceOf, type SendCheck } from '../../common/context/askFirst';
import { compactTokens, windowLabel } from '../../common/context/tokenLabels';

export interface ContextGateDeps {
  /** The endpoint the question would go to (with its window), or undefined when settings are broken. */
  resolve(): Promise<ResolvedEndpoint | undefined>;
  history(): ChatMessage[];
  /** The relay's price list (issue 12) wires in here; unknown prices never ask. */
  priceOf: PriceOf;
  confirmAboveCost(): number;
}

/**
 * Before a question goes: a selection or attachment larger than the window, a very large question
 * for a window nobody knows, or a cost above relayChat.confirmAboveCost asks first, in a modal with
 * the numbers. `build` makes the question from a (possibly cut) selection.
 */
export class ContextGate {
  constructor(private readonly deps: ContextGateDeps) {}

  async check(
    build: (selection?: SelectionContext) => UserInput,
    selection?: SelectionContext,
  ): Promise<UserInput | undefined> {
    const input = build(selection);
    const endpoint = await this.deps.resolve().catch(() => undefined);
    // A broken setting is the session's to report, in the panel, with Open Settings.
    if (!endpoint) return input;
    const check = checkBeforeSend({
      model: endpoint.model,
      history: this.deps.history(),
      question: { role: 'user', content: input.content },
      window: endpoint.window,
      maxTokens: endpoint.options?.maxTokens,
      ...(selection ? { selection: { text: selection.text, startLine: selection.startLine } } : {}),
      priceOf: this.deps.priceOf,
      confirmAboveCost: this.deps.confirmAboveCost(),
    });
    const answer = await ask(check, endpoint.model, selection);
    if (answer === 'send') return input;
    if (answer === 'fit' && selection && check.kind === 'tooLarge' && check.fit) {
      const { text, endLine } = check.fit;
      return build({ ...selection, text, endLine });
    }
    return undefined;
  }
}

/** The modal for one check; `send` for a check that needs no question. */
async function ask(
  check: SendCheck,
  model: string,
  selection: SelectionContext | undefined,
): Promise<'send' | 'fit' | undefined> {
  const t = vscode.l10n.t;
  switch (check.kind) {
    case 'ok':
      return 'send';
    case 'tooLarge': {
      const numbers = t(
        'About {0} tokens, and the {1} context window of {2} holds {3} with {4} kept for the answer.',
        compactTokens(check.tokens),
        windowLabel(check.window),
        model,
        compactTokens(check.window - check.reserve),
        compactTokens(check.reserve),
      );
      if (check.fit && selection) {
        const sendPart = t('Send lines {0}–{1}', check.fit.startLine, check.fit.endLine);
        const choice = await vscode.window.showWarningMessage(
          t("The selection is larger than the model's context window."),
          {
            modal: true,
            detail: `${numbers}\n${t(
              'Send lines {0}–{1} of {2} (the part that fits, about {3} tokens), or cancel.',
              check.fit.startLine,
              check.fit.endLine,
              selection.path,
              compactTokens(check.fit.tokens),
            )}`,
          },
          sendPart,
        );
        return choice === sendPart ? 'fit' : undefined;
      }
      await vscode.window.showWarningMessage(
        t("The question and what is attached to it are larger than the model's context window."),
        {
          modal: true,
          detail: `${numbers}\n${t('Attach less (a smaller selection or fewer files) and ask again.')}`,
        },
      );
      return undefined;
    }
    case 'unknownWindow': {
      const send = t('Send');
      const choice = await vscode.window.showWarningMessage(
        t(
          'This question is about {0} tokens, and the context window of {1} is not known.',
          compactTokens(check.tokens),
          model,
        ),
        {
          modal: true,
          detail: t(
            'A question this large may be refused, or billed in full. Set "contextWindow" for this model in the profile\'s "models" to plan with its window.',
          ),
        },
        send,
      );
      return choice === send ? 'send' : undefined;
    }
    case 'cost': {
      const send = t('Send');
      const { message, detail } = costQuestion(check, model, t);
      const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, send);
      return choice === send ? 'send' : undefined;
    }
  }
}

import * as vscode from 'vscode';
import { formatMoney } from '../../common/billing/money';
import type { DaySpend } from '../../common/completion/engine/dailySpend';

/** What the status bar says about completion: on or off, the model, today's spend. */
export interface StatusFacts {
  enabled: boolean;
  model: string;
  spend?: DaySpend;
  free: boolean;
  overBudget: boolean;
  /** Why nothing can be asked (settings, no mode left), when something stands in the way. */
  problem?: string;
}

export function statusText({ enabled, model, spend, free, overBudget, problem }: StatusFacts): string {
  const t = vscode.l10n.t;
  if (!enabled) return t('Relay Chat: completion off');
  const parts = [t('Relay Chat: completion on · {0}', model)];
  if (free) parts.push(t('local, free'));
  else if (spend && spend.costUsd > 0) parts.push(formatMoney(spend.costUsd));
  if (overBudget) parts.push(t('budget reached'));
  if (problem) parts.push(problem);
  return parts.join(' · ');
}

export function statusTooltip({ enabled, spend, free }: StatusFacts): string {
  const t = vscode.l10n.t;
  if (!enabled) return t('Code completion through your endpoint is off. Click to turn it on.');
  const lines = [t('Click to turn code completion off.')];
  if (spend) {
    lines.push(
      t(
        'Today: {0} requests, {1} prompt and {2} completion tokens',
        spend.requests,
        spend.promptTokens,
        spend.completionTokens,
      ),
    );
    if (!free) {
      lines.push(
        spend.unpriced
          ? t('{0} so far; {1} requests had no known price', formatMoney(spend.costUsd), spend.unpriced)
          : t('{0} so far', formatMoney(spend.costUsd)),
      );
    }
  }
  return lines.join('\n');
}

/** The status bar item; clicking it toggles completion. */
export class CompletionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'relayChat.autocomplete',
    vscode.StatusBarAlignment.Right,
    99,
  );

  constructor() {
    this.item.name = vscode.l10n.t('Relay Chat Code Completion');
    this.item.command = 'relayChat.toggleAutocomplete';
  }

  show(facts: StatusFacts): void {
    this.item.text = statusText(facts);
    this.item.tooltip = statusTooltip(facts);
    this.item.backgroundColor =
      facts.overBudget || facts.problem
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

import * as vscode from 'vscode';
import type { TextPart } from '../../common/endpoint/chatTypes';
import { mentionNotesText } from '../../common/mentions/mentionNotes';
import { mentionParts, secretsToConfirm, type MentionOutput } from '../../common/mentions/mentionParts';
import type { Mention, ResolvedMention } from '../../common/mentions/mentionTypes';
import type { ContextChip } from '../../common/panel/protocol';
import type { ProjectRules, QuestionRules } from '../rules/projectRules';

/** What reads the workspace for a mention (MentionSources). */
export interface MentionReader {
  resolve(mentions: readonly Mention[]): Promise<ResolvedMention[]>;
  /** Absolute paths of the files the resolved mentions carry: the rules' request files. */
  filesOf(resolved: readonly ResolvedMention[]): string[];
}

export interface QuestionContextDeps {
  reader: MentionReader;
  rules: ProjectRules;
  /** The API keys this extension holds: masked wherever they appear. */
  apiKeys(): string[];
  /** Tokens the mentions may use together, for a question of `questionTokens`. */
  budget(questionTokens: number): number;
}

/** A question's mentions as the request carries them. */
export interface MentionsRead {
  parts: TextPart[];
  /** One chip per mention, in order, with its tokens and notes. */
  chips: ContextChip[];
  /** The files they carry (absolute): the rules that apply follow from them. */
  files: string[];
}

/**
 * The composer's @-mentions and the project's rules for one question: read from the workspace,
 * fitted to the window, secrets asked about by name, and each chip told what it costs. Confirming a
 * secret file holds for the rest of the session, so Regenerate does not ask again.
 */
export class QuestionContext {
  private readonly confirmed = new Set<string>();

  constructor(private readonly deps: QuestionContextDeps) {}

  /** For a question being sent: a secret-looking file is sent only if the user says so, by name. */
  async read(mentions: readonly Mention[], questionTokens: number): Promise<MentionsRead> {
    if (!mentions.length) return { parts: [], chips: [], files: [] };
    const resolved = await this.deps.reader.resolve(mentions);
    await this.confirmSecrets(resolved);
    return this.render(mentions, resolved, questionTokens, this.confirmed);
  }

  /** What the composer's chips show before sending: as it would be sent, a secret noted as asking first. */
  async preview(
    mentions: readonly Mention[],
    otherFiles: readonly string[],
    questionTokens: number,
  ): Promise<{ chips: ContextChip[]; rules?: ContextChip }> {
    const resolved = await this.deps.reader.resolve(mentions);
    const secrets = secretsToConfirm(resolved, this.confirmed, secretPatterns());
    const asked = new Set([...this.confirmed, ...secrets.map((s) => s.path)]);
    const read = this.render(mentions, resolved, questionTokens, asked);
    for (const chip of read.chips) {
      const path = chip.mention && 'path' in chip.mention ? chip.mention.path : undefined;
      const secret = secrets.find((s) => s.path === path || (path && s.path.startsWith(`${path}/`)));
      if (secret)
        chip.notes = [...(chip.notes ?? []), vscode.l10n.t('looks like a secret: asks before sending')];
    }
    const rules = await this.rules([...otherFiles, ...read.files]);
    return { chips: read.chips, ...(rules.chip ? { rules: rules.chip } : {}) };
  }

  /** The system message and `rules` chip for a question about these files (absolute paths). */
  rules(files: readonly string[]): Promise<QuestionRules> {
    return this.deps.rules.forQuestion([...new Set(files)]);
  }

  private async confirmSecrets(resolved: readonly ResolvedMention[]): Promise<void> {
    const t = vscode.l10n.t;
    for (const secret of secretsToConfirm(resolved, this.confirmed, secretPatterns())) {
      const send = t('Send {0}', secret.path);
      const choice = await vscode.window.showWarningMessage(
        t('{0} looks like a secret. Send it to the model?', secret.path),
        {
          modal: true,
          detail: t(
            'It matches "{0}" (relayChat.context.secretFiles adds more patterns). Its whole text goes to the endpoint. Without your word it is left out, and the question says so.',
            secret.pattern,
          ),
        },
        send,
      );
      if (choice === send) this.confirmed.add(secret.path);
    }
  }

  private render(
    mentions: readonly Mention[],
    resolved: readonly ResolvedMention[],
    questionTokens: number,
    confirmed: ReadonlySet<string>,
  ): MentionsRead {
    const outputs = mentionParts(resolved, {
      budget: this.deps.budget(questionTokens),
      apiKeys: this.deps.apiKeys(),
      confirmed,
      secretPatterns: secretPatterns(),
    });
    return {
      parts: outputs.flatMap((o) => o.parts),
      chips: outputs.map((o, i) => chipOf(mentions[i], resolved[i], o)),
      files: this.deps.reader.filesOf(resolved),
    };
  }
}

function secretPatterns(): string[] {
  const value = vscode.workspace.getConfiguration('relayChat').get<unknown>('context.secretFiles');
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && !!v.trim()) : [];
}

function chipOf(mention: Mention, resolved: ResolvedMention, output: MentionOutput): ContextChip {
  const notes = mentionNotesText(output.notes, vscode.l10n.t);
  return {
    label: chipLabel(mention, resolved),
    kind: mention.kind,
    tokens: output.tokens,
    mention,
    ...(notes.length ? { notes } : {}),
  };
}

function chipLabel(mention: Mention, resolved: ResolvedMention): string {
  const t = vscode.l10n.t;
  switch (mention.kind) {
    case 'file':
    case 'folder':
      return mention.path;
    case 'problems':
      return t('Problems');
    case 'terminal':
      return resolved.kind === 'terminal' && resolved.name
        ? t('Terminal: {0}', resolved.name)
        : t('Terminal');
    case 'changes':
      return t('Changes');
    case 'open':
      return t('Open editors');
  }
}

import * as vscode from 'vscode';
import { capabilityKey, rememberDowngrade, type CapabilityStore } from '../../common/endpoint/capabilities';
import { EDIT_BLOCK_PROMPT } from '../../common/edits/editBlocks';
import { EditToolRunner, type SelectionTarget } from '../../common/edits/editToolRunner';
import { EDIT_SYSTEM_PROMPT, type EditPlan, type EditTurn, type ToolRun } from '../../common/edits/editTurn';
import { editTools, selectionTool } from '../../common/edits/toolSchemas';
import { resolveWorkspacePath } from '../../common/edits/workspacePath';
import type { ToolCall } from '../../common/endpoint/chatTypes';
import type { ChatMode } from '../../common/panel/protocol';
import { PendingEdits, type ReviewListener } from './pendingEdits';
import { StreamPreview } from './streamPreview';
import { VscodeEditWorkspace } from './vscodeEditWorkspace';

const MODE_KEY = 'relayChat.mode';

export interface EditEndpoint {
  profileId: string;
  model: string;
  capabilities: CapabilityStore;
}

/** Edit mode on the host: the mode switch, one EditTurn per answer, and the pending review. */
export class EditController implements vscode.Disposable {
  readonly pending: PendingEdits;
  private readonly workspace = new VscodeEditWorkspace();
  /** Edit Selection's range, for the next turn only. */
  private nextSelection: SelectionTarget | undefined;
  /** The next turn's mode whatever the panel's (a Quick Fix's Explain or Fix); undefined: the panel's. */
  private nextMode: { mode: ChatMode } | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly endpoint: () => EditEndpoint,
    onReviewed: ReviewListener,
  ) {
    this.pending = new PendingEdits(onReviewed);
  }

  /** Remembered per workspace. */
  get mode(): ChatMode {
    return this.context.workspaceState.get<ChatMode>(MODE_KEY) === 'edit' ? 'edit' : 'ask';
  }

  async setMode(mode: ChatMode): Promise<void> {
    await this.context.workspaceState.update(MODE_KEY, mode);
  }

  /** The next turn replaces this range (Edit Selection), whatever the mode. */
  forSelection(target: SelectionTarget): void {
    this.nextSelection = target;
  }

  /**
   * The next turn only runs in `mode`. The returned function takes it back if no turn took it (an
   * answer that failed before it began, a compare answer), so it cannot linger to a later question.
   */
  forNextTurn(mode: ChatMode): () => void {
    const next = { mode };
    this.nextMode = next;
    return () => {
      if (this.nextMode === next) this.nextMode = undefined;
    };
  }

  private settings() {
    const config = vscode.workspace.getConfiguration('relayChat');
    const rounds = config.get<number>('edits.maxRounds', 10);
    return {
      maxRounds: Number.isInteger(rounds) && rounds > 0 ? rounds : 10,
      autoSave: config.get<boolean>('edits.autoSave', false) === true,
    };
  }

  private toolsRefused(): boolean {
    const { profileId, model, capabilities } = this.endpoint();
    const caps = capabilities.get(capabilityKey(profileId, model));
    return caps?.tools === false || !!caps?.downgrades.includes('tools');
  }

  private blocksPlan(maxRounds: number): EditPlan {
    return { system: `${EDIT_SYSTEM_PROMPT.split('. ')[0]}.\n${EDIT_BLOCK_PROMPT}`, blocks: true, maxRounds };
  }

  /** The session asks at each turn; undefined means ask mode (no tools). */
  async begin(messageId: string): Promise<EditTurn | undefined> {
    const selection = this.nextSelection;
    this.nextSelection = undefined;
    const mode = this.nextMode?.mode ?? this.mode;
    this.nextMode = undefined;
    if (!selection && mode !== 'edit') return undefined;
    const { maxRounds, autoSave } = this.settings();
    const plan: EditPlan = this.toolsRefused()
      ? {
          ...this.blocksPlan(maxRounds),
          notice: vscode.l10n.t(
            'Edit mode asks for edit blocks in the answer: this endpoint and model take no tools.',
          ),
        }
      : selection
        ? {
            tools: [selectionTool(true)],
            toolChoice: { type: 'function', function: { name: 'replace_selection' } },
            system:
              'Rewrite the code the user selected as they ask. Answer with one call to replace_selection whose text is the complete replacement for exactly the selected range.',
            blocks: false,
            maxRounds: 1,
          }
        : // Strict schemas where the endpoint takes them; a refusal is remembered as the `strict` downgrade.
          { tools: editTools(true), system: EDIT_SYSTEM_PROMPT, blocks: false, maxRounds };
    const runner = new EditToolRunner(this.workspace, selection);
    const preview = new StreamPreview(
      () => this.workspace.folders(),
      () => this.workspace.protectedPatterns(),
      selection,
    );
    const endpoint = this.endpoint();
    return {
      plan,
      fallback: () => {
        const key = capabilityKey(endpoint.profileId, endpoint.model);
        void rememberDowngrade(endpoint.capabilities, key, 'tools');
        return this.blocksPlan(maxRounds);
      },
      onArguments: (index, name, fragment) => preview.onArguments(index, name, fragment),
      run: async (call, index, signal): Promise<ToolRun> => {
        await preview.takeBack(index);
        if (signal.aborted) return { status: 'refused', result: 'Stopped by the user.' };
        const outcome = await runner.run(call);
        if (outcome.status !== 'planned') return { ...outcome };
        try {
          const version = await this.pending.apply(outcome.edit, messageId, index);
          runner.noteVersion(outcome.edit.absolute, version);
          if (autoSave) {
            const doc = vscode.workspace.textDocuments.find(
              (d) => d.uri.fsPath === vscode.Uri.file(outcome.edit.absolute).fsPath,
            );
            await doc?.save();
          }
          return { status: 'applied', result: outcome.result, target: outcome.target };
        } catch (err) {
          return {
            status: 'refused',
            result: `The edit could not be applied: ${err instanceof Error ? err.message : String(err)}`,
            target: outcome.target,
          };
        }
      },
      endRound: () => preview.takeBack(),
    };
  }

  /** The file a call names, for the panel's list of changed files. */
  absolutePathOf(call: ToolCall): string | undefined {
    let path: unknown;
    try {
      path = (JSON.parse(call.function.arguments) as { path?: unknown }).path;
    } catch {
      return undefined;
    }
    if (typeof path !== 'string') return undefined;
    const where = resolveWorkspacePath(path, this.workspace.folders());
    return where.ok ? where.absolute : undefined;
  }

  dispose(): void {
    this.pending.dispose();
    this.workspace.dispose();
  }
}

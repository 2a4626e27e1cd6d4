import * as vscode from 'vscode';
import { endpointHost } from '../../common/endpoint/baseUrl';
import { listModels, type ModelInfo } from '../../common/endpoint/chatClient';
import { capabilityKey } from '../../common/endpoint/capabilities';
import { rememberListedLimits } from '../../common/context/contextWindows';
import { runDoctor, type DoctorReport, type ProbeResult } from '../../common/endpoint/doctor';
import { describeError } from '../../common/panel/errorView';
import { DEFAULT_PROFILE_ID, type EndpointSettings } from './settings';
import { openSetting } from './settingsNotices';

const MODEL_CACHE_MS = 5 * 60_000;

/** The model picker and the endpoint doctor: host glue around the engine's listModels/runDoctor. */
export class EndpointCommands {
  private readonly modelCache = new Map<string, { at: number; models: ModelInfo[] }>();

  constructor(
    private readonly settings: EndpointSettings,
    private readonly fetchImpl: typeof fetch,
  ) {}

  /** GET {base}/models, cached per profile; errors are thrown, never turned into an empty list. */
  async models(force = false): Promise<ModelInfo[]> {
    const { config, profileId = DEFAULT_PROFILE_ID } = await this.settings.resolve();
    const key = `${profileId}|${config.baseUrl}`;
    const cached = this.modelCache.get(key);
    if (!force && cached && Date.now() - cached.at < MODEL_CACHE_MS) return cached.models;
    const models = await listModels({ fetch: this.fetchImpl }, config);
    this.modelCache.set(key, { at: Date.now(), models });
    // The list says each model's window where it can; the current one's is kept for planning.
    const current = models.find((m) => m.id === this.settings.currentModel());
    if (current?.limits) {
      await rememberListedLimits(
        this.settings.capabilities,
        capabilityKey(profileId, current.id),
        current.limits,
      );
    }
    return models;
  }

  async selectModel(): Promise<void> {
    type Item = vscode.QuickPickItem & { model?: string; action?: 'manual' | 'refresh' };
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = vscode.l10n.t('Relay Chat: Select Model');
    pick.placeholder = vscode.l10n.t('Pick a model, or type its id and press Enter');
    const current = this.settings.currentModel();
    const manual: Item = {
      label: vscode.l10n.t('$(edit) Use the typed model id'),
      action: 'manual',
      alwaysShow: true,
    };
    const refresh: Item = {
      label: vscode.l10n.t('$(refresh) Reload the model list'),
      action: 'refresh',
      alwaysShow: true,
    };
    const load = async (force: boolean) => {
      pick.busy = true;
      try {
        const models = await this.models(force);
        const items: Item[] = models.map((m) => ({
          label: m.id,
          description: [m.id === current ? vscode.l10n.t('current') : '', m.ownedBy ?? '']
            .filter(Boolean)
            .join(' · '),
          model: m.id,
        }));
        if (!items.length) {
          items.push({
            label: vscode.l10n.t('$(info) The endpoint listed no models: type one'),
            alwaysShow: true,
          });
        }
        pick.items = [...items, refresh, manual];
      } catch (err) {
        const view = describeError(err, vscode.l10n.t);
        pick.items = [
          {
            label: `$(error) ${view.title}`,
            detail: [view.detail, view.hint].filter(Boolean).join(' — '),
            alwaysShow: true,
          },
          refresh,
          manual,
        ];
      } finally {
        pick.busy = false;
      }
    };
    pick.onDidAccept(async () => {
      const chosen = pick.selectedItems[0];
      if (chosen?.action === 'refresh') return void load(true);
      const model = chosen?.model ?? (pick.value.trim() || undefined);
      if (!model) return;
      pick.hide();
      await this.settings.setModel(model);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Relay Chat: model set to {0}', model), 4000);
    });
    pick.onDidHide(() => pick.dispose());
    pick.show();
    await load(false);
  }

  async selectProfile(): Promise<void> {
    const read = this.settings.read();
    const active = read.activeId;
    type Item = vscode.QuickPickItem & { id?: string; setting?: string };
    const items: Item[] = read.profiles.map((p) => ({
      label: p.name || p.id,
      description: `${safeHost(p.baseUrl)} · ${p.defaultModel || vscode.l10n.t('no model')}`,
      detail: p.id === active ? vscode.l10n.t('active') : undefined,
      id: p.id,
    }));
    // A profile that cannot work is shown with its reason, and choosing it opens the setting.
    for (const broken of read.unusable) {
      items.push({
        label: `$(warning) ${broken.name || broken.id || vscode.l10n.t('Profile without an id')}`,
        description: vscode.l10n.t('cannot be used'),
        detail: broken.problems.map((p) => p.message).join(' '),
        setting: broken.problems[0]?.setting,
      });
    }
    items.push({
      label: vscode.l10n.t('$(settings-gear) Edit profiles in settings…'),
      setting: 'relayChat.profiles',
    });
    const chosen = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Relay Chat: Select Endpoint Profile'),
    });
    if (!chosen) return;
    if (!chosen.id) {
      await openSetting(chosen.setting ?? 'relayChat.profiles');
      return;
    }
    await this.settings.setActiveProfile(chosen.id);
  }

  /** Code completion's lines for the report (how it asks this endpoint, and why); set when it is on. */
  completionReport: () => Promise<string[]> = () => Promise.resolve([]);

  /** Probes the endpoint, stores what it can do for this profile + model, and shows a report. */
  async checkEndpoint(): Promise<DoctorReport | undefined> {
    const { config, model } = await this.settings.resolve();
    const report = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Relay Chat: checking {0}', endpointHost(config.baseUrl)),
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return runDoctor({ fetch: this.fetchImpl }, config, model, {
          signal: controller.signal,
          store: this.settings.capabilities,
          onProbe: (probe) => progress.report({ message: `${probe.id}: ${probe.status}`, increment: 12.5 }),
        });
      },
    );
    const more = (await this.completionReport().catch(() => [])).map((line) => `- ${line}`);
    const completion = more.length ? `\n\n## ${vscode.l10n.t('Code completion')}\n${more.join('\n')}` : '';
    const doc = await vscode.workspace.openTextDocument({
      content: reportMarkdown(report) + completion,
      language: 'markdown',
    });
    await vscode.window.showTextDocument(doc, { preview: false });
    return report;
  }
}

function safeHost(baseUrl: string): string {
  try {
    return endpointHost(baseUrl);
  } catch {
    return baseUrl;
  }
}

const STATUS_ICON: Record<ProbeResult['status'], string> = {
  ok: '✅',
  unsupported: '➖',
  failed: '❌',
  skipped: '⏭️',
};

export function reportMarkdown(report: DoctorReport): string {
  const t = vscode.l10n.t;
  const lines = [
    `# ${t('Relay Chat endpoint check')}`,
    '',
    `- ${t('Endpoint')}: \`${report.host}\``,
    `- ${t('Model')}: \`${report.model}\``,
    '',
    `| ${t('Check')} | ${t('Result')} | ${t('Details')} | ms |`,
    '| --- | --- | --- | --- |',
    ...report.probes.map(
      (p) =>
        `| ${p.id} | ${STATUS_ICON[p.status]} ${p.status} | ${p.detail.replace(/\|/g, '\\|').replace(/\n/g, ' ')}${p.error?.requestId ? ` (request id ${p.error.requestId})` : ''} | ${p.durationMs} |`,
    ),
    '',
    `## ${t('What Relay Chat will do')}`,
    '',
    report.capabilities.downgrades.length
      ? `- ${t('Leave out or replace: {0}', report.capabilities.downgrades.join(', '))}`
      : `- ${t('Send every parameter as asked.')}`,
    `- ${t('Streaming')}: ${yesNo(report.capabilities.streaming)}; ${t('usage while streaming')}: ${yesNo(report.capabilities.streamUsage)}`,
    `- ${t('Tools')}: ${yesNo(report.capabilities.tools)}; ${t('images')}: ${yesNo(report.capabilities.vision)}`,
    `- ${t('Reasoning field')}: ${report.capabilities.reasoningField ?? '—'}; ${t('output limit parameter')}: ${report.capabilities.maxTokensParam ?? '—'}`,
    '',
  ];
  return lines.join('\n');
}

function yesNo(value: boolean | undefined): string {
  return value === undefined ? '—' : value ? vscode.l10n.t('yes') : vscode.l10n.t('no');
}

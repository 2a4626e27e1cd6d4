import type { ChatMessage } from '../../common/endpoint/chatTypes';
import { capabilityKey } from '../../common/endpoint/capabilities';
import { chatOptionsFor, modelOverrideFor } from '../../common/endpoint/profile';
import { knownWindow } from '../../common/context/contextWindows';
import { contextInfo } from '../../common/context/contextMeter';
import type { ContextInfo, HostToWebview } from '../../common/panel/protocol';
import type { EndpointSettings } from '../endpoint/settings';

/** Posts the context meter's figures when the conversation, the settings or the selection change. */
export class ContextMeterHost {
  private selectionText: string | undefined;
  private panelMaxTokens: number | undefined;

  constructor(
    private readonly settings: EndpointSettings,
    private readonly history: () => ChatMessage[],
    private readonly post: (message: HostToWebview) => void,
  ) {}

  setSelection(text: string | undefined): void {
    this.selectionText = text;
    this.refresh();
  }

  setMaxTokens(maxTokens: number | undefined): void {
    this.panelMaxTokens = maxTokens;
    this.refresh();
  }

  refresh(): void {
    const context = this.current();
    if (context) this.post({ type: 'context', context });
  }

  /** The figures for the next request as they stand; undefined while the settings are broken. */
  current(): ContextInfo | undefined {
    const read = this.settings.read();
    const profile = read.active;
    if (!profile) return undefined;
    const model = profile.defaultModel.trim();
    const window = knownWindow(
      model,
      modelOverrideFor(profile, model),
      this.settings.capabilities,
      capabilityKey(profile.id, model),
    );
    const maxTokens = this.panelMaxTokens ?? chatOptionsFor(profile, model, read.requestOptions).maxTokens;
    return contextInfo(this.history(), window, maxTokens, this.selectionText);
  }
}

import type { ServerKind } from '../../endpoint/serverKind';
import type { AutocompleteModeSetting, CompletionMode } from './completionMode';
import type { FimFamily } from './fimTemplates';
import type { RefusalReason } from './modeRefusal';
import type { SuffixProbeResult } from './suffixProbe';

/** The ladder's data: what it is given, what it remembers, what it decides (a leaf both its files read). */

export interface LadderEndpoint {
  baseUrl: string;
  model: string;
  /** The profile's declared server kind, when it has one. */
  serverKind?: ServerKind;
  /** `relayChat.autocomplete.family`: names the FIM family when the model id does not. */
  familySetting?: string;
  /** `relayChat.autocomplete.mode`; `auto` (or unset) lets the ladder decide. */
  mode?: AutocompleteModeSetting;
}

export interface RefusalRecord {
  mode: CompletionMode;
  reason: RefusalReason;
  status?: number;
  message?: string;
  at: number;
}

/** What was learnt about one endpoint + model; pure data the host keeps in globalState. */
export interface LadderRecord {
  refused: RefusalRecord[];
  probe?: SuffixProbeResult;
}

/** Backed by `ExtensionContext.globalState` on the host; by a Map in tests (as CapabilityStore). */
export interface LadderStore {
  get(key: string): LadderRecord | undefined;
  set(key: string, value: LadderRecord | undefined): void | PromiseLike<void>;
}

/** Why a mode is not tried, as codes the host can translate; `detail` holds the server's words. */
export type SkipCode =
  'noFimOnHost' | 'serverRefusesSuffix' | 'noSuffixOnServer' | 'noFamily' | 'suffixDropped' | 'refused';

export interface SkippedMode {
  mode: CompletionMode;
  code: SkipCode;
  detail?: string;
}

export interface LadderDecision {
  /** The mode to use now; undefined when none is left (every one refused, or a forced one unusable). */
  mode: CompletionMode | undefined;
  /** The modes still to try, best first; `mode` is the first. */
  order: CompletionMode[];
  family?: FimFamily;
  familySource?: 'setting' | 'model';
  forced: boolean;
  local: boolean;
  skipped: SkippedMode[];
  /** Native FIM is about to be used on a server whose handling of `suffix` nobody has checked. */
  probeNeeded: boolean;
  probe?: SuffixProbeResult;
}

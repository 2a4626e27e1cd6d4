import type { HostToWebview, WebviewToHost } from '../../../common/panel/protocol';
import type { Strings } from '../../strings';
import type { ChipList } from '../chips/chipModel';
import { MentionChips, type SavedMention } from './mentionChips';
import { MentionInput } from './mentionInput';

export type MentionHostMessage = Extract<
  HostToWebview,
  { type: 'mentionResults' | 'mentionInfo' | 'addMentions' }
>;

const HOST_MESSAGES: ReadonlySet<string> = new Set<MentionHostMessage['type']>([
  'mentionResults',
  'mentionInfo',
  'addMentions',
]);

export function isMentionMessage(message: HostToWebview): message is MentionHostMessage {
  return HOST_MESSAGES.has(message.type);
}

/**
 * @-mentions in the composer: the picker on the text box and the chips it adds, wired to the host's
 * answers. The composer hands it its keys first and saves what `saved` returns.
 */
export class ComposerMentions {
  readonly chips: MentionChips;
  private readonly input: MentionInput;

  constructor(
    strings: Strings,
    private readonly textarea: HTMLTextAreaElement,
    chipList: ChipList,
    post: (message: WebviewToHost) => void,
    /** Something the composer saves changed: the text or the mentions. */
    private readonly changed: () => void,
    saved: unknown,
  ) {
    this.chips = new MentionChips(chipList, post, saved);
    this.input = new MentionInput(strings, textarea, {
      post,
      pick: (mention) => this.chips.add([mention]),
      textChanged: changed,
    });
  }

  /** The picker, for the composer to place above the text box. */
  get picker(): HTMLElement {
    return this.input.picker.element;
  }

  /** Whether the key was the picker's or removed a chip: the composer then does nothing with it. */
  onKeyDown(event: KeyboardEvent): boolean {
    if (this.input.onKeyDown(event)) return true;
    const { selectionStart, selectionEnd } = this.textarea;
    const plain = !(event.shiftKey || event.ctrlKey || event.metaKey || event.altKey || event.isComposing);
    if (event.key === 'Backspace' && plain && selectionStart === 0 && selectionEnd === 0) {
      if (!this.chips.removeLast()) return false;
      event.preventDefault();
      this.changed();
      return true;
    }
    return false;
  }

  handle(message: MentionHostMessage): void {
    switch (message.type) {
      case 'mentionResults':
        this.input.results(message);
        break;
      case 'mentionInfo':
        this.chips.info(message);
        this.changed();
        break;
      case 'addMentions':
        if (Array.isArray(message.mentions) && this.chips.add(message.mentions)) this.changed();
        this.textarea.focus();
        break;
    }
  }

  saved(): SavedMention[] {
    return this.chips.saved();
  }
}

import type { ViewMessage } from '../../common/panel/protocol';
import { el } from '../dom';
import type { Strings } from '../strings';
import { place, type MessageDom } from '../chat/messageDom';

/**
 * One answer of a compare turn (or its error): marked with its model, headed by the model's name,
 * with its own Stop (while it streams) and "Use this answer" (once it ended). CSS lays a turn's
 * answers side by side where the panel is wide.
 */
export function decorateCompareAnswer(
  dom: MessageDom,
  compare: NonNullable<ViewMessage['compare']>,
  strings: Strings,
): void {
  dom.root.setAttribute('data-testid', 'compare-answer');
  dom.root.setAttribute('data-model', compare.model);
  dom.root.setAttribute('data-compare', compare.group);
  place(dom, 'author', el('div', { class: 'author compare-model', title: compare.model }, compare.model));
  if (dom.model.role !== 'assistant') return;
  const bar = el('div', { class: 'compare-actions' });
  bar.append(
    el(
      'button',
      {
        type: 'button',
        class: 'compare-stop',
        'data-testid': 'stop-answer',
        'data-action': 'stop-answer',
        title: strings.stopAnswer,
      },
      strings.stop,
    ),
    el(
      'button',
      {
        type: 'button',
        class: 'compare-pick',
        'data-testid': 'pick-answer',
        'data-action': 'pick-answer',
        title: strings.pickAnswerTitle,
      },
      strings.pickAnswer,
    ),
  );
  place(dom, 'compare', bar);
}

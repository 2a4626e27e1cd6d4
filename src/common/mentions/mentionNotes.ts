import { identityTranslate, type Translate } from '../l10n/translate';
import { formatCount } from './cutText';
import type { MentionNote } from './mentionTypes';

/** A chip's note in the user's words: why what it names was sent other than whole. */
export function noteText(note: MentionNote, t: Translate = identityTranslate): string {
  switch (note.kind) {
    case 'binary':
      return t('binary: not sent');
    case 'unreadable':
      return t('not sent: {0}', note.reason);
    case 'secret':
      return t('looks like a secret ({0}): not sent', note.pattern);
    case 'cut':
      return t('lines 1–{0} of {1} sent', formatCount(note.sentLines), formatCount(note.totalLines));
    case 'outline':
      return t('too long ({0} lines): its outline was sent', formatCount(note.totalLines));
    case 'leftOut':
      return t(
        '{0} of {1} lines left out in the middle',
        formatCount(note.lines),
        formatCount(note.totalLines),
      );
    case 'treeCut':
      return t('tree: {0} of {1} lines sent', formatCount(note.sentLines), formatCount(note.totalLines));
    case 'filesLeftOut': {
      const parts = [
        note.binary && t('{0} binary', formatCount(note.binary)),
        note.noRoom && t('{0} did not fit', formatCount(note.noRoom)),
        note.secret && t('{0} look like secrets', formatCount(note.secret)),
        note.unreadable && t('{0} unreadable', formatCount(note.unreadable)),
      ].filter((p): p is string => !!p);
      return t('files not sent: {0}', parts.join(', '));
    }
    case 'masked':
      return t('an API key in it was masked');
    case 'said':
      return note.text;
  }
}

/** A chip's notes, one line each. */
export function mentionNotesText(notes: readonly MentionNote[], t: Translate = identityTranslate): string[] {
  return notes.map((note) => noteText(note, t));
}

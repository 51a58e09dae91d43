// The notes TruthDesk itself writes on a ticket when it is merged or split, in the workspace's
// language (its default locale): the team reads them in the language it works in, not in
// English whatever the workspace. Pure text, no I/O.
export type NoteLocale = 'en' | 'el' | 'ar';

export const noteLocale = (locale: string | null | undefined): NoteLocale => (locale === 'el' || locale === 'ar' ? locale : 'en');

interface Other {
  /** The other ticket's number and subject. */
  number: number;
  subject: string;
}

// Greek and Arabic give the count after a colon: the noun then needs no plural form (Arabic has
// six), and the sentence reads the same for one message or many.
const NOTES = {
  mergedHere: {
    en: (o: Other, moved: number) => `Ticket #${o.number} (${o.subject}) was merged into this ticket: ${moved} ${moved === 1 ? 'message' : 'messages'} moved here.`,
    el: (o: Other, moved: number) => `Το αίτημα #${o.number} (${o.subject}) συγχωνεύτηκε σε αυτό. Μηνύματα που μεταφέρθηκαν εδώ: ${moved}.`,
    ar: (o: Other, moved: number) => `دُمجت التذكرة #${o.number} (${o.subject}) في هذه التذكرة. عدد الرسائل المنقولة إليها: ${moved}.`,
  },
  mergedInto: {
    en: (o: Other) => `Merged into ticket #${o.number} (${o.subject}).`,
    el: (o: Other) => `Συγχωνεύτηκε στο αίτημα #${o.number} (${o.subject}).`,
    ar: (o: Other) => `دُمجت في التذكرة #${o.number} (${o.subject}).`,
  },
  splitFrom: {
    en: (o: Other, moved: number) => `Split from ticket #${o.number} (${o.subject}): ${moved} ${moved === 1 ? 'message' : 'messages'} moved here.`,
    el: (o: Other, moved: number) => `Διαχωρίστηκε από το αίτημα #${o.number} (${o.subject}). Μηνύματα που μεταφέρθηκαν εδώ: ${moved}.`,
    ar: (o: Other, moved: number) => `فُصلت عن التذكرة #${o.number} (${o.subject}). عدد الرسائل المنقولة إليها: ${moved}.`,
  },
  splitOut: {
    en: (o: Other, moved: number) => `${moved} ${moved === 1 ? 'message was' : 'messages were'} split out into ticket #${o.number} (${o.subject}).`,
    el: (o: Other, moved: number) => `Μηνύματα που μεταφέρθηκαν στο νέο αίτημα #${o.number} (${o.subject}): ${moved}.`,
    ar: (o: Other, moved: number) => `عدد الرسائل المفصولة إلى التذكرة الجديدة #${o.number} (${o.subject}): ${moved}.`,
  },
} as const;

export type SystemNote = keyof typeof NOTES;

export function systemNoteText(note: SystemNote, locale: NoteLocale, other: Other, moved = 0): string {
  return NOTES[note][locale](other, moved);
}

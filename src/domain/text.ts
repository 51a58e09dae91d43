// Text normalisation shared by documents and queries, so that search matches what a person
// means rather than how it was typed: Greek accents and final sigma, Arabic diacritics,
// tatweel, alef/hamza forms, ta marbuta and alef maqsura, and letter case in every script.

const COMBINING_MARKS = /\p{M}+/gu;
const TATWEEL = /\u0640/g;
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669]/g;
const EXTENDED_ARABIC_INDIC_DIGITS = /[\u06F0-\u06F9]/g;
const WHITESPACE = /\s+/gu;

/** Stored and returned text is NFC, so the same words always have the same code points. */
export function toNfc(text: string): string {
  return text.normalize('NFC');
}

/**
 * Folds text for matching: compatibility decomposition (which also splits أ إ آ ؤ ئ into a
 * base letter and a hamza/madda mark), strips every combining mark (Greek tonos, Arabic
 * tashkeel), lower-cases, and maps letters that people use interchangeably.
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .replace(TATWEEL, '')
    .replace(/\u0671/g, 'ا') // alef wasla
    .replace(/\u0629/g, 'ه') // ta marbuta → ha
    .replace(/\u0649/g, 'ي') // alef maqsura → ya
    .replace(ARABIC_INDIC_DIGITS, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(EXTENDED_ARABIC_INDIC_DIGITS, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(WHITESPACE, ' ')
    .trim();
}

/** Escapes LIKE wildcards so a user's query is matched literally. */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` UTF-16 units with an ellipsis, between whole characters: a cut by
 * code unit splits emoji such as 👍🏽 or 🇬🇷 (and a lone surrogate is stored as U+FFFD).
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept}…`;
}

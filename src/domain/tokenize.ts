// A small multilingual tokenizer for classifying free text in English, Greek and Arabic.
// Text is folded with normalizeForSearch (case, Greek accents and final sigma, Arabic
// diacritics and letter variants), cut into words, emoji and clause marks, and each word gets
// a light stem: Greek inflectional suffixes, Arabic clitics, English plural/-ed/-ing are
// stripped. Stems are for matching, not for display; the same function stems the lexicons, so
// a word and its lexicon entry always agree.

import { normalizeForSearch } from './text.ts';

export type Script = 'latin' | 'greek' | 'arabic' | 'other';

export interface Token {
  /** The folded word (or emoji) as written, after normalizeForSearch. */
  text: string;
  /** The light stem used for matching. */
  stem: string;
  script: Script;
  /** Index of the clause the word is in; clause marks (. , ! ? ; : and Arabic ، ؛ ؟) end a clause. */
  clause: number;
  /** The word's sentence ends with a question mark (? ; or ؟), so what it says is asked, not stated. */
  question: boolean;
}

const TOKEN = /[\p{L}\p{N}]+|\p{Extended_Pictographic}|[★☆]|[.,!?;:،؛؟\n]/gu;
const CLAUSE_MARK = /^[.,!?;:،؛؟\n]$/u;
const SENTENCE_END = /^[.!?;؛؟]$/u;
const GREEK = /[\u0370-\u03ff\u1f00-\u1fff]/u;
const ARABIC = /[\u0600-\u06ff\u0750-\u077f]/u;
const LATIN = /[a-z]/u;

// Longest first; a suffix is stripped only when at least three letters remain.
const GREEK_SUFFIXES = [
  'ουσαμε', 'ουσατε', 'ηθηκαν', 'ηθηκε', 'ουσαν', 'ησαμε', 'ησατε', 'θηκαν', 'θηκε', 'ματων',
  'ματοσ', 'ομαστε', 'ονται', 'ουμε', 'ουνε', 'ουσε', 'ουσα', 'ματα', 'ομαι', 'εται', 'εσαι',
  'σεισ', 'σεων', 'ησαν', 'ηκαν', 'ιεσ', 'ιων', 'ιου', 'ιοσ', 'ησα', 'ησε', 'ηκε', 'ουσ', 'ουν',
  'εισ', 'ετε', 'ατε', 'αμε', 'ανε', 'μα', 'ια', 'ιο', 'ει', 'ασ', 'εσ', 'ησ', 'οσ', 'ον', 'ου',
  'ων', 'οι', 'α', 'ε', 'η', 'ι', 'ο', 'υ', 'ω',
];

export function stemGreek(word: string): string {
  for (const suffix of GREEK_SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length);
  }
  return word;
}

// Article and preposition clitics (ال، لل، بال…) and the conjunctions و، ف; then one pronoun
// suffix; the tanween alef goes too. Guards keep short words (لا، لم، علي) whole.
const ARABIC_ARTICLE_PREFIXES = ['وبال', 'وال', 'فال', 'بال', 'كال', 'ولل', 'فلل', 'لل', 'ال'];
const ARABIC_LETTER_PREFIXES = ['و', 'ف', 'ب', 'ك', 'ل'];
const ARABIC_SUFFIXES = ['هما', 'كما', 'كم', 'هم', 'هن', 'ها', 'نا', 'ه', 'ي', 'ك'];

export function stemArabic(word: string): string {
  let stem = word;
  const article = ARABIC_ARTICLE_PREFIXES.find((p) => stem.startsWith(p) && stem.length - p.length >= 2);
  if (article) {
    stem = stem.slice(article.length);
  } else {
    const letter = ARABIC_LETTER_PREFIXES.find((p) => stem.startsWith(p) && stem.length - p.length >= 3);
    if (letter) stem = stem.slice(letter.length);
  }
  // The alef that carries tanween (جيداً، شكراً) stays after diacritics are folded away.
  if (stem.length >= 4 && stem.endsWith('ا')) stem = stem.slice(0, -1);
  const suffix = ARABIC_SUFFIXES.find((s) => stem.endsWith(s) && stem.length - s.length >= 3);
  if (suffix) stem = stem.slice(0, -suffix.length);
  return stem;
}

/** Plural, -ed, -ing and a final e, enough to match "renewed"/"renewing"/"renew". */
export function stemEnglish(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.length > 4 && w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (/([bdfgklmnprt])\1$/.test(w) && w.length > 3) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

export function scriptOf(word: string): Script {
  if (GREEK.test(word)) return 'greek';
  if (ARABIC.test(word)) return 'arabic';
  if (LATIN.test(word)) return 'latin';
  return 'other';
}

/** Stems one folded word by its script. */
export function stemWord(word: string): string {
  switch (scriptOf(word)) {
    case 'greek':
      return stemGreek(word);
    case 'arabic':
      return stemArabic(word);
    case 'latin':
      return stemEnglish(word);
    default:
      return word;
  }
}

/** English contractions become two words, so "doesn't" carries a "not" like "does not". */
function expandContractions(text: string): string {
  return text
    .replace(/\bwon['’]t\b/g, 'will not')
    .replace(/\bcan['’]t\b/g, 'can not')
    .replace(/\bcannot\b/g, 'can not')
    .replace(/n['’]t\b/g, ' not')
    .replace(/['’](s|re|ve|ll|d|m)\b/g, ' $1');
}

export function tokenize(text: string): Token[] {
  const folded = expandContractions(normalizeForSearch(text.replace(/\r?\n/g, ' . ')));
  const tokens: Token[] = [];
  let clause = 0;
  let sentenceStart = 0;
  for (const match of folded.matchAll(TOKEN)) {
    const word = match[0];
    if (CLAUSE_MARK.test(word)) {
      if (tokens.length > 0 && tokens[tokens.length - 1]?.clause === clause) clause += 1;
      if (SENTENCE_END.test(word)) {
        // The Greek question mark is ';' (folded from U+037E), so ';' after Greek words asks too.
        const asks = word === '?' || word === '؟' || (word === ';' && tokens[tokens.length - 1]?.script === 'greek');
        for (let i = sentenceStart; i < tokens.length; i++) (tokens[i] as Token).question = asks;
        sentenceStart = tokens.length;
      }
      continue;
    }
    tokens.push({ text: word, stem: stemWord(word), script: scriptOf(word), clause, question: false });
  }
  return tokens;
}

/** The stems of a text, in order: what the lexicons are matched against. */
export function stems(text: string): string[] {
  return tokenize(text).map((t) => t.stem);
}

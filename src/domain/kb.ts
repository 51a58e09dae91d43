// Knowledge-base rules that need no database: slugs in the article's own script, the folded
// text that search indexes, the terms of a query, and the highlighted snippet a reader sees.
//
// Documents and queries go through the same functions (normalizeForSearch, then the light
// stemmer of tokenize.ts), so "ΣΤΙΓΜΗ ΑΛΗΘΕΙΑΣ", "στιγμή αλήθειας" and "στιγμη αληθειας" become
// the same lexemes, and so do "الحقيقة", "الحَقِيقَة", "للحقيقه" and "حقيقة".

import { normalizeForSearch } from './text.ts';
import { scriptOf, stemWord } from './tokenize.ts';

export const KB_LANGS = ['en', 'el', 'ar'] as const;
export type KbLang = (typeof KB_LANGS)[number];
export const KB_STATUSES = ['draft', 'published'] as const;
export type KbStatus = (typeof KB_STATUSES)[number];

export const SLUG_MAX = 80;
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/gu;
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

/**
 * A slug in the title's own script: lower case, words joined by hyphens, Arabic tashkeel and
 * tatweel dropped (they make URLs that look alike but differ). Greek keeps its accents, which
 * readers expect to see; URLs carry it percent-encoded.
 */
export function slugify(title: string): string {
  const words = title.normalize('NFC').replace(ARABIC_MARKS, '').toLowerCase().match(WORD) ?? [];
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > SLUG_MAX) break;
    slug = next;
  }
  return slug || (words[0] ?? '').slice(0, SLUG_MAX);
}

/** A slug a person typed is accepted as is if it is already in slug form. */
export function isSlug(value: string): boolean {
  return value.length > 0 && value.length <= SLUG_MAX && slugify(value) === value;
}

/** The next free slug: "x", then "x-2", "x-3"… */
export function uniqueSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, SLUG_MAX - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

function foldedWords(text: string): string[] {
  return normalizeForSearch(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Folded, stemmed words in document order: what the tsvector is built from. */
export function searchIndexText(text: string, maxChars = 200_000): string {
  return foldedWords(text.slice(0, maxChars)).map(stemWord).join(' ');
}

/** Distinct folded words (3+ letters) of a document, the dictionary for typo correction. */
export function vocabulary(text: string, limit = 5_000): string[] {
  const words = new Set<string>();
  for (const word of foldedWords(text)) {
    if (word.length >= 3 && word.length <= 40 && !/^\d+$/.test(word)) words.add(word);
    if (words.size >= limit) break;
  }
  return [...words];
}

// Folded (normalizeForSearch) forms; they are left out of queries unless a query has nothing else.
const STOP_WORDS = new Set([
  // English
  'a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'is', 'are', 'was', 'be', 'with', 'how', 'what', 'why',
  'do', 'does', 'i', 'my', 'me', 'you', 'your', 'it', 'its', 'this', 'that', 'at', 'by', 'from', 'can', 'not', 'no',
  'we', 'our', 'please', 'hi', 'hello', 'thanks', 'thank', 'there', 'have', 'has', 'if', 'as', 'am', 'but', 'so',
  // Greek
  'ο', 'η', 'το', 'οι', 'τα', 'του', 'τησ', 'των', 'τον', 'την', 'τη', 'και', 'να', 'με', 'σε', 'για', 'απο', 'που', 'πωσ',
  'τι', 'ειναι', 'θα', 'δεν', 'μη', 'μην', 'μια', 'ενα', 'ενασ', 'στο', 'στη', 'στην', 'στον', 'στα', 'στισ', 'στουσ',
  'ασ', 'μου', 'σου', 'μασ', 'σασ', 'τουσ', 'τισ', 'αυτο', 'αυτη', 'ποιεσ', 'ποια', 'ποιοσ', 'γεια', 'ευχαριστω',
  // Arabic
  'في', 'من', 'علي', 'الي', 'عن', 'ما', 'هل', 'كيف', 'لا', 'ان', 'او', 'مع', 'هذا', 'هذه', 'ذلك', 'تلك', 'التي', 'الذي',
  'هو', 'هي', 'انا', 'نحن', 'ثم', 'قد', 'كل', 'لم', 'لن', 'يا', 'مرحبا', 'شكرا',
]);

export interface QueryTerms {
  /** Folded words, in query order, without repeats. */
  words: string[];
  /** Their stems (the lexemes searched for), in the same order. */
  stems: string[];
}

/** The words of a query worth searching for: folded, stop words dropped (unless that leaves nothing). */
export function queryTerms(query: string, max = 8): QueryTerms {
  const all = [...new Set(foldedWords(query.slice(0, 500)))];
  const content = all.filter((w) => !STOP_WORDS.has(w));
  const words = (content.length ? content : all).slice(0, max);
  return { words, stems: words.map(stemWord) };
}

/**
 * A tsquery over stems, each as a prefix (so a stem matches its longer inflections), joined by
 * AND or OR. Stems hold letters and digits only, so they need no quoting beyond the quotes.
 */
export function prefixTsquery(stems: readonly string[], op: '&' | '|'): string {
  return stemsTsquery(stems, op, 'all');
}

/**
 * A tsquery over stems joined by AND or OR, where `prefix` says which stems also match as
 * prefixes of longer words: none, only the last one (the word a person may still be typing), or
 * all. Whole-stem matches are much cheaper for the index than prefixes (a prefix has to collect
 * every word it starts), so search tries them first.
 */
export function stemsTsquery(stems: readonly string[], op: '&' | '|', prefix: 'none' | 'last' | 'all'): string {
  const unique = [...new Set(stems)];
  // Stems of one or two letters would match half the index as prefixes: those must match whole.
  return unique
    .map((s, i) => ((prefix === 'all' || (prefix === 'last' && i === unique.length - 1)) && s.length >= 3 ? `'${s}':*` : `'${s}'`))
    .join(` ${op} `);
}

/** The language a text is most likely written in, from its script. */
export function guessLang(text: string): KbLang | undefined {
  const counts = { greek: 0, arabic: 0, latin: 0 };
  for (const word of foldedWords(text.slice(0, 5_000))) {
    const script = scriptOf(word);
    if (script === 'greek' || script === 'arabic' || script === 'latin') counts[script] += 1;
  }
  const best = (Object.entries(counts) as Array<[keyof typeof counts, number]>).sort((a, b) => b[1] - a[1])[0];
  if (!best || best[1] === 0) return undefined;
  return best[0] === 'greek' ? 'el' : best[0] === 'arabic' ? 'ar' : 'en';
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

interface WordSpan {
  start: number;
  end: number;
  hit: boolean;
}

/**
 * Whether a word as written matches one of the stems; remembers each distinct word, since
 * folding and stemming cost far more than a lookup and natural text repeats its words.
 */
function hitTester(stems: readonly string[]): (word: string) => boolean {
  const seen = new Map<string, boolean>();
  return (word) => {
    let hit = seen.get(word);
    if (hit === undefined) {
      // A word can fold into more than one (ﬁ, ligatures); it is a hit if any part is.
      hit = (normalizeForSearch(word).match(/[\p{L}\p{N}]+/gu) ?? []).some((w) => {
        const stem = stemWord(w);
        return stems.some((s) => (s.length >= 3 ? stem.startsWith(s) : stem === s));
      });
      seen.set(word, hit);
    }
    return hit;
  };
}

function wordSpans(text: string, isHit: (word: string) => boolean): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const m of text.matchAll(WORD)) spans.push({ start: m.index, end: m.index + m[0].length, hit: isHit(m[0]) });
  return spans;
}

function markSpans(text: string, spans: readonly WordSpan[], offset = 0): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (!span.hit) continue;
    const start = span.start - offset;
    const end = span.end - offset;
    out += escapeHtml(text.slice(at, start)) + '<mark>' + escapeHtml(text.slice(start, end)) + '</mark>';
    at = end;
  }
  return out + escapeHtml(text.slice(at));
}

/** The whole text, HTML-escaped, with the words that match the query in <mark>. */
export function highlightAll(text: string, stems: readonly string[] | ((word: string) => boolean)): string {
  return markSpans(text, wordSpans(text, typeof stems === 'function' ? stems : hitTester(stems)));
}

/** Highlighting for one query's results: every title and snippet shares what it learnt about words. */
export function highlighter(stems: readonly string[]): { all(text: string): string; snippet(text: string): string } {
  const isHit = hitTester(stems);
  return { all: (text) => highlightAll(text, isHit), snippet: (text) => snippet(text, isHit) };
}

/**
 * A short passage of the original text (accents, diacritics and case as the author wrote
 * them) around the densest cluster of matching words, HTML-escaped, matches in <mark>.
 */
export function snippet(text: string, stems: readonly string[] | ((word: string) => boolean), windowWords = 28): string {
  const isHit = typeof stems === 'function' ? stems : hitTester(stems);
  const spans = wordSpans(text, isHit);
  if (spans.length === 0) return '';
  let best = 0;
  let bestHits = -1;
  let hits = 0;
  for (let i = 0; i < spans.length; i++) {
    if (spans[i]?.hit) hits += 1;
    const drop = i - windowWords;
    if (drop >= 0 && spans[drop]?.hit) hits -= 1;
    if (hits > bestHits) {
      bestHits = hits;
      best = Math.max(0, i - windowWords + 1);
    }
  }
  // Start a few words before the first hit of the window, so the match has some context.
  const firstHit = spans.findIndex((s, i) => i >= best && s.hit);
  const startWord = firstHit >= 0 ? Math.max(0, Math.min(best, firstHit - 4)) : 0;
  const endWord = Math.min(spans.length, startWord + windowWords);
  const from = spans[startWord]?.start ?? 0;
  const to = spans[endWord - 1]?.end ?? text.length;
  const piece = text.slice(from, to).replace(/\s+/g, ' ');
  const body = markSpans(piece, wordSpans(piece, isHit));
  return (startWord > 0 ? '… ' : '') + body + (endWord < spans.length ? ' …' : '');
}

/** The first sentences of a text, up to about `max` characters, for a meta description. */
export function summary(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut) + '…';
}

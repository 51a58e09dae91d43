// Key phrases from complaints in English, Greek and Arabic: folding and stemming make spelling
// variants one phrase, stop words (the stopword package's lists, completed) end phrases,
// negations stay, and the fixture of realistic complaints yields the expected top phrases.
import { describe, expect, it } from 'vitest';
import {
  detectLanguage, extractPhrases, isStopWord, phraseKey, preferredForm, splitSentences, topPhrases, type PhraseLang,
} from '../src/domain/keyphrases.ts';
import { COMPLAINTS_AR, COMPLAINTS_EL, COMPLAINTS_EN } from './fixtures/complaints.ts';
import { seedText } from './support/seeds.ts';

const keyOf = (text: string) => phraseKey(splitSentences(text)[0]?.clauses.flat() ?? []);

/** Counts each phrase once per text, as the pain-point report does, and ranks them. */
function rank(texts: string[], limit = 6) {
  const counts = new Map<string, { key: string; text: string; words: number; count: number; negative: number; forms: Map<string, number> }>();
  for (const t of texts) {
    for (const p of extractPhrases(t).phrases) {
      const c = counts.get(p.key) ?? { key: p.key, text: p.text, words: p.words, count: 0, negative: 0, forms: new Map() };
      c.count += 1;
      if (p.valence === 'negative') c.negative += 1;
      c.forms.set(p.text, (c.forms.get(p.text) ?? 0) + 1);
      counts.set(p.key, c);
    }
  }
  return topPhrases([...counts.values()], limit).map((c) => ({ ...c, shown: preferredForm(c.forms) }));
}

describe('spelling variants are one phrase', () => {
  it('Greek: accents, capitals, final sigma and inflection', () => {
    const k = keyOf('καθυστέρηση παράδοσης');
    expect(keyOf('ΚΑΘΥΣΤΕΡΗΣΗ ΠΑΡΑΔΟΣΗΣ')).toBe(k);
    expect(keyOf('καθυστερηση παραδοσης')).toBe(k);
    expect(keyOf('Καθυστέρηση Παράδοση')).toBe(k);
    // Near-identical: the same words in another order group together.
    expect(keyOf('παράδοσης καθυστέρηση')).toBe(k);
    expect(keyOf('επιστροφή χρημάτων')).toBe(keyOf('ΕΠΙΣΤΡΟΦΗ ΧΡΗΜΑΤΩΝ'));
  });
  it('Arabic: diacritics, hamza forms, ta marbuta, tatweel and the article/clitics', () => {
    const k = keyOf('تأخر التوصيل');
    expect(keyOf('تأخّر التّوصيل')).toBe(k);
    expect(keyOf('تاخر التوصيل')).toBe(k);
    expect(keyOf('تأخر التوصيـــل')).toBe(k);
    expect(keyOf('تأخر توصيل')).toBe(k);
    expect(keyOf('خدمة العملاء')).toBe(keyOf('خدمه العملاء'));
    expect(keyOf('استرداد المبلغ')).toBe(keyOf('باسترداد المبلغ'));
  });
  it('English: case and plural', () => {
    expect(keyOf('Refunds')).toBe(keyOf('refund'));
    expect(keyOf('App crashes')).toBe(keyOf('app crash'));
  });
});

describe('stop words and phrases', () => {
  it('uses the stopword package lists and completes the Greek one', () => {
    // From the package.
    for (const [w, lang] of [['the', 'en'], ['και', 'el'], ['αυτές', 'el'], ['هذا', 'ar'], ['إلى', 'ar']] as const) {
      expect(isStopWord(splitSentences(w)[0]?.clauses[0]?.[0]?.folded as string, lang), w).toBe(true);
    }
    // Added here: the package's Greek list has no στις, τους, μου, πολύ, ήταν.
    for (const w of ['στις', 'τους', 'μου', 'πολύ', 'ήταν', 'ΣΤΙΣ']) expect(isStopWord(splitSentences(w)[0]?.clauses[0]?.[0]?.folded as string, 'el'), w).toBe(true);
    // Arabic clitic on a stop word: وهذا = و + هذا.
    expect(isStopWord(splitSentences('وهذا')[0]?.clauses[0]?.[0]?.folded as string, 'ar')).toBe(true);
    expect(isStopWord('delivery', 'en')).toBe(false);
  });
  it('keeps a negation with what it negates, and bridges stop words between two content words', () => {
    const en = extractPhrases('The login button does not work.').phrases.map((p) => p.text);
    expect(en).toContain('not work');
    expect(en).toContain('login button');
    const el = extractPhrases('Η εφαρμογή δεν λειτουργεί.').phrases.map((p) => p.text);
    expect(el).toContain('δεν λειτουργεί');
    const ar = extractPhrases('التطبيق لا يعمل').phrases.map((p) => p.text);
    expect(ar).toContain('لا يعمل');
    expect(extractPhrases('The delivery was late.').phrases.find((p) => p.key === keyOf('late delivery'))?.text).toBe('delivery was late');
  });
  it('gives each phrase the sentiment of its sentence', () => {
    const { phrases } = extractPhrases('Great product. The delivery was terribly slow and awful.');
    expect(phrases.find((p) => p.text === 'great product')?.valence).toBe('positive');
    expect(phrases.find((p) => p.text === 'delivery')?.valence).toBe('negative');
    expect(phrases.find((p) => p.text === 'delivery')?.quote).toBe('The delivery was terribly slow and awful');
  });
  it('detects the language by script', () => {
    expect(detectLanguage('Η παραγγελία μου άργησε')).toBe('el');
    expect(detectLanguage('تأخر التوصيل')).toBe('ar');
    expect(detectLanguage('My order is late')).toBe('en');
    expect(detectLanguage('Το email δεν ήρθε')).toBe('el');
  });
  it('shows the best-spelt, then most frequent form', () => {
    expect(preferredForm(new Map([['εφαρμογη κολλαει', 2], ['εφαρμογή κολλάει', 1]]))).toBe('εφαρμογή κολλάει');
    expect(preferredForm(new Map([['تأخّر التّوصيل', 1], ['تأخر التوصيل', 1]]))).toBe('تأخر التوصيل');
    expect(preferredForm(new Map([['late delivery', 1], ['delivery was late', 2]]))).toBe('delivery was late');
  });
});

describe('the top phrases of twenty realistic complaints per language', () => {
  const cases: [PhraseLang, string[], string[]][] = [
    ['en', COMPLAINTS_EN, ['late delivery', 'refund', 'customer service', 'app crash']],
    ['el', COMPLAINTS_EL, ['καθυστέρηση παράδοσης', 'επιστροφή χρημάτων', 'εξυπηρέτηση πελατών', 'εφαρμογή κολλάει']],
    ['ar', COMPLAINTS_AR, ['تأخر التوصيل', 'استرداد المبلغ', 'خدمة العملاء', 'التطبيق يتوقف']],
  ];
  it.each(cases)('%s: the four themes lead the ranking', (lang, texts, themes) => {
    expect(texts).toHaveLength(20);
    for (const t of texts) expect(detectLanguage(t)).toBe(lang);
    const top = rank(texts, 5);
    const topKeys = top.slice(0, 5).map((p) => p.key);
    for (const theme of themes) expect(topKeys, `${theme} in ${top.map((p) => `${p.shown}:${p.count}`).join(', ')}`).toContain(keyOf(theme));
    // Each theme is counted in at least three of the twenty complaints.
    for (const theme of themes) expect(top.find((p) => p.key === keyOf(theme))?.count).toBeGreaterThanOrEqual(3);
  });
  it('shows the phrases as people spell them', () => {
    const el = rank(COMPLAINTS_EL, 5).map((p) => p.shown);
    expect(el).toContain('εφαρμογή κολλάει');
    expect(el).toContain('εξυπηρέτηση πελατών');
    const ar = rank(COMPLAINTS_AR, 5).map((p) => p.shown);
    expect(ar).toContain('تأخر التوصيل');
    expect(ar).toContain('خدمة العملاء');
  });
});

describe('the seed articles tokenise sensibly', () => {
  it.each([
    ['000_872ed610193a76ff.txt', 'el', 'στιγμή αλήθειας'],
    ['003_d927bf57eeee527a.txt', 'ar', 'لحظة الحقيقة'],
  ] as const)('%s', (file, lang, expected) => {
    const text = seedText(file);
    expect(detectLanguage(text)).toBe(lang);
    const sentences = text.split(/\n+/).filter((l) => l.trim());
    const top = rank(sentences, 10);
    expect(top.map((p) => p.key)).toContain(keyOf(expected));
    for (const p of top) {
      // No phrase is a stop word, a number or punctuation.
      expect(p.key).toMatch(/^[\p{L} ]+$/u);
      for (const stem of p.key.split(' ')) expect(isStopWord(stem, lang), `${p.shown}`).toBe(false);
    }
  });
});

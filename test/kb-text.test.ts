// Knowledge-base text rules without a database: slugs in the article's own script, query
// terms that ignore accents, case and Arabic letter variants, snippets that show the words
// as the author wrote them.
import { describe, expect, it } from 'vitest';
import { guessLang, highlightAll, isSlug, prefixTsquery, queryTerms, searchIndexText, slugify, snippet, uniqueSlug, vocabulary } from '../src/domain/kb.ts';
import { seedText } from './support/seeds.ts';

const greek = seedText('000_872ed610193a76ff.txt');
const arabic = seedText('003_d927bf57eeee527a.txt');

describe('slugs', () => {
  it('keep Greek and Arabic in their own script, lower-cased, without Arabic diacritics or tatweel', () => {
    expect(slugify('Τι είναι μια στιγμή αλήθειας;')).toBe('τι-είναι-μια-στιγμή-αλήθειας');
    expect(slugify('ما هى لَحْظَةُ الحقيـــقة؟')).toBe('ما-هى-لحظة-الحقيقة');
    expect(slugify('  How do I reset my password?  ')).toBe('how-do-i-reset-my-password');
    expect(isSlug('στιγμή-αλήθειας')).toBe(true);
    expect(isSlug('Not A Slug')).toBe(false);
    expect(slugify('x'.repeat(200)).length).toBeLessThanOrEqual(80);
  });

  it('get a number when taken', () => {
    expect(uniqueSlug('faq', new Set())).toBe('faq');
    expect(uniqueSlug('faq', new Set(['faq', 'faq-2']))).toBe('faq-3');
  });
});

describe('search terms', () => {
  it('fold Greek accents, case and final sigma to the same lexemes', () => {
    const a = queryTerms('στιγμη αληθειας').stems;
    expect(queryTerms('ΣΤΙΓΜΗ ΑΛΗΘΕΙΑΣ').stems).toEqual(a);
    expect(queryTerms('στιγμή αλήθειας').stems).toEqual(a);
    // The document side agrees with the query side.
    expect(searchIndexText('Τι είναι μια ΣΤΙΓΜΉ ΑΛΉΘΕΙΑΣ;')).toContain(a.join(' '));
  });

  it('fold Arabic diacritics, tatweel, alef/hamza forms, ta marbuta and clitics', () => {
    const a = queryTerms('لحظة الحقيقة').stems;
    for (const variant of ['لَحْظَةُ الْحَقِيقَةِ', 'لحظه الحقيقه', 'لحـــظة الحقيـــقة', 'لحظة للحقيقة']) {
      expect(queryTerms(variant).stems, variant).toEqual(a);
    }
    const hamza = queryTerms('الأسئلة').stems;
    for (const variant of ['الاسئلة', 'الإسئلة', 'الآسئلة', 'والأسئلة']) expect(queryTerms(variant).stems, variant).toEqual(hamza);
  });

  it('drop stop words unless nothing else is left, and build prefix tsqueries', () => {
    expect(queryTerms('what is the moment of truth').words).toEqual(['moment', 'truth']);
    expect(queryTerms('ما هي لحظة الحقيقة؟').words).toEqual(['لحظه', 'الحقيقه']);
    expect(queryTerms('the').words).toEqual(['the']);
    expect(prefixTsquery(['στιγμ', 'ab'], '&')).toBe("'στιγμ':* & 'ab'");
    expect(queryTerms('!!!').stems).toEqual([]);
  });

  it('collects the words of the seed texts as the typo dictionary, folded', () => {
    const words = vocabulary(greek);
    expect(words).toContain('αληθειασ');
    expect(words.every((w) => w === w.toLowerCase() && !/\p{M}/u.test(w))).toBe(true);
    expect(vocabulary(arabic)).toContain('الحقيقه');
  });

  it('guesses the language of a text from its script', () => {
    expect(guessLang(greek)).toBe('el');
    expect(guessLang(arabic)).toBe('ar');
    expect(guessLang('My invoice is wrong')).toBe('en');
    expect(guessLang('12345')).toBeUndefined();
  });
});

describe('highlighting', () => {
  it('marks the words as written (accents, capitals) when the query had none', () => {
    const stems = queryTerms('στιγμη αληθειας').stems;
    expect(highlightAll('Η ΣΤΙΓΜΉ της αλήθειας', stems)).toBe('Η <mark>ΣΤΙΓΜΉ</mark> της <mark>αλήθειας</mark>');
    const ar = queryTerms('لحظه الحقيقه').stems;
    expect(highlightAll('لَحْظَةُ الحقيقة', ar)).toBe('<mark>لَحْظَةُ</mark> <mark>الحقيقة</mark>');
  });

  it('escapes HTML around and inside marks', () => {
    expect(highlightAll('<b>truth</b> & lies', ['truth'])).toBe('&lt;b&gt;<mark>truth</mark>&lt;/b&gt; &amp; lies');
  });

  it('cuts a snippet around the densest matches of a long text', () => {
    const stems = queryTerms('ΚΡΙΤΙΚΗ').stems;
    const s = snippet(greek, stems);
    expect(s).toMatch(/<mark>κριτικ/u);
    expect(s.split(' ').length).toBeLessThan(45);
    expect(s.startsWith('… ')).toBe(true);
  });
});

// Search normalisation: what a person types must find what was written, whatever the accents,
// case, final sigma, Arabic diacritics, tatweel, alef/hamza forms, ta marbuta or digits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForSearch, truncateText } from '../src/domain/text.ts';
import { seedText } from './support/seeds.ts';

const greek = seedText('000_');
const arabic = seedText('003_');
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
const words = (text: string) => text.split(/[\s.,;:!?()«»"'؟،؛\-–]+/u).filter((w) => w.length > 1);

const TASHKEEL = ['\u064B', '\u064C', '\u064D', '\u064E', '\u064F', '\u0650', '\u0651', '\u0652'];

describe('normalizeForSearch: Greek', () => {
  it('drops tonos, so accented and unaccented words are the same', () => {
    expect(normalizeForSearch('στιγμή αλήθειας')).toBe(normalizeForSearch('στιγμη αληθειας'));
    expect(normalizeForSearch('Ά Έ Ή Ί Ό Ύ Ώ ά έ ή ί ό ύ ώ')).toBe('α ε η ι ο υ ω α ε η ι ο υ ω');
  });

  it('drops dialytika, with or without tonos', () => {
    expect(normalizeForSearch('προϊόν')).toBe('προιον');
    expect(normalizeForSearch('Ϊ ϊ ΐ Ϋ ϋ ΰ')).toBe('ι ι ι υ υ υ');
  });

  it('treats final sigma as sigma, in lower and upper case', () => {
    expect(normalizeForSearch('αλήθειας')).toBe('αληθειασ');
    expect(normalizeForSearch('ΑΛΗΘΕΙΑΣ')).toBe('αληθειασ');
    expect(normalizeForSearch('ΣΤΙΓΜΗ ΑΛΗΘΕΙΑΣ')).toBe(normalizeForSearch('στιγμή αλήθειας'));
    expect(normalizeForSearch('ς')).toBe('σ');
  });

  it('lower-cases Greek capitals, also when they carry accents', () => {
    expect(normalizeForSearch('ΠΕΛΆΤΗΣ')).toBe('πελατησ');
    expect(normalizeForSearch('Εξυπηρέτηση Πελατών')).toBe('εξυπηρετηση πελατων');
  });

  it('matches every Greek seed word in capitals, unaccented or decomposed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...words(greek)), (word) => {
        const folded = normalizeForSearch(word);
        expect(normalizeForSearch(word.toUpperCase())).toBe(folded);
        expect(normalizeForSearch(word.normalize('NFD'))).toBe(folded);
        expect(normalizeForSearch(word.normalize('NFD').replace(/\p{M}/gu, ''))).toBe(folded);
        expect(folded).not.toMatch(/[ςάέήίόύώϊϋΐΰ]/u);
      }),
      { numRuns: 200 },
    );
  });
});

describe('normalizeForSearch: Arabic', () => {
  it('drops tashkeel (harakat, tanween, shadda, sukun)', () => {
    expect(normalizeForSearch('لَحْظَةُ الْحَقِيقَةِ')).toBe(normalizeForSearch('لحظة الحقيقة'));
    expect(normalizeForSearch('مُحَمَّدٌ')).toBe('محمد');
    expect(normalizeForSearch('آفاقًا')).toBe('افاقا');
  });

  it('drops tatweel', () => {
    expect(normalizeForSearch('العـــربيـة')).toBe(normalizeForSearch('العربية'));
    expect(normalizeForSearch('ـ')).toBe('');
  });

  it('folds alef forms (أ إ آ ٱ) to bare alef', () => {
    expect(normalizeForSearch('أ إ آ ٱ ا')).toBe('ا ا ا ا ا');
    expect(normalizeForSearch('إلى أي')).toBe(normalizeForSearch('الى اي'));
    expect(normalizeForSearch('بإنشاء')).toBe('بانشاء');
  });

  it('folds ta marbuta to ha and alef maqsura to ya', () => {
    expect(normalizeForSearch('لحظة')).toBe('لحظه');
    expect(normalizeForSearch('مدرسة')).toBe(normalizeForSearch('مدرسه'));
    expect(normalizeForSearch('ما هى')).toBe('ما هي');
    expect(normalizeForSearch('مستشفى')).toBe(normalizeForSearch('مستشفي'));
  });

  it('turns Arabic-Indic and extended Arabic-Indic digits into ASCII digits', () => {
    expect(normalizeForSearch('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizeForSearch('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(normalizeForSearch('التذكرة رقم ٥٣')).toBe(normalizeForSearch('التذكره رقم 53'));
  });

  it('finds every Arabic seed word whatever tashkeel or tatweel is added to it', () => {
    const arabicWords = words(arabic).filter((w) => /^[\u0621-\u064A]+$/u.test(w));
    fc.assert(
      fc.property(
        fc.constantFrom(...arabicWords),
        fc.array(fc.constantFrom(...TASHKEEL, '\u0640', ''), { minLength: 1, maxLength: 20 }),
        (word, marks) => {
          // After each letter, one of the generated marks (or tatweel, or nothing).
          const decorated = [...word].map((ch, i) => ch + (marks[i % marks.length] ?? '')).join('');
          expect(normalizeForSearch(decorated)).toBe(normalizeForSearch(word));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('normalizeForSearch: properties', () => {
  it('collapses whitespace and trims', () => {
    expect(normalizeForSearch('  στιγμή \n\t αλήθειας  ')).toBe('στιγμη αληθειασ');
  });

  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const once = normalizeForSearch(s);
        expect(normalizeForSearch(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent on Greek and Arabic seed text, and leaves no marks, final sigma or capitals', () => {
    for (const text of [greek, arabic]) {
      const once = normalizeForSearch(text);
      expect(normalizeForSearch(once)).toBe(once);
      expect(once).not.toMatch(/[\p{M}ςΑ-Ω\u0640\u0629\u0649]/u);
    }
  });

  it('normalising the whole seed text is the same as normalising each line', () => {
    fc.assert(
      fc.property(fc.constantFrom(greek, arabic), fc.nat(), fc.nat(), (text, a, b) => {
        const all = text.split('\n');
        const start = a % all.length;
        const chunk = all.slice(start, start + 1 + (b % 20));
        const whole = normalizeForSearch(chunk.join('\n'));
        const perLine = chunk.map(normalizeForSearch).filter((l) => l !== '').join(' ');
        expect(whole).toBe(perLine);
      }),
      { numRuns: 200 },
    );
    for (const text of [greek, arabic]) {
      expect(normalizeForSearch(text)).toBe(lines(text).map(normalizeForSearch).filter(Boolean).join(' '));
    }
  });

  it('finds each seed line inside the normalised seed text (what ticket search relies on)', () => {
    for (const text of [greek, arabic]) {
      const doc = normalizeForSearch(text);
      for (const line of lines(text)) expect(doc).toContain(normalizeForSearch(line));
    }
  });
});

describe('truncateText', () => {
  it('keeps short text as it is and cuts long text to the limit with an ellipsis', () => {
    expect(truncateText('Καλησπέρα', 80)).toBe('Καλησπέρα');
    const arabic = 'خدمة رائعة والتركيب كان سريع جداً، شكراً لفريق الدعم '.repeat(3);
    const cut = truncateText(arabic, 40);
    // A letter and its tanween (ـاً) stay together: the cut may fall a unit short of the limit.
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(cut.length).toBeGreaterThanOrEqual(38);
    expect(cut.endsWith('…')).toBe(true);
    expect(arabic.startsWith(cut.slice(0, -1))).toBe(true);
  });

  it('never splits an emoji, a skin tone or a flag at the cut', () => {
    // 78 letters, then emoji whose code units straddle the limit of 80.
    for (const emoji of ['👍🏽', '🇬🇷', '👩‍👩‍👧', '😀']) {
      const cut = truncateText(`${'α'.repeat(78)}${emoji}${emoji} τέλος`, 80);
      expect(cut.length).toBeLessThanOrEqual(80);
      expect(cut.isWellFormed()).toBe(true);
      expect(cut.replace('…', '').replace(/^α+/, '')).toMatch(new RegExp(`^(${emoji})*$`, 'u'));
    }
  });
});

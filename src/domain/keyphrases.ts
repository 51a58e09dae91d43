// Key phrases and their sentiment from customers' own words, in English, Greek and Arabic. Pure.
//
// RAKE-like: a text is cut into sentences and clauses; within a clause, stop words and numbers
// end a candidate phrase, and the runs of content words left are the candidates. From each run
// the n-grams of one to three words are kept, once per text. Negators (not, δεν, لا…) are not
// cut away but start the phrase they negate, so "not working" stays a complaint.
//
// Words are compared folded (normalizeForSearch: case, Greek accents and final sigma, Arabic
// diacritics, tatweel and letter variants) and lightly stemmed (stemWord: Greek inflections,
// Arabic clitics, English plurals/-ed/-ing), so "παράδοση"/"παράδοσης"/"ΠΑΡΑΔΟΣΗ" or
// "الفاتورة"/"للفاتوره"/"فاتورة" are one word. Near-identical phrases share a group key — their
// stems, sorted — so "late delivery" and "delivery (was) late" count together; the phrase
// shown is the form people wrote most often.
//
// Stop words: the `stopword` package's lists (English 108, Greek 75, Arabic 479 words), folded
// the same way, completed below with what they lack — Greek articles, possessives and common
// verbs and adverbs (its list has no στις, τους, μου, πολύ, ήταν…), English and Arabic
// conversational fillers — and with words that say nothing about what went wrong in a
// complaint (days, times, "please", "hello").

import { ara, ell, eng } from 'stopword';
import { normalizeForSearch, truncateText } from './text.ts';
import { scriptOf, stemWord } from './tokenize.ts';
import { classifyText } from './classifier.ts';
import type { Valence } from './moments.ts';

export type PhraseLang = 'en' | 'el' | 'ar';
export const PHRASE_LANGS: readonly PhraseLang[] = ['en', 'el', 'ar'];

const EXTRA_STOP: Record<PhraseLang, string> = {
  en: `i me my mine myself you your yours we us our ours they them their he him his she her its it it's
    a an the and or but if so than then too very just also again still even already yet only really
    is am are was were be been being do does did done doing have has had having get got getting
    will would shall should can could may might must let lets
    this that these those there here what which who whom whose when where why how all any both each
    few more most other some such same own about above after before below between into through during
    over under up down out off on in at by for from of to with as
    s t d ll m re ve don dont didnt isnt wasnt im ive id
    please thanks thank hello hi dear regards team guys ok okay yes yeah
    today yesterday tomorrow now week weeks day days month months hour hours minute minutes time times
    one two three four five first second third last next every lot lots thing things something anything
    much many make made go going went come came say said tell told know ask asked want wanted need needed
    keep keeps kept always usually anyway ever never_mind`,
  el: `ο η το οι τα του της των τον την τους τις στο στη στην στον στα στις στους ένα ένας μια μία ενός μιας
    και κι ή αλλά όμως ούτε ενώ αν εάν που πού πως πώς ότι γιατί επειδή όταν όπως καθώς μέχρι ώσπου πριν μετά
    με σε για από προς κατά παρά χωρίς σαν ως μέσα έξω πάνω κάτω δίπλα
    μου σου του της μας σας τους με σε τον την μένα εσένα εμείς εσείς αυτός αυτή αυτό αυτοί αυτές αυτά
    αυτού αυτής αυτών αυτόν εκείνος εκείνη εκείνο κάποιος κάποια κάποιο κάτι τίποτα όλα όλοι όλες όλο όλη κάθε
    είμαι είσαι είναι είμαστε είστε ήμουν ήταν ήσουν ήμασταν ήσασταν έχω έχεις έχει έχουμε έχετε έχουν είχα είχε
    είχαμε είχαν θα να ας μη μην
    πολύ πιο πάρα λίγο ακόμα ακόμη ήδη τώρα πάλι ξανά μόνο επίσης απλά απλώς ίσως σχεδόν τόσο έτσι εδώ εκεί
    σήμερα χθες αύριο μέρα μέρες ημέρα ημέρες εβδομάδα εβδομάδες μήνα μήνες ώρα ώρες φορά φορές
    παρακαλώ ευχαριστώ γεια καλημέρα καλησπέρα ναι όχι οκ
    ένα δύο τρία τρεις τέσσερα τέσσερις πέντε έξι δέκα είκοσι τριάντα σαράντα πενήντα
    ποτέ πάντα συνέχεια συνεχώς καθόλου κανείς καμία κανένα κανέναν μόλις`,
  ar: `في من على عن إلى الى مع بعد قبل عند حتى منذ خلال بين تحت فوق لدى لدي لدينا
    و أو او ثم لكن لكنه لكن بل إن ان أن قد لقد كان كانت يكون تكون كنت كنا صار أصبح ليس ليست
    هذا هذه ذلك تلك هؤلاء الذي التي الذين اللذين اللتين ما ماذا متى أين كيف لماذا هل
    أنا انا نحن أنت انت أنتم انتم هو هي هم هن
    جدا جداً أيضا ايضا فقط كل بعض غير مثل كما هنا هناك الآن الان اليوم أمس امس غدا غداً مرة مرات يوم أيام ايام
    أسبوع اسبوع ساعة ساعات شهر أشهر
    يا من_فضلك شكرا شكراً مرحبا مرحبًا السلام عليكم نعم تم
    واحد اثنين اثنان ثلاث ثلاثة أربع أربعة خمس خمسة عشرة عشرين ثلاثين أربعين
    أبدا أبداً دائما دائماً كالعادة باستمرار أحد احد شيء زلت مازلت`,
};

/** Words that negate what follows: they stay in the phrase instead of ending it. */
const NEGATORS = new Set(
  ['not', 'no', 'never', 'cannot', "can't", "doesn't", "don't", "didn't", "isn't", "wasn't", "won't", "couldn't",
    'δεν', 'δε', 'μην', 'μη', 'ούτε', 'χωρίς', 'لا', 'لم', 'لن', 'ليس', 'مش', 'مو', 'بدون', 'ما'].map(fold),
);

function fold(word: string): string {
  return normalizeForSearch(word).replace(/['’]/g, '');
}

function stopSet(...lists: (readonly string[] | string)[]): Set<string> {
  const out = new Set<string>();
  for (const list of lists) {
    const words = typeof list === 'string' ? list.split(/\s+/) : list;
    for (const w of words) if (w) out.add(fold(w.replace(/_/g, ' ')));
  }
  return out;
}

const STOP: Record<PhraseLang, Set<string>> = {
  en: stopSet(eng, EXTRA_STOP.en),
  el: stopSet(ell, EXTRA_STOP.el),
  ar: stopSet(ara, EXTRA_STOP.ar),
};
for (const set of Object.values(STOP)) for (const n of NEGATORS) set.delete(n);

// Arabic joins و (and), ف (so), ب (with), ل (for), ك (like) to the next word: "وهذا" is "و" + "هذا".
const ARABIC_PROCLITICS = ['و', 'ف', 'ب', 'ل', 'ك'];

/** Whether a folded word is a stop word of its language (Arabic: also with one proclitic removed). */
export function isStopWord(folded: string, lang: PhraseLang): boolean {
  const set = STOP[lang];
  if (set.has(folded)) return true;
  if (lang === 'ar' && folded.length > 2 && ARABIC_PROCLITICS.includes(folded[0] as string)) return set.has(folded.slice(1));
  return false;
}

/** The language of a text by the script most of its letters are in. */
export function detectLanguage(text: string): PhraseLang {
  let greek = 0;
  let arabic = 0;
  let latin = 0;
  for (const ch of text) {
    const s = scriptOf(ch.toLowerCase());
    if (s === 'greek') greek++;
    else if (s === 'arabic') arabic++;
    else if (s === 'latin') latin++;
  }
  if (arabic >= greek && arabic >= latin && arabic > 0) return 'ar';
  if (greek >= latin && greek > 0) return 'el';
  return 'en';
}

export interface Word {
  /** As written, lower-cased (for display). */
  surface: string;
  folded: string;
  stem: string;
}

const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)?/gu;
const SENTENCE_BREAK = /[.!?;؛؟\n\u037e]+/u;
const CLAUSE_BREAK = /[,،:()"«»“”\-–—/]+/u;

export interface Sentence {
  text: string;
  clauses: Word[][];
}

/** Sentences, each cut into clauses of words. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const raw of text.normalize('NFC').split(SENTENCE_BREAK)) {
    const sentence = raw.trim();
    if (!sentence) continue;
    const clauses = sentence.split(CLAUSE_BREAK).map((clause) =>
      [...clause.matchAll(WORD)].map((m) => {
        const surface = m[0].toLocaleLowerCase();
        const folded = fold(m[0]);
        return { surface, folded, stem: stemWord(folded) };
      }),
    ).filter((c) => c.length > 0);
    if (clauses.length) out.push({ text: sentence, clauses });
  }
  return out;
}

export interface Phrase {
  /** Group key: the phrase's stems, sorted and de-duplicated. */
  key: string;
  /** The words as written (lower case). */
  text: string;
  words: number;
}

const MAX_WORDS = 3;
const isNumber = (w: Word) => /^\p{N}+$/u.test(w.folded);
const tooShort = (w: Word, lang: PhraseLang) => w.folded.length < (lang === 'ar' ? 2 : 3);

interface Run {
  words: Word[];
  /** Index of the run's first and last word in its clause. */
  start: number;
  end: number;
}

/** Runs of content words (a negator may start one) within one clause. */
function candidateRuns(clause: Word[], lang: PhraseLang): Run[] {
  const runs: Run[] = [];
  let run: Word[] = [];
  let start = 0;
  const end = (at: number) => {
    // A run that is only a negator says nothing.
    if (run.some((w) => !NEGATORS.has(w.folded))) runs.push({ words: run, start, end: at - 1 });
    run = [];
  };
  clause.forEach((w, i) => {
    if (NEGATORS.has(w.folded)) {
      end(i);
      start = i;
      run.push(w);
    } else if (isNumber(w) || tooShort(w, lang) || isStopWord(w.folded, lang)) {
      end(i);
    } else {
      if (run.length === 0) start = i;
      run.push(w);
    }
  });
  end(clause.length);
  return runs;
}

export function phraseKey(words: Word[]): string {
  return [...new Set(words.map((w) => w.stem))].sort().join(' ');
}

/** Two runs this close (only stop words between) are read as one phrase: "delivery was late". */
const MAX_BRIDGE = 2;

/** The distinct 1–3-word phrases of one sentence. */
export function sentencePhrases(sentence: Sentence, lang: PhraseLang): Phrase[] {
  const seen = new Map<string, Phrase>();
  const add = (words: Word[], surface: Word[] = words) => {
    const key = phraseKey(words);
    if (!seen.has(key)) seen.set(key, { key, text: surface.map((w) => w.surface).join(' '), words: new Set(words.map((w) => w.stem)).size });
  };
  for (const clause of sentence.clauses) {
    const runs = candidateRuns(clause, lang);
    runs.forEach((run, r) => {
      const words = run.words;
      for (let n = 1; n <= Math.min(MAX_WORDS, words.length); n++) {
        for (let i = 0; i + n <= words.length; i++) {
          const gram = words.slice(i, i + n);
          // Not a negation alone, nor one cut from what it negates.
          if (NEGATORS.has((gram[gram.length - 1] as Word).folded)) continue;
          add(gram);
        }
      }
      const next = runs[r + 1];
      if (next && next.start - run.end - 1 <= MAX_BRIDGE) {
        const last = words[words.length - 1] as Word;
        if (NEGATORS.has(last.folded)) return;
        const head = NEGATORS.has((next.words[0] as Word).folded) ? next.words.slice(0, 2) : next.words.slice(0, 1);
        if (head.length === 0 || NEGATORS.has((head[head.length - 1] as Word).folded)) return;
        add([last, ...head], clause.slice(run.end, next.start + head.length));
      }
    });
  }
  return [...seen.values()];
}

export interface ExtractedPhrase extends Phrase {
  valence: Valence;
  /** The sentence it was found in, for an example quote. */
  quote: string;
}

export interface Extraction {
  lang: PhraseLang;
  valence: Valence;
  phrases: ExtractedPhrase[];
}

const MAX_TEXT = 20_000;
const MAX_QUOTE = 300;

/**
 * Every distinct phrase of a text, once, with the sentiment of the sentence it is in (the
 * lexicon classifier of src/domain/classifier.ts); a neutral sentence takes the text's — the
 * source's own valence when it has one (a review's rating, a survey score).
 */
export function extractPhrases(text: string, options: { lang?: PhraseLang; valence?: Valence } = {}): Extraction {
  const body = text.slice(0, MAX_TEXT);
  const lang = options.lang ?? detectLanguage(body);
  // What the source says of itself (a rating, a survey score) beats the words' overall tone.
  const overall = options.valence ?? classifyText(body).valence;
  const phrases = new Map<string, ExtractedPhrase>();
  for (const sentence of splitSentences(body)) {
    const own = classifyText(sentence.text).valence;
    const valence = own === 'neutral' ? overall : own;
    for (const p of sentencePhrases(sentence, lang)) {
      if (!phrases.has(p.key)) {
        const quote = truncateText(sentence.text, MAX_QUOTE);
        phrases.set(p.key, { ...p, valence, quote });
      }
    }
  }
  return { lang, valence: overall, phrases: [...phrases.values()] };
}

export interface PhraseCount {
  key: string;
  text: string;
  words: number;
  count: number;
}

/**
 * The phrases worth showing: a phrase is left out when a longer phrase that contains it was
 * found in most of the same texts (at least `absorb` of its count): "delivery" and "late" give
 * way to "late delivery". Ranked by count, then by length.
 */
export function topPhrases<T extends PhraseCount>(counts: readonly T[], limit: number, options: { minCount?: number; absorb?: number } = {}): T[] {
  const minCount = options.minCount ?? 2;
  const absorb = options.absorb ?? 0.6;
  const eligible = counts.filter((c) => c.count >= minCount);
  const stemsOf = new Map(eligible.map((c) => [c.key, new Set(c.key.split(' '))]));
  const contains = (big: T, small: T) => {
    const b = stemsOf.get(big.key) as Set<string>;
    const s = stemsOf.get(small.key) as Set<string>;
    return b.size > s.size && [...s].every((x) => b.has(x));
  };
  const kept = eligible.filter((p) => !eligible.some((q) => contains(q, p) && q.count >= absorb * p.count));
  return kept.sort((a, b) => b.count - a.count || b.words - a.words || a.key.localeCompare(b.key)).slice(0, limit);
}

const ARABIC_MARKS = /[\u064b-\u065f\u0670\u0640]/gu;

/**
 * The form of a phrase to show, among the forms people wrote (all the same words, folded): the
 * best-spelt — Greek with its accents (capitals lose them), Arabic without diacritics or
 * tatweel — then the most frequent, then the shortest.
 */
export function preferredForm(forms: ReadonlyMap<string, number>): string {
  const spelling = (form: string): number =>
    (form.normalize('NFD').match(/[\u0301\u0308]/gu) ?? []).length - (form.match(ARABIC_MARKS) ?? []).length;
  const ranked = [...forms].sort(
    ([a, ca], [b, cb]) => spelling(b) - spelling(a) || cb - ca || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0),
  );
  return ranked[0]?.[0] ?? '';
}

// Survey definitions and answers, pure: which questions a survey asks in which language, whether
// an answer fits them, when a customer may be asked again, and when a delayed send is due.

import { SCALES, type SurveyMetric } from './survey-metrics.ts';

export const SURVEY_KINDS = ['csat', 'nps', 'ces', 'custom'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export const SURVEY_TRIGGERS = ['ticket_solved', 'stage_reached', 'manual'] as const;
export type SurveyTrigger = (typeof SURVEY_TRIGGERS)[number];
export const SURVEY_LOCALES = ['en', 'el', 'ar'] as const;
export type SurveyLocale = (typeof SURVEY_LOCALES)[number];

/** A text in one or more of the three languages; English is the fallback. */
export type Localised = Partial<Record<SurveyLocale, string>>;

export type CustomQuestion =
  | { id: string; kind: 'choice'; text: Localised; options: { value: string; text: Localised }[]; required?: boolean }
  | { id: string; kind: 'scale'; text: Localised; min: number; max: number; required?: boolean }
  | { id: string; kind: 'text'; text: Localised; required?: boolean };

export interface SurveyDefinition {
  type: SurveyKind;
  question: Localised;
  commentPrompt: Localised;
  questions: CustomQuestion[];
}

export const DEFAULT_QUESTION: Record<SurveyMetric, Record<SurveyLocale, string>> = {
  csat: {
    en: 'How satisfied are you with the support you received?',
    el: 'Πόσο ικανοποιημένοι είστε από την εξυπηρέτηση που λάβατε;',
    ar: 'ما مدى رضاك عن الدعم الذي تلقيته؟',
  },
  nps: {
    en: 'How likely are you to recommend us to a friend or colleague?',
    el: 'Πόσο πιθανό είναι να μας προτείνετε σε έναν φίλο ή συνάδελφο;',
    ar: 'ما مدى احتمال أن توصي بنا لصديق أو زميل؟',
  },
  ces: {
    en: 'How much effort did it take to get your issue resolved?',
    el: 'Πόση προσπάθεια χρειάστηκε για να λυθεί το θέμα σας;',
    ar: 'ما مقدار الجهد الذي تطلّبه حل مشكلتك؟',
  },
};

/** Labels of the two ends of each scale. */
export const SCALE_ENDS: Record<SurveyMetric, Record<SurveyLocale, [string, string]>> = {
  csat: {
    en: ['Very dissatisfied', 'Very satisfied'],
    el: ['Πολύ δυσαρεστημένοι', 'Πολύ ικανοποιημένοι'],
    ar: ['غير راضٍ إطلاقًا', 'راضٍ جدًا'],
  },
  nps: {
    en: ['Not at all likely', 'Extremely likely'],
    el: ['Καθόλου πιθανό', 'Εξαιρετικά πιθανό'],
    ar: ['غير محتمل إطلاقًا', 'محتمل للغاية'],
  },
  ces: {
    en: ['Very little effort', 'A great deal of effort'],
    el: ['Ελάχιστη προσπάθεια', 'Πολύ μεγάλη προσπάθεια'],
    ar: ['جهد قليل جدًا', 'جهد كبير جدًا'],
  },
};

export const DEFAULT_COMMENT_PROMPT: Record<SurveyLocale, string> = {
  en: 'Anything you would like to tell us?',
  el: 'Θέλετε να μας πείτε κάτι ακόμη;',
  ar: 'هل هناك ما تود إخبارنا به؟',
};

/** The text in `locale`, else English, else any language given. */
export function localise(text: Localised, locale: SurveyLocale): string {
  return text[locale] ?? text.en ?? text.el ?? text.ar ?? '';
}

export function questionText(def: SurveyDefinition, locale: SurveyLocale): string {
  // A question written only in English falls back to the built-in text in the customer's
  // language for the standard surveys: the customer's language comes first.
  if (def.question[locale]) return def.question[locale];
  return def.type === 'custom' ? localise(def.question, locale) : DEFAULT_QUESTION[def.type][locale];
}

export function commentPromptText(def: SurveyDefinition, locale: SurveyLocale): string {
  return def.commentPrompt[locale] ?? DEFAULT_COMMENT_PROMPT[locale];
}

export interface SurveyAnswer {
  score?: number | undefined;
  comment?: string | undefined;
  publishComment?: boolean | undefined;
  answers?: Record<string, string | number> | undefined;
}

export interface CheckedAnswer {
  score: number | null;
  comment: string | null;
  publishComment: boolean;
  answers: Record<string, string | number>;
}

/** Why an answer does not fit its survey, or null when it does. */
export function answerProblem(def: SurveyDefinition, answer: SurveyAnswer): string | null {
  if (def.type !== 'custom') {
    const { min, max } = SCALES[def.type];
    if (answer.score === undefined) return `score is required (${min}–${max})`;
    if (!Number.isInteger(answer.score) || answer.score < min || answer.score > max) {
      return `score must be a whole number from ${min} to ${max}`;
    }
    if (answer.answers && Object.keys(answer.answers).length > 0) return 'this survey has no custom questions';
    return null;
  }
  if (answer.score !== undefined) return 'this survey has no score question; answer its questions';
  const given = answer.answers ?? {};
  const known = new Set(def.questions.map((q) => q.id));
  const unknown = Object.keys(given).find((k) => !known.has(k));
  if (unknown) return `unknown question ${unknown}`;
  for (const q of def.questions) {
    const value = given[q.id];
    if (value === undefined || value === '') {
      if (q.required) return `question ${q.id} is required`;
      continue;
    }
    if (q.kind === 'choice' && !q.options.some((o) => o.value === value)) return `question ${q.id}: not one of its options`;
    if (q.kind === 'scale' && (typeof value !== 'number' || !Number.isInteger(value) || value < q.min || value > q.max)) {
      return `question ${q.id}: a whole number from ${q.min} to ${q.max}`;
    }
    if (q.kind === 'text' && (typeof value !== 'string' || value.length > 5_000)) return `question ${q.id}: text up to 5000 characters`;
  }
  return null;
}

export function checkedAnswer(def: SurveyDefinition, answer: SurveyAnswer): CheckedAnswer {
  const comment = answer.comment?.trim() ? answer.comment.trim() : null;
  return {
    score: def.type === 'custom' ? null : (answer.score ?? null),
    comment,
    publishComment: Boolean(comment && answer.publishComment),
    answers: answer.answers ?? {},
  };
}

const DAY_MS = 86_400_000;

/**
 * Nobody is surveyed more than once per `throttleDays`: a customer last surveyed at
 * `lastSurveyedAt` may be asked again from lastSurveyedAt + throttleDays on. 0 days: no limit.
 */
export function mayBeSurveyed(lastSurveyedAt: Date | null, at: Date, throttleDays: number): boolean {
  if (!lastSurveyedAt || throttleDays <= 0) return true;
  return at.getTime() >= lastSurveyedAt.getTime() + throttleDays * DAY_MS;
}

/** When a survey triggered at `at` goes out. */
export function dueAt(at: Date, delayMinutes: number): Date {
  return new Date(at.getTime() + Math.max(0, delayMinutes) * 60_000);
}

// The five moments of truth: the stage of a customer touchpoint along the journey, in
// journey order, and the valence (the impression it left). Names are the spec's, per locale.

export const STAGES = ['lzmot', 'zmot', 'fmot', 'smot', 'umot'] as const;
export type Stage = (typeof STAGES)[number];

export const VALENCES = ['positive', 'neutral', 'negative'] as const;
export type Valence = (typeof VALENCES)[number];

export const STAGE_LOCALES = ['en', 'el', 'ar'] as const;
export type StageLocale = (typeof STAGE_LOCALES)[number];

const STAGE_NAMES: Record<Stage, Record<StageLocale, string>> = {
  lzmot: {
    en: 'Less-than-zero moment of truth',
    el: 'Αρνητική στιγμή αλήθειας',
    ar: 'لحظة الحقيقة الأقل من الصفر',
  },
  zmot: {
    en: 'Zero moment of truth (ZMOT)',
    el: 'Μηδενική στιγμή αλήθειας',
    ar: 'لحظة الحقيقة الصفرية',
  },
  fmot: {
    en: 'First moment of truth (FMOT)',
    el: 'Πρώτη στιγμή της αλήθειας',
    ar: 'لحظة الحقيقة الأولى',
  },
  smot: {
    en: 'Second moment of truth (SMOT)',
    el: 'Δεύτερη στιγμή της αλήθειας',
    ar: 'لحظة الحقيقة الثانية',
  },
  umot: {
    en: 'Ultimate moment of truth (UMOT)',
    el: 'Η τελική στιγμή της αλήθειας',
    ar: 'لحظة الحقيقة المطلقة',
  },
};

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export function isValence(value: unknown): value is Valence {
  return typeof value === 'string' && (VALENCES as readonly string[]).includes(value);
}

/**
 * The stage's name for the UI. Accepts a BCP 47 tag ('el-GR', 'ar_EG'); any language other
 * than Greek or Arabic gets English.
 */
export function stageName(stage: Stage, locale: string = 'en'): string {
  const language = locale.toLowerCase().split(/[-_]/)[0];
  const key: StageLocale = language === 'el' || language === 'ar' ? language : 'en';
  return STAGE_NAMES[stage][key];
}

/** The stage that follows in the journey; the ultimate moment is the last (null after it). */
export function nextStage(stage: Stage): Stage | null {
  const index = STAGES.indexOf(stage);
  return STAGES[index + 1] ?? null;
}

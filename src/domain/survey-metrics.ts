// The three survey metrics, exactly as the product defines them (PRODUCT.md, "Metrics"). Pure.
//
//   CSAT  share of 1–5 answers that are 4 or 5, as a percentage 0…100
//   NPS   % of 0–10 answers that are 9–10 minus % that are 0–6, −100…100
//   CES   mean of 1–7 answers, 1…7
//
// An empty set has no value: every function answers null, never 0 (0 % CSAT and an NPS of 0
// are real, bad or middling, results; "nobody answered" is not). Answers outside a metric's
// scale, or not whole numbers, are a programming error here (routes refuse them first) and
// throw a RangeError. Computation runs on exact counts; only the result is rounded, half away
// from zero: CSAT and NPS to one decimal (87.5, −33.3), CES to two decimals (3.67).

export const SURVEY_TYPES = ['csat', 'nps', 'ces'] as const;
export type SurveyMetric = (typeof SURVEY_TYPES)[number];

export const SCALES: Readonly<Record<SurveyMetric, { min: number; max: number }>> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
  ces: { min: 1, max: 7 },
};

/** Rounds half away from zero to `decimals` places (Math.round rounds −0.5 up to −0). */
export function roundHalfAway(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.sign(value) * Math.round(Math.abs(value) * f + Number.EPSILON * f) / f;
  return r === 0 ? 0 : r; // no −0 in reports
}

function check(metric: SurveyMetric, scores: readonly number[]): void {
  const { min, max } = SCALES[metric];
  for (const s of scores) {
    if (!Number.isInteger(s) || s < min || s > max) {
      throw new RangeError(`${metric.toUpperCase()} answers are whole numbers ${min}–${max}; got ${s}`);
    }
  }
}

/** Counts that the metrics need; a report can sum them per group in SQL and finish here. */
export interface MetricCounts {
  csat: { total: number; satisfied: number };
  nps: { total: number; promoters: number; detractors: number };
  ces: { total: number; sum: number };
}

export const csatFromCounts = (c: MetricCounts['csat']): number | null =>
  c.total === 0 ? null : roundHalfAway((100 * c.satisfied) / c.total, 1);

export const npsFromCounts = (c: MetricCounts['nps']): number | null =>
  c.total === 0 ? null : roundHalfAway((100 * (c.promoters - c.detractors)) / c.total, 1);

export const cesFromCounts = (c: MetricCounts['ces']): number | null =>
  c.total === 0 ? null : roundHalfAway(c.sum / c.total, 2);

/** CSAT: percentage of 1–5 answers that are 4 or 5; null when there are none. */
export function csat(scores: readonly number[]): number | null {
  check('csat', scores);
  return csatFromCounts({ total: scores.length, satisfied: scores.filter((s) => s >= 4).length });
}

/** NPS: %promoters (9–10) − %detractors (0–6) on 0–10 answers; null when there are none. */
export function nps(scores: readonly number[]): number | null {
  check('nps', scores);
  return npsFromCounts({
    total: scores.length,
    promoters: scores.filter((s) => s >= 9).length,
    detractors: scores.filter((s) => s <= 6).length,
  });
}

/** CES: mean of 1–7 answers; null when there are none. */
export function ces(scores: readonly number[]): number | null {
  check('ces', scores);
  return cesFromCounts({ total: scores.length, sum: scores.reduce((a, b) => a + b, 0) });
}

export function metric(type: SurveyMetric, scores: readonly number[]): number | null {
  return type === 'csat' ? csat(scores) : type === 'nps' ? nps(scores) : ces(scores);
}

/** Where a single answer falls: the valence of the touchpoint it becomes. */
export function scoreValence(type: SurveyMetric, score: number): 'positive' | 'neutral' | 'negative' {
  check(type, [score]);
  if (type === 'csat') return score >= 4 ? 'positive' : score <= 2 ? 'negative' : 'neutral';
  if (type === 'nps') return score >= 9 ? 'positive' : score <= 6 ? 'negative' : 'neutral';
  // CES: 1 = very easy … 7 = very hard.
  return score <= 3 ? 'positive' : score >= 5 ? 'negative' : 'neutral';
}

/** Thresholds at or beyond which an answer asks for service recovery (configurable per survey). */
export interface NegativeThresholds {
  /** CSAT at or below (default 2). */
  csatMax: number;
  /** NPS at or below (default 6). */
  npsMax: number;
  /** CES at or above (default 5). */
  cesMin: number;
}
export const DEFAULT_NEGATIVE: NegativeThresholds = { csatMax: 2, npsMax: 6, cesMin: 5 };

export function isNegativeAnswer(type: SurveyMetric, score: number, t: NegativeThresholds = DEFAULT_NEGATIVE): boolean {
  check(type, [score]);
  if (type === 'csat') return score <= t.csatMax;
  if (type === 'nps') return score <= t.npsMax;
  return score >= t.cesMin;
}

// The health of one moment of truth over one period, as a single score 0–100 beside the parts
// it is made of, and the rule that raises an alert when it drops. Pure.
//
// The formula (also in the README):
//
//   part           raw value                         normalised to 0–100            weight
//   nps            NPS −100…100                      (nps + 100) / 2                 0.15
//   csat           CSAT % 0…100                      csat                            0.15
//   ces            CES mean 1…7 (1 = easy)           (7 − ces) / 6 × 100             0.10
//   sentiment      text touchpoints +/=/−            50 + 50 × (pos − neg) / texts   0.20
//   conversion     share reaching the next stage     conversion × 100                0.20
//   negativeShare  share of negative touchpoints     (1 − share) × 100               0.20
//
//   score = Σ weight × normalised / Σ weight, over the parts that have data, rounded to one
//   decimal. A part without data (no answers, no texts, no touchpoints, no next stage — the
//   ultimate moment has none) is left out and the others are re-weighted, so a stage is never
//   punished for what nobody measured. No part at all → null (no score), never 0.
//
// The alert: a stage's score *drops* when previous − current ≥ threshold points (threshold
// > 0, e.g. 10); periods without a score never alert.
import { roundHalfAway } from './survey-metrics.ts';

export const HEALTH_PARTS = ['nps', 'csat', 'ces', 'sentiment', 'conversion', 'negativeShare'] as const;
export type HealthPart = (typeof HEALTH_PARTS)[number];

export const HEALTH_WEIGHTS: Readonly<Record<HealthPart, number>> = {
  nps: 0.15,
  csat: 0.15,
  ces: 0.1,
  sentiment: 0.2,
  conversion: 0.2,
  negativeShare: 0.2,
};

export interface SentimentCounts {
  positive: number;
  neutral: number;
  negative: number;
}

/** What a stage measured in a period; null (or empty counts) where nothing was measured. */
export interface HealthInputs {
  nps: number | null;
  csat: number | null;
  ces: number | null;
  /** Valences of the stage's text touchpoints (with free text: reviews, comments, messages). */
  sentiment: SentimentCounts | null;
  /** Share 0…1 of the stage's people later seen at the next stage. */
  conversion: number | null;
  /** Share 0…1 of the stage's touchpoints that are negative. */
  negativeShare: number | null;
}

export interface HealthPartScore {
  part: HealthPart;
  /** The measured value as reported (NPS, CSAT %, CES mean, net sentiment −1…1, shares 0…1). */
  value: number;
  /** The value on 0–100, higher is healthier. */
  normalised: number;
  /** The weight after re-weighting over the parts that have data (they sum to 1). */
  weight: number;
}

export interface StageHealth {
  score: number | null;
  parts: HealthPartScore[];
  /** Parts without data, left out of the score. */
  missing: HealthPart[];
}

const clamp = (x: number) => Math.min(100, Math.max(0, x));

function normalise(part: HealthPart, inputs: HealthInputs): { value: number; normalised: number } | null {
  switch (part) {
    case 'nps':
      return inputs.nps === null ? null : { value: inputs.nps, normalised: clamp((inputs.nps + 100) / 2) };
    case 'csat':
      return inputs.csat === null ? null : { value: inputs.csat, normalised: clamp(inputs.csat) };
    case 'ces':
      return inputs.ces === null ? null : { value: inputs.ces, normalised: clamp(((7 - inputs.ces) / 6) * 100) };
    case 'sentiment': {
      const s = inputs.sentiment;
      const total = s ? s.positive + s.neutral + s.negative : 0;
      if (!s || total === 0) return null;
      const net = (s.positive - s.negative) / total;
      return { value: roundHalfAway(net, 4), normalised: clamp(50 + 50 * net) };
    }
    case 'conversion':
      return inputs.conversion === null ? null : { value: inputs.conversion, normalised: clamp(inputs.conversion * 100) };
    case 'negativeShare':
      return inputs.negativeShare === null ? null : { value: inputs.negativeShare, normalised: clamp((1 - inputs.negativeShare) * 100) };
  }
}

export function stageHealth(inputs: HealthInputs): StageHealth {
  const present: { part: HealthPart; value: number; normalised: number }[] = [];
  const missing: HealthPart[] = [];
  for (const part of HEALTH_PARTS) {
    const n = normalise(part, inputs);
    if (n === null || !Number.isFinite(n.normalised)) missing.push(part);
    else present.push({ part, ...n });
  }
  const totalWeight = present.reduce((sum, p) => sum + HEALTH_WEIGHTS[p.part], 0);
  if (present.length === 0 || totalWeight === 0) return { score: null, parts: [], missing };
  const parts = present.map((p) => ({
    part: p.part,
    value: p.value,
    normalised: roundHalfAway(p.normalised, 1),
    weight: roundHalfAway(HEALTH_WEIGHTS[p.part] / totalWeight, 4),
  }));
  const score = present.reduce((sum, p) => sum + HEALTH_WEIGHTS[p.part] * p.normalised, 0) / totalWeight;
  return { score: clamp(roundHalfAway(score, 1)), parts, missing };
}

export interface HealthDrop {
  previous: number;
  current: number;
  /** previous − current, in points (one decimal). */
  drop: number;
}

/** The alert rule: a drop of at least `threshold` points between two consecutive scores. */
export function healthDrop(previous: number | null, current: number | null, threshold: number): HealthDrop | null {
  if (!(threshold > 0)) throw new RangeError(`the alert threshold is a positive number of points; got ${threshold}`);
  if (previous === null || current === null) return null;
  const drop = roundHalfAway(previous - current, 1);
  return drop >= threshold ? { previous, current, drop } : null;
}

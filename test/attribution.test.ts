// UMOT → ZMOT attribution (pure): hand-computed fixtures and properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTION_MODELS, attribute, rankReviews } from '../src/domain/attribution.ts';
import type { Conversion, ReviewView } from '../src/domain/attribution.ts';

const DAY = 86_400_000;
const base = Date.UTC(2026, 8, 1);
const at = (day: number) => new Date(base + day * DAY);
const view = (person: string, reviewId: string, day: number): ReviewView => ({ person, reviewId, viewedAt: at(day) });

// Reviews: R1 and R3 praise the product, R2 is negative ("Η παράδοση άργησε δύο εβδομάδες").
// V reads R1 (twice), the negative R2 and R3, then buys on day 10. W reads only R2 and never buys.
// X reads R3 on day 35 (window still open on day 40). Y read R1 long before buying (outside the window).
const views = [
  view('V', 'R1', 0),
  view('V', 'R1', 1),
  view('V', 'R2', 2),
  view('V', 'R3', 5),
  view('W', 'R2', 1),
  view('X', 'R3', 35),
  view('Y', 'R1', -40),
];
const conversions: Conversion[] = [
  { id: 'cV', person: 'V', convertedAt: at(10) },
  { id: 'cY', person: 'Y', convertedAt: at(10) },
  { id: 'cZ', person: 'Z', convertedAt: at(12) },
];

describe('attribute (hand-computed)', () => {
  it('first touch credits the first review seen in the window', () => {
    expect(attribute(conversions, views, { model: 'first_touch', lookbackDays: 30 })).toEqual([{ conversionId: 'cV', reviewId: 'R1', credit: 1 }]);
  });
  it('last touch credits the last review seen', () => {
    expect(attribute(conversions, views, { model: 'last_touch', lookbackDays: 30 })).toEqual([{ conversionId: 'cV', reviewId: 'R3', credit: 1 }]);
  });
  it('linear shares the conversion equally among the distinct reviews seen, the negative one included', () => {
    expect(attribute(conversions, views, { model: 'linear', lookbackDays: 30 })).toEqual([
      { conversionId: 'cV', reviewId: 'R1', credit: 1 / 3 },
      { conversionId: 'cV', reviewId: 'R2', credit: 1 / 3 },
      { conversionId: 'cV', reviewId: 'R3', credit: 1 / 3 },
    ]);
  });
  it('a shorter lookback leaves out older views; a view at the conversion instant counts', () => {
    expect(attribute(conversions, views, { model: 'first_touch', lookbackDays: 8 })).toEqual([{ conversionId: 'cV', reviewId: 'R2', credit: 1 }]);
    expect(attribute(conversions, views, { model: 'linear', lookbackDays: 5 })).toEqual([{ conversionId: 'cV', reviewId: 'R3', credit: 1 }]);
    expect(attribute([{ id: 'c', person: 'P', convertedAt: at(3) }], [view('P', 'R9', 3)], { model: 'last_touch' })).toEqual([
      { conversionId: 'c', reviewId: 'R9', credit: 1 },
    ]);
    expect(attribute([{ id: 'c', person: 'P', convertedAt: at(3) }], [view('P', 'R9', 3.0001)], { model: 'last_touch' })).toEqual([]);
  });
});

describe('rankReviews (hand-computed, day 40)', () => {
  it('linear: reach, influence and lost prospects per review', () => {
    const ranked = rankReviews(conversions, views, { model: 'linear', lookbackDays: 30, at: at(40) });
    expect(ranked).toEqual([
      { reviewId: 'R1', views: 3, prospectsReached: 2, conversionsInfluenced: 1, attributedConversions: 1 / 3, lostProspects: 1 },
      { reviewId: 'R2', views: 2, prospectsReached: 2, conversionsInfluenced: 1, attributedConversions: 1 / 3, lostProspects: 1 },
      { reviewId: 'R3', views: 2, prospectsReached: 2, conversionsInfluenced: 1, attributedConversions: 1 / 3, lostProspects: 0 },
    ]);
  });
  it('last touch ranks R3 first; R2 (negative) preceded a lost prospect (W)', () => {
    const ranked = rankReviews(conversions, views, { model: 'last_touch', lookbackDays: 30, at: at(40) });
    expect(ranked.map((r) => [r.reviewId, r.attributedConversions, r.lostProspects])).toEqual([
      ['R3', 1, 0],
      ['R1', 0, 1],
      ['R2', 0, 1],
    ]);
    // Influence does not depend on the model: V's conversion followed all three.
    expect(ranked.map((r) => r.conversionsInfluenced)).toEqual([1, 1, 1]);
  });
  it('a viewer whose window is still open is not lost', () => {
    const ranked = rankReviews([], [view('W', 'R2', 1)], { model: 'linear', lookbackDays: 30, at: at(30) });
    expect(ranked[0]!.lostProspects).toBe(0);
    expect(rankReviews([], [view('W', 'R2', 1)], { model: 'linear', lookbackDays: 30, at: at(31) })[0]!.lostProspects).toBe(1);
  });
});

const arbViews = fc.array(
  fc.record({
    person: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
    reviewId: fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5'),
    viewedAt: fc.integer({ min: 0, max: 60 * DAY }).map((ms) => new Date(base + ms)),
  }),
  { maxLength: 40 },
);
const arbConversions = fc
  .array(fc.record({ person: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'), ms: fc.integer({ min: 0, max: 60 * DAY }) }), { maxLength: 10 })
  .map((cs) => cs.map((c, i) => ({ id: `c${i}`, person: c.person, convertedAt: new Date(base + c.ms) })));
const arbModel = fc.constantFrom(...ATTRIBUTION_MODELS);

describe('attribution properties', () => {
  it('each attributed conversion hands out exactly 1, only to reviews its person saw in the window', () => {
    fc.assert(
      fc.property(arbViews, arbConversions, arbModel, fc.integer({ min: 1, max: 45 }), (vs, cs, model, lookbackDays) => {
        const credits = attribute(cs, vs, { model, lookbackDays });
        const sums = new Map<string, number>();
        for (const c of credits) {
          sums.set(c.conversionId, (sums.get(c.conversionId) ?? 0) + c.credit);
          const conv = cs.find((x) => x.id === c.conversionId)!;
          const seen = vs.some(
            (v) =>
              v.person === conv.person &&
              v.reviewId === c.reviewId &&
              v.viewedAt <= conv.convertedAt &&
              v.viewedAt.getTime() >= conv.convertedAt.getTime() - lookbackDays * DAY,
          );
          expect(seen).toBe(true);
          expect(c.credit).toBeGreaterThan(0);
        }
        for (const sum of sums.values()) expect(sum).toBeCloseTo(1, 10);
        if (model !== 'linear') expect(credits.length).toBe(sums.size);
      }),
    );
  });

  it('the answer does not depend on the order of the input', () => {
    fc.assert(
      fc.property(arbViews, arbConversions, arbModel, (vs, cs, model) => {
        const a = rankReviews(cs, vs, { model, at: at(90) });
        const b = rankReviews([...cs].reverse(), [...vs].reverse(), { model, at: at(90) });
        expect(b).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('the answer does not depend on the order of the input (a case found once: fractions summed in another order)', () => {
    const vs = [view('p3', 'r2', 0), view('p3', 'r3', 0), { person: 'p3', reviewId: 'r1', viewedAt: new Date(base + 1) }];
    const cs = [
      { id: 'c0', person: 'p3', convertedAt: new Date(base + 30 * DAY + 1) },
      { id: 'c1', person: 'p3', convertedAt: new Date(base + 30 * DAY + 1) },
      { id: 'c2', person: 'p3', convertedAt: new Date(base + 1) },
    ];
    const a = rankReviews(cs, vs, { model: 'linear', at: at(90) });
    expect(rankReviews([...cs].reverse(), [...vs].reverse(), { model: 'linear', at: at(90) })).toEqual(a);
  });

  it('the sum of attributed conversions over reviews equals the attributed conversions; lost ≤ reached', () => {
    fc.assert(
      fc.property(arbViews, arbConversions, arbModel, (vs, cs, model) => {
        const ranked = rankReviews(cs, vs, { model, at: at(90) });
        const attributed = new Set(attribute(cs, vs, { model }).map((c) => c.conversionId)).size;
        expect(ranked.reduce((s, r) => s + r.attributedConversions, 0)).toBeCloseTo(attributed, 10);
        for (const r of ranked) {
          expect(r.lostProspects).toBeLessThanOrEqual(r.prospectsReached);
          expect(r.conversionsInfluenced).toBeLessThanOrEqual(cs.length);
        }
      }),
    );
  });
});

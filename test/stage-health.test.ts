// Stage health score and its drop alert (pure).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEALTH_WEIGHTS, healthDrop, stageHealth } from '../src/domain/stage-health.ts';
import type { HealthInputs } from '../src/domain/stage-health.ts';

const none: HealthInputs = { nps: null, csat: null, ces: null, sentiment: null, conversion: null, negativeShare: null };

describe('stageHealth (hand-computed)', () => {
  it('weighs every part when all are measured', () => {
    // nps 20 → 60; csat 80 → 80; ces 3 → 66.67; sentiment 6+/2=/2− → net 0.4 → 70;
    // conversion 0.25 → 25; negative share 0.1 → 90.
    // 0.15·60 + 0.15·80 + 0.10·66.667 + 0.20·70 + 0.20·25 + 0.20·90 = 64.667 → 64.7
    const h = stageHealth({ nps: 20, csat: 80, ces: 3, sentiment: { positive: 6, neutral: 2, negative: 2 }, conversion: 0.25, negativeShare: 0.1 });
    expect(h.score).toBe(64.7);
    expect(h.missing).toEqual([]);
    expect(h.parts).toEqual([
      { part: 'nps', value: 20, normalised: 60, weight: 0.15 },
      { part: 'csat', value: 80, normalised: 80, weight: 0.15 },
      { part: 'ces', value: 3, normalised: 66.7, weight: 0.1 },
      { part: 'sentiment', value: 0.4, normalised: 70, weight: 0.2 },
      { part: 'conversion', value: 0.25, normalised: 25, weight: 0.2 },
      { part: 'negativeShare', value: 0.1, normalised: 90, weight: 0.2 },
    ]);
  });

  it('re-weights over the parts that have data (the ultimate moment has no next stage)', () => {
    // sentiment 70 and negative share 90, each weight 0.2 of 0.4 → 80
    const h = stageHealth({ ...none, sentiment: { positive: 6, neutral: 2, negative: 2 }, negativeShare: 0.1 });
    expect(h.score).toBe(80);
    expect(h.parts.map((p) => p.weight)).toEqual([0.5, 0.5]);
    expect(h.missing).toEqual(['nps', 'csat', 'ces', 'conversion']);
  });

  it('empty sentiment counts are missing; nothing measured is no score, not 0', () => {
    expect(stageHealth({ ...none, sentiment: { positive: 0, neutral: 0, negative: 0 } })).toEqual({
      score: null,
      parts: [],
      missing: ['nps', 'csat', 'ces', 'sentiment', 'conversion', 'negativeShare'],
    });
    expect(stageHealth({ ...none, nps: -100, csat: 0, ces: 7, conversion: 0, negativeShare: 1 }).score).toBe(0);
    expect(stageHealth({ ...none, nps: 100, csat: 100, ces: 1, conversion: 1, negativeShare: 0 }).score).toBe(100);
  });
});

describe('healthDrop (the alert rule)', () => {
  it('alerts when the score falls by at least the threshold', () => {
    expect(healthDrop(72, 64.7, 5)).toEqual({ previous: 72, current: 64.7, drop: 7.3 });
    expect(healthDrop(72, 64.7, 10)).toBeNull();
    expect(healthDrop(70, 60, 10)).toEqual({ previous: 70, current: 60, drop: 10 });
    expect(healthDrop(60, 70, 5)).toBeNull();
    expect(healthDrop(null, 10, 5)).toBeNull();
    expect(healthDrop(80, null, 5)).toBeNull();
    expect(() => healthDrop(80, 60, 0)).toThrow(RangeError);
  });
});

describe('stage health properties', () => {
  const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
  const arbInputs: fc.Arbitrary<HealthInputs> = fc.record({
    nps: opt(fc.integer({ min: -100, max: 100 })),
    csat: opt(fc.double({ min: 0, max: 100, noNaN: true })),
    ces: opt(fc.double({ min: 1, max: 7, noNaN: true })),
    sentiment: opt(fc.record({ positive: fc.nat(50), neutral: fc.nat(50), negative: fc.nat(50) })),
    conversion: opt(fc.double({ min: 0, max: 1, noNaN: true })),
    negativeShare: opt(fc.double({ min: 0, max: 1, noNaN: true })),
  });

  it('the score is in 0…100 (or null when nothing was measured) and the weights sum to 1', () => {
    fc.assert(
      fc.property(arbInputs, (inputs) => {
        const h = stageHealth(inputs);
        expect(h.parts.length + h.missing.length).toBe(Object.keys(HEALTH_WEIGHTS).length);
        if (h.parts.length === 0) return expect(h.score).toBeNull();
        expect(h.score! >= 0 && h.score! <= 100).toBe(true);
        expect(h.parts.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 3);
        const min = Math.min(...h.parts.map((p) => p.normalised));
        const max = Math.max(...h.parts.map((p) => p.normalised));
        expect(h.score!).toBeGreaterThanOrEqual(min - 0.1);
        expect(h.score!).toBeLessThanOrEqual(max + 0.1);
      }),
    );
  });

  it('a better CSAT never lowers the score', () => {
    fc.assert(
      fc.property(arbInputs, fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (inputs, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(stageHealth({ ...inputs, csat: hi }).score!).toBeGreaterThanOrEqual(stageHealth({ ...inputs, csat: lo }).score! - 0.05);
      }),
    );
  });
});

// CSAT, NPS and CES equal hand-computed values, including empty and all-same sets, and keep
// their bounds and ignore answer order (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ces, csat, csatFromCounts, isNegativeAnswer, nps, roundHalfAway, scoreValence,
} from '../src/domain/survey-metrics.ts';

describe('CSAT (share of 1–5 answers that are 4 or 5, percent, one decimal)', () => {
  it('matches hand-computed fixtures', () => {
    // 4,5,5 satisfied of 8 → 3/8 = 37.5 %
    expect(csat([1, 2, 3, 4, 5, 5, 3, 2])).toBe(37.5);
    // 2 of 3 → 66.666… → 66.7
    expect(csat([5, 4, 1])).toBe(66.7);
    // 1 of 3 → 33.3
    expect(csat([4, 3, 3])).toBe(33.3);
    expect(csat([3])).toBe(0);
  });
  it('is null for no answers and 0/100 for all-same sets', () => {
    expect(csat([])).toBeNull();
    expect(csat([5, 5, 5, 5])).toBe(100);
    expect(csat([4, 4])).toBe(100);
    expect(csat([3, 3, 3])).toBe(0);
    expect(csat([1, 1])).toBe(0);
  });
  it('refuses answers off the scale', () => {
    expect(() => csat([0])).toThrow(RangeError);
    expect(() => csat([6])).toThrow(RangeError);
    expect(() => csat([4.5])).toThrow(RangeError);
  });
});

describe('NPS (%9–10 minus %0–6, −100…100, one decimal)', () => {
  it('matches hand-computed fixtures', () => {
    // promoters 9,10,10 = 3; detractors 0,3,6 = 3; passives 7,8 → (3−3)/8 = 0
    expect(nps([0, 3, 6, 7, 8, 9, 10, 10])).toBe(0);
    // 10 answers: promoters 5 (9,9,10,10,10), passives 3 (7,8,8), detractors 2 (5,6) → 50−20 = 30
    expect(nps([9, 9, 10, 10, 10, 7, 8, 8, 5, 6])).toBe(30);
    // 3 answers: 1 promoter, 2 detractors → (1−2)/3 = −33.33… → −33.3
    expect(nps([10, 2, 6])).toBe(-33.3);
    // 6 answers: 4 promoters, 1 detractor → 3/6 = 50
    expect(nps([9, 9, 9, 10, 7, 0])).toBe(50);
    // 7 and 8 are passive: they count in the total only.
    expect(nps([7, 8, 9])).toBe(33.3);
  });
  it('is null for no answers; all-same sets give −100, 0 or 100', () => {
    expect(nps([])).toBeNull();
    expect(nps([10, 10, 10])).toBe(100);
    expect(nps([9])).toBe(100);
    expect(nps([8, 8, 8, 8])).toBe(0);
    expect(nps([7])).toBe(0);
    expect(nps([6, 6])).toBe(-100);
    expect(nps([0, 0, 0])).toBe(-100);
  });
  it('refuses answers off the scale', () => {
    expect(() => nps([11])).toThrow(RangeError);
    expect(() => nps([-1])).toThrow(RangeError);
  });
});

describe('CES (mean of 1–7 answers, two decimals)', () => {
  it('matches hand-computed fixtures', () => {
    expect(ces([1, 2, 3, 4, 5, 6, 7])).toBe(4);
    // 11 / 3 = 3.666… → 3.67
    expect(ces([2, 4, 5])).toBe(3.67);
    // 8 / 6 = 1.333… → 1.33
    expect(ces([1, 1, 1, 1, 2, 2])).toBe(1.33);
    // 9 / 8 = 1.125 → 1.13 (half away from zero)
    expect(ces([1, 1, 1, 1, 1, 1, 1, 2])).toBe(1.13);
  });
  it('is null for no answers and the value itself for all-same sets', () => {
    expect(ces([])).toBeNull();
    expect(ces([7, 7, 7])).toBe(7);
    expect(ces([1])).toBe(1);
    expect(ces([4, 4])).toBe(4);
  });
  it('refuses answers off the scale', () => {
    expect(() => ces([0])).toThrow(RangeError);
    expect(() => ces([8])).toThrow(RangeError);
  });
});

describe('rounding and single answers', () => {
  it('rounds half away from zero and never answers −0', () => {
    expect(roundHalfAway(2.25, 1)).toBe(2.3);
    expect(roundHalfAway(-2.25, 1)).toBe(-2.3);
    expect(Object.is(roundHalfAway(-0.01, 1), 0)).toBe(true);
    expect(csatFromCounts({ total: 3, satisfied: 2 })).toBe(66.7);
  });
  it('gives each answer a valence and tells negative answers by the default thresholds', () => {
    expect([1, 2, 3, 4, 5].map((s) => scoreValence('csat', s))).toEqual(['negative', 'negative', 'neutral', 'positive', 'positive']);
    expect([0, 6, 7, 8, 9, 10].map((s) => scoreValence('nps', s))).toEqual(['negative', 'negative', 'neutral', 'neutral', 'positive', 'positive']);
    expect([1, 3, 4, 5, 7].map((s) => scoreValence('ces', s))).toEqual(['positive', 'positive', 'neutral', 'negative', 'negative']);
    expect([1, 2, 3].map((s) => isNegativeAnswer('csat', s))).toEqual([true, true, false]);
    expect([6, 7].map((s) => isNegativeAnswer('nps', s))).toEqual([true, false]);
    expect([4, 5].map((s) => isNegativeAnswer('ces', s))).toEqual([false, true]);
    expect(isNegativeAnswer('csat', 3, { csatMax: 3, npsMax: 6, cesMin: 5 })).toBe(true);
  });
});

describe('properties', () => {
  const answers = (min: number, max: number) => fc.array(fc.integer({ min, max }), { minLength: 1, maxLength: 200 });
  const shuffled = <T>(xs: T[], seed: number) => {
    const out = [...xs];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };

  it('stay within their bounds', () => {
    fc.assert(fc.property(answers(1, 5), (xs) => { const v = csat(xs) as number; return v >= 0 && v <= 100; }));
    fc.assert(fc.property(answers(0, 10), (xs) => { const v = nps(xs) as number; return v >= -100 && v <= 100; }));
    fc.assert(fc.property(answers(1, 7), (xs) => { const v = ces(xs) as number; return v >= 1 && v <= 7; }));
  });
  it('do not depend on the order of the answers', () => {
    fc.assert(fc.property(answers(1, 5), fc.nat(), (xs, seed) => csat(xs) === csat(shuffled(xs, seed))));
    fc.assert(fc.property(answers(0, 10), fc.nat(), (xs, seed) => nps(xs) === nps(shuffled(xs, seed))));
    fc.assert(fc.property(answers(1, 7), fc.nat(), (xs, seed) => ces(xs) === ces(shuffled(xs, seed))));
  });
  it('are unchanged when every answer is repeated k times (they are shares and means)', () => {
    fc.assert(fc.property(answers(0, 10), fc.integer({ min: 2, max: 5 }), (xs, k) => nps(xs) === nps(xs.flatMap((x) => Array(k).fill(x)))));
    fc.assert(fc.property(answers(1, 5), fc.integer({ min: 2, max: 5 }), (xs, k) => csat(xs) === csat(xs.flatMap((x) => Array(k).fill(x)))));
  });
  it('NPS rises (or stays) when one answer is raised', () => {
    fc.assert(fc.property(answers(0, 9), fc.nat(), (xs, i) => {
      const j = i % xs.length;
      const raised = xs.map((x, k) => (k === j ? x + 1 : x));
      return (nps(raised) as number) >= (nps(xs) as number);
    }));
  });
});

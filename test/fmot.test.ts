// FMOT window (pure): visits, first-seconds bounce, engagement and conversion in the same visit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOUNCE_MS, buildVisits, countVisits, dimensionValue, fmotMetrics } from '../src/domain/fmot.ts';
import type { FmotEvent } from '../src/domain/fmot.ts';
import { outcomeOf } from '../src/domain/mattered.ts';

const t0 = Date.UTC(2026, 9, 5, 10, 0, 0);
const S = 1000;
const MIN = 60 * S;
let seq = 0;
const ev = (person: string, event: string, ms: number, properties: Record<string, unknown> = {}, messageId?: string): FmotEvent => ({
  messageId: messageId ?? `m${String(++seq).padStart(3, '0')}`,
  person,
  event,
  occurredAt: new Date(t0 + ms),
  properties,
});
const isConversion = (e: FmotEvent) => outcomeOf({ event: e.event, stage: 'fmot', valence: 'neutral' }) === 'conversion';

describe('buildVisits (hand-computed)', () => {
  // A: product page for 3 s (own dwellMs) → bounce.
  // B: product page, left 45 s later (leave event naming the visit), bought 2 min later → engaged, converted.
  // C: app opened, a plain leave 7 s later (exactly 7 s → bounce); an hour later 20 s in the app,
  //    then a purchase 40 min later (past the 30-minute timeout) → not converted.
  // D: demo started, no dwell reported (unknown), bought 10 min later → converted.
  const events = [
    ev('A', 'Product Viewed', 0, { dwellMs: 3000, product: 'Θερμοστάτης Aurora', store: 'Αθήνα' }, 'a1'),
    ev('B', 'Product Viewed', 0, { product: 'Θερμοστάτης Aurora' }, 'b1'),
    ev('B', 'Page Left', 45 * S, { visitId: 'b1' }),
    ev('B', 'Order Completed', 2 * MIN),
    ev('C', 'App Opened', 0, {}, 'c1'),
    ev('C', 'Page Left', 7 * S),
    ev('C', 'App Opened', 60 * MIN, { dwellMs: 20_000 }, 'c2'),
    ev('C', 'Order Completed', 100 * MIN),
    ev('D', 'Demo Started', 0, { page: '/ar/منتج' }, 'd1'),
    ev('D', 'Order Completed', 10 * MIN),
  ];
  const visits = buildVisits(events, isConversion);

  it('finds each visit, its dwell, bounce and same-visit conversion', () => {
    const by = Object.fromEntries(visits.map((v) => [v.messageId, [v.dwellMs, v.bounced, v.converted]]));
    expect(by).toEqual({
      a1: [3000, true, false],
      b1: [45_000, false, true],
      c1: [7000, true, false],
      c2: [20_000, false, false],
      d1: [null, null, true],
    });
  });

  it('gives the report figures', () => {
    expect(fmotMetrics(countVisits(visits))).toEqual({
      visits: 5,
      measured: 4,
      bounced: 2,
      engaged: 2,
      converted: 2,
      dwellSumMs: 75_000,
      bounceRate: 0.5,
      engagementRate: 0.5,
      conversionRate: 0.4,
      meanDwellMs: 18_750,
    });
  });

  it('no visits → no rates, never 0', () => {
    expect(fmotMetrics(countVisits([]))).toMatchObject({ bounceRate: null, engagementRate: null, conversionRate: null, meanDwellMs: null });
  });

  it('a leave event may carry its own dwell; the dwell ends the visit for the timeout', () => {
    const v = buildVisits(
      [ev('E', 'Product Viewed', 0, {}, 'e1'), ev('E', 'Page Left', 50 * MIN, { visitId: 'e1', dwellMs: 8000 }), ev('E', 'Order Completed', 45 * MIN)],
      isConversion,
    );
    expect(v).toMatchObject([{ dwellMs: 8000, bounced: false, converted: false }]);
  });

  it('each conversion belongs to one visit; the next visit ends the previous one', () => {
    const v = buildVisits(
      [ev('F', 'Product Viewed', 0, { dwellMs: 9000 }), ev('F', 'Product Viewed', MIN, { dwellMs: 2000 }), ev('F', 'Order Completed', 2 * MIN)],
      isConversion,
    );
    expect(v.map((x) => x.converted)).toEqual([false, true]);
  });

  it('reads dimensions from properties; bad dwell values are unknown', () => {
    expect(dimensionValue({ product: 'Θερμοστάτης Aurora' }, 'product')).toBe('Θερμοστάτης Aurora');
    expect(dimensionValue({ sku: 42 }, 'product')).toBe('42');
    expect(dimensionValue({ path: '/ar/منتج' }, 'page')).toBe('/ar/منتج');
    expect(dimensionValue({}, 'store')).toBeNull();
    const v = buildVisits([ev('G', 'Product Viewed', 0, { dwellMs: -5 }), ev('H', 'Product Viewed', 0, { dwellMs: 'soon' })], isConversion);
    expect(v.map((x) => x.dwellMs)).toEqual([null, null]);
  });
});

describe('FMOT properties', () => {
  const arbEvents = fc.array(
    fc.record({
      person: fc.constantFrom('p1', 'p2', 'p3'),
      event: fc.constantFrom('Product Viewed', 'App Opened', 'Page Left', 'Order Completed', 'Pricing Viewed'),
      ms: fc.integer({ min: 0, max: 3 * 60 * MIN }),
      dwellMs: fc.option(fc.integer({ min: 0, max: 120_000 })),
    }),
    { maxLength: 40 },
  );
  it('bounced + engaged = measured ≤ visits; converted ≤ conversions; rates in 0…1', () => {
    fc.assert(
      fc.property(arbEvents, (raw) => {
        const events = raw.map((r, i) => ev(r.person, r.event, r.ms, r.dwellMs === null ? {} : { dwellMs: r.dwellMs }, `x${i}`));
        const visits = buildVisits(events, isConversion);
        const m = fmotMetrics(countVisits(visits));
        expect(m.bounced + m.engaged).toBe(m.measured);
        expect(m.measured).toBeLessThanOrEqual(m.visits);
        expect(m.converted).toBeLessThanOrEqual(events.filter(isConversion).length);
        for (const rate of [m.bounceRate, m.engagementRate, m.conversionRate]) {
          if (rate !== null) expect(rate >= 0 && rate <= 1).toBe(true);
        }
        for (const v of visits) if (v.dwellMs !== null) expect(v.bounced).toBe(v.dwellMs <= BOUNCE_MS);
      }),
    );
  });
});

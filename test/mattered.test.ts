// Moments that mattered: outcome detection and the ranking of preceding moments (pure).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTCOME_KINDS, outcomeOf, precedingTouchpoints, rankPrecedingMoments } from '../src/domain/mattered.ts';
import type { MatteredTouchpoint, Outcome } from '../src/domain/mattered.ts';
import { STAGES, VALENCES } from '../src/domain/moments.ts';
import type { Stage, Valence } from '../src/domain/moments.ts';

const DAY = 86_400_000;
const base = Date.UTC(2026, 7, 1);
let seq = 0;
const tp = (person: string, event: string, stage: Stage, valence: Valence, day: number): MatteredTouchpoint => ({
  id: `t${String(++seq).padStart(4, '0')}`,
  person,
  event,
  stage,
  valence,
  occurredAt: new Date(base + day * DAY),
});

function outcomesOf(byPerson: Map<string, MatteredTouchpoint[]>): Outcome[] {
  const out: Outcome[] = [];
  for (const list of byPerson.values()) {
    for (const t of list) {
      const kind = outcomeOf(t);
      if (kind) out.push({ kind, touchpoint: t });
    }
  }
  return out;
}

describe('outcomeOf', () => {
  it('recognises each outcome kind by normalised event name, stage and valence', () => {
    expect(outcomeOf({ event: 'Order Completed', stage: 'fmot', valence: 'positive' })).toBe('conversion');
    expect(outcomeOf({ event: 'order_completed', stage: 'fmot', valence: 'neutral' })).toBe('conversion');
    expect(outcomeOf({ event: 'trialConverted', stage: 'fmot', valence: 'positive' })).toBe('conversion');
    expect(outcomeOf({ event: 'Subscription Upgraded', stage: 'smot', valence: 'positive' })).toBe('renewal_upgrade');
    expect(outcomeOf({ event: 'Subscription Renewed', stage: 'smot', valence: 'positive' })).toBe('renewal_upgrade');
    expect(outcomeOf({ event: 'Subscription Cancelled', stage: 'smot', valence: 'negative' })).toBe('churn');
    expect(outcomeOf({ event: 'Account Closed', stage: 'smot', valence: 'neutral' })).toBe('churn');
    expect(outcomeOf({ event: 'Ticket Created', stage: 'smot', valence: 'negative' })).toBe('complaint');
    expect(outcomeOf({ event: 'Customer Replied', stage: 'smot', valence: 'negative' })).toBe('complaint');
    expect(outcomeOf({ event: 'Complaint Filed', stage: 'smot', valence: 'neutral' })).toBe('complaint');
    expect(outcomeOf({ event: 'Review Published', stage: 'umot', valence: 'positive' })).toBe('public_review');
    expect(outcomeOf({ event: 'Anything', stage: 'umot', valence: 'negative' })).toBe('public_review');
  });

  it('leaves ordinary touchpoints alone', () => {
    expect(outcomeOf({ event: 'Ticket Created', stage: 'smot', valence: 'neutral' })).toBeNull();
    expect(outcomeOf({ event: 'Agent Replied', stage: 'smot', valence: 'negative' })).toBeNull();
    expect(outcomeOf({ event: 'Review Read', stage: 'zmot', valence: 'positive' })).toBeNull();
    expect(outcomeOf({ event: 'Ad Viewed', stage: 'lzmot', valence: 'neutral' })).toBeNull();
  });
});

describe('rankPrecedingMoments (hand-computed)', () => {
  // A: ad → review read (+) → order; B: review read (−) → pricing; C: review read (+) → demo →
  // order → ticket created (−) → subscription cancelled. A's e-mail is 40 days before its order.
  const a = [
    tp('A', 'Marketing Email Opened', 'lzmot', 'neutral', 0),
    tp('A', 'Ad Viewed', 'lzmot', 'neutral', 38),
    tp('A', 'Review Read', 'zmot', 'positive', 39),
    tp('A', 'Order Completed', 'fmot', 'positive', 40),
  ];
  const b = [tp('B', 'Review Read', 'zmot', 'negative', 38), tp('B', 'Pricing Viewed', 'zmot', 'neutral', 39)];
  const c = [
    tp('C', 'Review Read', 'zmot', 'positive', 35),
    tp('C', 'Demo Requested', 'fmot', 'neutral', 36),
    tp('C', 'Order Completed', 'fmot', 'positive', 37),
    tp('C', 'Ticket Created', 'smot', 'negative', 45),
    tp('C', 'Subscription Cancelled', 'smot', 'negative', 50),
  ];
  const byPerson = new Map([
    ['A', a],
    ['B', b],
    ['C', c],
  ]);
  const ranked = rankPrecedingMoments(outcomesOf(byPerson), byPerson, 30);

  it('ranks what preceded conversions by count, then lift', () => {
    expect(ranked.conversion.count).toBe(2);
    // Review Read + : 2 of 2 outcomes (share 1); 2 of 3 people have it → lift 1 / (2/3) = 1.5.
    // Ad Viewed, Demo Requested: 1 of 2 (0.5); 1 of 3 people → lift 1.5. The e-mail is 40 days old.
    expect(ranked.conversion.precededBy).toEqual([
      { event: 'Review Read', stage: 'zmot', valence: 'positive', outcomes: 2, share: 1, lift: 1.5 },
      { event: 'Ad Viewed', stage: 'lzmot', valence: 'neutral', outcomes: 1, share: 0.5, lift: 1.5 },
      { event: 'Demo Requested', stage: 'fmot', valence: 'neutral', outcomes: 1, share: 0.5, lift: 1.5 },
    ]);
  });

  it('ranks what preceded churn and complaints', () => {
    expect(ranked.churn.count).toBe(1);
    // The window [day 20, day 50) holds all four of C's earlier touchpoints; lift = 1 / baseline.
    expect(ranked.churn.precededBy).toEqual([
      { event: 'Demo Requested', stage: 'fmot', valence: 'neutral', outcomes: 1, share: 1, lift: 3 },
      { event: 'Ticket Created', stage: 'smot', valence: 'negative', outcomes: 1, share: 1, lift: 3 },
      { event: 'Order Completed', stage: 'fmot', valence: 'positive', outcomes: 1, share: 1, lift: 1.5 },
      { event: 'Review Read', stage: 'zmot', valence: 'positive', outcomes: 1, share: 1, lift: 1.5 },
    ]);
    expect(ranked.complaint.count).toBe(1);
    expect(ranked.complaint.precededBy.map((m) => m.event)).toEqual(['Demo Requested', 'Order Completed', 'Review Read']);
    expect(ranked.renewal_upgrade).toEqual({ count: 0, precededBy: [] });
    expect(ranked.public_review).toEqual({ count: 0, precededBy: [] });
  });

  it('keeps the window and leaves out outcomes of the same kind', () => {
    const order = a[3]!;
    expect(precedingTouchpoints({ kind: 'conversion', touchpoint: order }, a, 30).map((t) => t.event)).toEqual([
      'Ad Viewed',
      'Review Read',
    ]);
    expect(precedingTouchpoints({ kind: 'conversion', touchpoint: order }, a, 41).map((t) => t.event)).toEqual([
      'Marketing Email Opened',
      'Ad Viewed',
      'Review Read',
    ]);
    const repeat = [tp('D', 'Order Completed', 'fmot', 'positive', 1), tp('D', 'Order Completed', 'fmot', 'positive', 2)];
    expect(precedingTouchpoints({ kind: 'conversion', touchpoint: repeat[1]! }, repeat, 30)).toEqual([]);
  });
});

describe('rankPrecedingMoments (properties)', () => {
  const events = ['Ad Viewed', 'Review Read', 'Order Completed', 'Ticket Created', 'Subscription Cancelled', 'Review Published'];
  const touchpoint = fc.record({
    person: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
    event: fc.constantFrom(...events),
    stage: fc.constantFrom(...STAGES),
    valence: fc.constantFrom(...VALENCES),
    day: fc.integer({ min: 0, max: 120 }),
  });

  it('counts never exceed outcomes, shares stay in [0, 1], and every counted moment lies in a window', () => {
    fc.assert(
      fc.property(fc.array(touchpoint, { maxLength: 40 }), fc.integer({ min: 1, max: 60 }), (raw, windowDays) => {
        const byPerson = new Map<string, MatteredTouchpoint[]>();
        raw.forEach((r, i) => {
          const t: MatteredTouchpoint = { id: `id${i}`, person: r.person, event: r.event, stage: r.stage, valence: r.valence, occurredAt: new Date(base + r.day * DAY) };
          byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), t]);
        });
        const outcomes = outcomesOf(byPerson);
        const ranked = rankPrecedingMoments(outcomes, byPerson, windowDays);
        for (const kind of OUTCOME_KINDS) {
          const ofKind = outcomes.filter((o) => o.kind === kind);
          expect(ranked[kind].count).toBe(ofKind.length);
          for (const m of ranked[kind].precededBy) {
            expect(m.outcomes).toBeGreaterThan(0);
            expect(m.outcomes).toBeLessThanOrEqual(ofKind.length);
            expect(m.share).toBeGreaterThan(0);
            expect(m.share).toBeLessThanOrEqual(1);
            expect(m.lift).toBeGreaterThan(0);
          }
          for (const o of ofKind) {
            const end = o.touchpoint.occurredAt.getTime();
            for (const t of precedingTouchpoints(o, byPerson.get(o.touchpoint.person) ?? [], windowDays)) {
              expect(t.person).toBe(o.touchpoint.person);
              expect(t.occurredAt.getTime()).toBeLessThan(end);
              expect(t.occurredAt.getTime()).toBeGreaterThanOrEqual(end - windowDays * DAY);
              expect(outcomeOf(t)).not.toBe(kind);
            }
          }
        }
      }),
    );
  });
});

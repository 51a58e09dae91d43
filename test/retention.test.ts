// Retention cohorts, on a fixture computed by hand (see the table in the comments).
import { describe, expect, it } from 'vitest';
import { isRetained, retentionCohorts, retentionSubject } from '../src/domain/retention.ts';
import type { RetentionSubject, RetentionTouchpoint } from '../src/domain/retention.ts';
import type { Stage, Valence } from '../src/domain/moments.ts';

const tp = (event: string, day: string, valence: Valence = 'neutral', stage: Stage = 'smot'): RetentionTouchpoint => ({
  event,
  stage,
  valence,
  occurredAt: new Date(`${day}T12:00:00Z`),
});

// asOf 2026-05-12; N = 30, 60, 90; W = 30. d = days after the first purchase.
//          purchase     onboarding                    later activity                     30 60 90
//   A      01-05        Onboarding Completed d5       Feature Used d20, d46, d75         ✓  ✓  ✓
//   B      01-10        Onboarding Abandoned (neg)    Renewed d10, Cancelled d15         ✓  ✗  ✗
//   C      01-15        none                          Renewed d35 (never cancelled)      ✗  ✓  ✓
//   D      01-20        none                          nothing                            ✗  ✗  ✗
//   E      02-10        Step Completed (pos) d2       Feature Used d48                   ✓  ✓  ✗
//   F      02-20        Step Completed (neg) d2       Onboarding Completed d40 (late)    ✓  ✓  –  (p+90 = 05-21 > asOf)
//   G      02-25        Onboarding Started (neutral)  nothing else                       ✓  ✗  –
const FIXTURE: Record<string, RetentionTouchpoint[]> = {
  A: [tp('Order Completed', '2026-01-05', 'positive', 'fmot'), tp('Onboarding Completed', '2026-01-10', 'positive'),
    tp('Feature Used', '2026-01-25'), tp('Feature Used', '2026-02-20'), tp('Feature Used', '2026-03-21')],
  B: [tp('purchase', '2026-01-10', 'positive', 'fmot'), tp('Onboarding Abandoned', '2026-01-12', 'negative'),
    tp('Subscription Renewed', '2026-01-20', 'positive'), tp('Subscription Cancelled', '2026-01-25', 'negative')],
  C: [tp('subscriptionStarted', '2026-01-15', 'positive', 'fmot'), tp('Subscription Renewed', '2026-02-19', 'positive')],
  D: [tp('Trial Converted', '2026-01-20', 'positive', 'fmot')],
  E: [tp('Order Completed', '2026-02-10', 'positive', 'fmot'), tp('Onboarding Step Completed', '2026-02-12', 'positive'),
    tp('Feature Used', '2026-03-30')],
  F: [tp('Order Completed', '2026-02-20', 'positive', 'fmot'), tp('onboarding_step_completed', '2026-02-22', 'negative'),
    tp('Onboarding Completed', '2026-04-01', 'positive')],
  G: [tp('Purchase', '2026-02-25', 'positive', 'fmot'), tp('Onboarding Started', '2026-02-26')],
};
const options = { days: [30, 60, 90], windowDays: 30, asOf: new Date('2026-05-12T00:00:00Z') };
const subjects = () => Object.values(FIXTURE).map((t) => retentionSubject(t)).filter((s): s is RetentionSubject => s !== null);
const point = (eligible: number, retained: number, rate: number | null) => ({ eligible, retained, rate });

describe('retention cohorts', () => {
  it('finds the first purchase and the onboarding outcome', () => {
    const s = Object.fromEntries(Object.entries(FIXTURE).map(([k, t]) => [k, retentionSubject(t)]));
    expect(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v?.onboarding]))).toEqual({
      A: 'completed', B: 'struggled', C: 'none', D: 'none', E: 'completed', F: 'struggled', G: 'none',
    });
    expect(s.C?.firstPurchaseAt.toISOString()).toBe('2026-01-15T12:00:00.000Z');
    expect(retentionSubject([tp('Feature Used', '2026-01-01')])).toBeNull();
    // The first of several purchases counts; later ones are activity.
    const twice = retentionSubject([tp('Order Completed', '2026-03-01'), tp('Order Completed', '2025-12-20')]);
    expect(twice?.firstPurchaseAt.toISOString()).toBe('2025-12-20T12:00:00.000Z');
    expect(twice?.later).toHaveLength(1);
  });

  it('counts a renewal until a cancellation follows it', () => {
    const b = retentionSubject(FIXTURE.B!)!;
    expect([30, 60, 90].map((n) => isRetained(b, n, 30))).toEqual([true, false, false]);
    const withoutCancel = retentionSubject(FIXTURE.B!.filter((t) => t.event !== 'Subscription Cancelled'))!;
    expect([30, 60, 90].map((n) => isRetained(withoutCancel, n, 30))).toEqual([true, true, true]);
    const c = retentionSubject(FIXTURE.C!)!;
    expect([30, 60, 90].map((n) => isRetained(c, n, 30))).toEqual([false, true, true]);
    // A wider window reaches back to earlier activity.
    expect(isRetained(retentionSubject(FIXTURE.E!)!, 90, 60)).toBe(true);
  });

  it('builds monthly cohorts split by onboarding, leaving people not yet measurable out of the denominator', () => {
    expect(retentionCohorts(subjects(), options)).toEqual([
      { cohort: '2026-01', onboarding: 'all', size: 4, retained: { 30: point(4, 2, 0.5), 60: point(4, 2, 0.5), 90: point(4, 2, 0.5) } },
      { cohort: '2026-01', onboarding: 'completed', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 1, 1), 90: point(1, 1, 1) } },
      { cohort: '2026-01', onboarding: 'struggled', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 0, 0), 90: point(1, 0, 0) } },
      { cohort: '2026-01', onboarding: 'none', size: 2, retained: { 30: point(2, 0, 0), 60: point(2, 1, 0.5), 90: point(2, 1, 0.5) } },
      { cohort: '2026-02', onboarding: 'all', size: 3, retained: { 30: point(3, 3, 1), 60: point(3, 2, 0.6667), 90: point(1, 0, 0) } },
      { cohort: '2026-02', onboarding: 'completed', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 1, 1), 90: point(1, 0, 0) } },
      { cohort: '2026-02', onboarding: 'struggled', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 1, 1), 90: point(0, 0, null) } },
      { cohort: '2026-02', onboarding: 'none', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 0, 0), 90: point(0, 0, null) } },
    ]);
  });

  it('is empty without purchasers', () => {
    expect(retentionCohorts([], options)).toEqual([]);
  });
});

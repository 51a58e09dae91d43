// Retention cohorts: the share of the people who first purchased in a calendar month who are
// still active N days later, split by how their onboarding went. Pure: the caller loads the
// touchpoints and passes them in, with the moment the report is taken (`asOf`); no clock
// reads, no I/O.
//
// Definition
//   first purchase  the person's earliest touchpoint whose event is a conversion — order
//                   completed, purchase, subscription started, trial converted — compared
//                   normalised ("orderCompleted" = "Order Completed"), as outcomeOf does.
//   cohort          the UTC calendar month ('YYYY-MM') of the first purchase.
//   onboarding      over the onboarding touchpoints (event name starting "onboarding") in
//                   [purchase, purchase + 30 days]:
//                     'completed'  an 'Onboarding Completed', or a positive 'Onboarding Step Completed';
//                     'struggled'  otherwise, at least one negative onboarding touchpoint;
//                     'none'       otherwise (no onboarding touchpoints, or only neutral ones).
//   retained at N   with p = purchase time, W = windowDays, the person has
//                     (a) any touchpoint after the purchase in (p + N − W, p + N], or
//                     (b) a renewal/upgrade ('Subscription Renewed'/'Upgraded') after the
//                         purchase and at or before p + N that no churn touchpoint
//                         ('Subscription Cancelled', …) follows before p + N.
//                   Identify calls are not touchpoints here (the caller leaves them out).
//   eligible at N   p + N ≤ asOf; people not yet measurable at N are left out of N's
//                   denominator (and numerator); rate = retained / eligible, 4 decimals, null
//                   when no one is eligible.
// Each cohort has an 'all' row, then one row per onboarding outcome that occurs in it.
import { normalizeEventName } from './classifier.ts';
import { outcomeOf } from './mattered.ts';
import type { Stage, Valence } from './moments.ts';

export const ONBOARDING_OUTCOMES = ['completed', 'struggled', 'none'] as const;
export type OnboardingOutcome = (typeof ONBOARDING_OUTCOMES)[number];
export type CohortSplit = 'all' | OnboardingOutcome;

const DAY_MS = 86_400_000;
export const ONBOARDING_DAYS = 30;

export interface RetentionTouchpoint {
  event: string;
  stage: Stage;
  valence: Valence;
  occurredAt: Date;
}

/** What later activity means for retention. */
export type ActivityKind = 'renewal' | 'churn' | 'other';

export interface RetentionSubject {
  firstPurchaseAt: Date;
  onboarding: OnboardingOutcome;
  /** Touchpoints after the first purchase (identify calls left out). */
  later: { at: Date; kind: ActivityKind }[];
}

const ONBOARDING_COMPLETED = normalizeEventName('Onboarding Completed');
const ONBOARDING_STEP_COMPLETED = normalizeEventName('Onboarding Step Completed');

/** A person's first purchase, onboarding outcome and later activity; null if they never purchased. */
export function retentionSubject(touchpoints: readonly RetentionTouchpoint[]): RetentionSubject | null {
  const sorted = [...touchpoints].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const purchase = sorted.find((t) => outcomeOf(t) === 'conversion');
  if (!purchase) return null;
  const p = purchase.occurredAt.getTime();
  let completed = false;
  let negative = false;
  const later: RetentionSubject['later'] = [];
  for (const t of sorted) {
    const at = t.occurredAt.getTime();
    if (t === purchase || at < p) continue;
    const event = normalizeEventName(t.event);
    if (at <= p + ONBOARDING_DAYS * DAY_MS && event.startsWith('onboarding')) {
      if (event === ONBOARDING_COMPLETED || (event === ONBOARDING_STEP_COMPLETED && t.valence === 'positive')) completed = true;
      else if (t.valence === 'negative') negative = true;
    }
    if (at > p) {
      const outcome = outcomeOf(t);
      later.push({ at: t.occurredAt, kind: outcome === 'renewal_upgrade' ? 'renewal' : outcome === 'churn' ? 'churn' : 'other' });
    }
  }
  return { firstPurchaseAt: purchase.occurredAt, onboarding: completed ? 'completed' : negative ? 'struggled' : 'none', later };
}

/** Whether the subject counts as retained N days after the first purchase (see the definition above). */
export function isRetained(subject: RetentionSubject, days: number, windowDays: number): boolean {
  const p = subject.firstPurchaseAt.getTime();
  const end = p + days * DAY_MS;
  const start = end - windowDays * DAY_MS;
  let renewedAt: number | null = null;
  let cancelledAfterRenewal = false;
  for (const t of subject.later) {
    const at = t.at.getTime();
    if (at <= p) continue;
    if (at > start && at <= end) return true;
    if (t.kind === 'renewal' && at <= end) {
      renewedAt = Math.max(renewedAt ?? at, at);
      cancelledAfterRenewal = false;
    }
  }
  if (renewedAt === null) return false;
  for (const t of subject.later) {
    const at = t.at.getTime();
    if (t.kind === 'churn' && at > renewedAt && at < end) cancelledAfterRenewal = true;
  }
  return !cancelledAfterRenewal;
}

export interface RetentionPoint {
  eligible: number;
  retained: number;
  /** retained / eligible, 4 decimals; null when no one is eligible yet. */
  rate: number | null;
}

export interface RetentionCohort {
  /** UTC calendar month of the first purchase, 'YYYY-MM'. */
  cohort: string;
  onboarding: CohortSplit;
  size: number;
  /** By N (days after the first purchase). */
  retained: Record<string, RetentionPoint>;
}

export interface RetentionOptions {
  days: readonly number[];
  windowDays: number;
  asOf: Date;
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
const monthOf = (d: Date) => d.toISOString().slice(0, 7);
const SPLIT_ORDER: CohortSplit[] = ['all', ...ONBOARDING_OUTCOMES];

/** Cohorts in month order, each with its 'all' row first, then its onboarding outcomes. */
export function retentionCohorts(subjects: readonly RetentionSubject[], options: RetentionOptions): RetentionCohort[] {
  const groups = new Map<string, RetentionSubject[]>();
  const add = (key: string, s: RetentionSubject) => {
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  };
  for (const s of subjects) {
    const month = monthOf(s.firstPurchaseAt);
    add(`${month}|all`, s);
    add(`${month}|${s.onboarding}`, s);
  }
  const asOf = options.asOf.getTime();
  const months = [...new Set(subjects.map((s) => monthOf(s.firstPurchaseAt)))].sort();
  const cohorts: RetentionCohort[] = [];
  for (const cohort of months) {
    for (const onboarding of SPLIT_ORDER) {
      const members = groups.get(`${cohort}|${onboarding}`);
      if (!members) continue;
      const retained: Record<string, RetentionPoint> = {};
      for (const n of options.days) {
        const eligible = members.filter((s) => s.firstPurchaseAt.getTime() + n * DAY_MS <= asOf);
        const kept = eligible.filter((s) => isRetained(s, n, options.windowDays)).length;
        retained[String(n)] = { eligible: eligible.length, retained: kept, rate: eligible.length === 0 ? null : round4(kept / eligible.length) };
      }
      cohorts.push({ cohort, onboarding, size: members.length, retained });
    }
  }
  return cohorts;
}

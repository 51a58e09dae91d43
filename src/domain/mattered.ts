// Moments that mattered: which touchpoints precede the outcomes a business cares about —
// conversions, renewals and upgrades, churn, complaints and public reviews. Pure: the caller
// loads the touchpoints and passes them in; no clock reads, no I/O.
import { normalizeEventName } from './classifier.ts';
import type { Stage, Valence } from './moments.ts';

export const OUTCOME_KINDS = ['conversion', 'renewal_upgrade', 'churn', 'complaint', 'public_review'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export interface MatteredTouchpoint {
  id: string;
  /** The person: a customer id, or an anonymous visitor's key until identified. */
  person: string;
  event: string;
  stage: Stage;
  valence: Valence;
  occurredAt: Date;
}

export interface Outcome {
  kind: OutcomeKind;
  touchpoint: MatteredTouchpoint;
}

const names = (...events: string[]) => new Set(events.map(normalizeEventName));
const CONVERSION = names('Order Completed', 'Purchase', 'Trial Converted', 'Subscription Started');
const RENEWAL_UPGRADE = names('Subscription Renewed', 'Subscription Upgraded');
const CHURN = names('Subscription Cancelled', 'Subscription Canceled', 'Account Closed', 'Churned');
/** Customer-voiced help-desk touchpoints that are a complaint when negative at the second moment. */
const CUSTOMER_VOICE = names('Ticket Created', 'Customer Replied', 'Call Completed');
const COMPLAINT = names('Complaint Filed');

/** The outcome a touchpoint is, if any. Event names are compared normalised ("orderCompleted" = "Order Completed"). */
export function outcomeOf(t: Pick<MatteredTouchpoint, 'event' | 'stage' | 'valence'>): OutcomeKind | null {
  const event = normalizeEventName(t.event);
  if (CONVERSION.has(event)) return 'conversion';
  if (RENEWAL_UPGRADE.has(event)) return 'renewal_upgrade';
  if (CHURN.has(event)) return 'churn';
  if (COMPLAINT.has(event)) return 'complaint';
  if (CUSTOMER_VOICE.has(event) && t.stage === 'smot' && t.valence === 'negative') return 'complaint';
  if (t.stage === 'umot') return 'public_review';
  return null;
}

const DAY_MS = 86_400_000;

/**
 * The person's touchpoints in the window before the outcome: occurredAt in
 * [outcome − windowDays, outcome), in time order, leaving out the outcome itself and any other
 * outcome of the same kind (a second purchase does not "precede" a purchase).
 */
export function precedingTouchpoints(
  outcome: Outcome,
  personTouchpoints: readonly MatteredTouchpoint[],
  windowDays: number,
): MatteredTouchpoint[] {
  const end = outcome.touchpoint.occurredAt.getTime();
  const start = end - windowDays * DAY_MS;
  return personTouchpoints
    .filter((t) => {
      const at = t.occurredAt.getTime();
      return (
        t.id !== outcome.touchpoint.id &&
        t.person === outcome.touchpoint.person &&
        at >= start &&
        at < end &&
        outcomeOf(t) !== outcome.kind
      );
    })
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface PrecedingMoment {
  event: string;
  stage: Stage;
  valence: Valence;
  /** How many outcomes of the kind this moment preceded (each outcome counts once). */
  outcomes: number;
  /** outcomes / all outcomes of the kind. */
  share: number;
  /** share / baseline; see rankPrecedingMoments. */
  lift: number;
}

export interface OutcomeRanking {
  count: number;
  precededBy: PrecedingMoment[];
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
const momentKey = (t: Pick<MatteredTouchpoint, 'event' | 'stage' | 'valence'>) =>
  JSON.stringify([t.event, t.stage, t.valence]);

/**
 * For each outcome kind, the moments (event, stage, valence) that preceded its outcomes within
 * `windowDays`, ranked by how many outcomes they preceded, then by lift, then by name.
 *
 *   share(m, k)    = |outcomes of kind k preceded by m| / |outcomes of kind k|
 *   baseline(m)    = |people with at least one touchpoint m| / |people with any touchpoint|,
 *                    over every touchpoint passed in (the period, window included)
 *   lift(m, k)     = share(m, k) / baseline(m)
 *
 * A lift above 1 means the moment is more common before this outcome than among people in
 * general. A moment that precedes an outcome was itself passed in, so baseline(m) > 0.
 * Shares and lifts are rounded to 4 decimals.
 */
export function rankPrecedingMoments(
  outcomes: readonly Outcome[],
  touchpointsByPerson: ReadonlyMap<string, readonly MatteredTouchpoint[]>,
  windowDays: number,
): Record<OutcomeKind, OutcomeRanking> {
  const peopleWith = new Map<string, number>();
  let people = 0;
  for (const touchpoints of touchpointsByPerson.values()) {
    if (touchpoints.length === 0) continue;
    people += 1;
    for (const key of new Set(touchpoints.map(momentKey))) peopleWith.set(key, (peopleWith.get(key) ?? 0) + 1);
  }

  const result = {} as Record<OutcomeKind, OutcomeRanking>;
  for (const kind of OUTCOME_KINDS) {
    const ofKind = outcomes.filter((o) => o.kind === kind);
    const counts = new Map<string, { t: MatteredTouchpoint; n: number }>();
    for (const outcome of ofKind) {
      const before = precedingTouchpoints(outcome, touchpointsByPerson.get(outcome.touchpoint.person) ?? [], windowDays);
      const seen = new Set<string>();
      for (const t of before) {
        const key = momentKey(t);
        if (seen.has(key)) continue;
        seen.add(key);
        const entry = counts.get(key);
        if (entry) entry.n += 1;
        else counts.set(key, { t, n: 1 });
      }
    }
    const precededBy = [...counts.entries()].map(([key, { t, n }]): PrecedingMoment => {
      const share = n / ofKind.length;
      const baseline = people === 0 ? 0 : (peopleWith.get(key) ?? 0) / people;
      return {
        event: t.event,
        stage: t.stage,
        valence: t.valence,
        outcomes: n,
        share: round4(share),
        lift: baseline === 0 ? 0 : round4(share / baseline),
      };
    });
    precededBy.sort(
      (a, b) =>
        b.outcomes - a.outcomes ||
        b.lift - a.lift ||
        a.event.localeCompare(b.event) ||
        a.stage.localeCompare(b.stage) ||
        a.valence.localeCompare(b.valence),
    );
    result[kind] = { count: ofKind.length, precededBy };
  }
  return result;
}

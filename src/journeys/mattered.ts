// Moments that mattered: the touchpoints that precede conversions, renewals/upgrades, churn,
// complaints and public reviews, for the workspace over a period and for one customer.
import { sql } from 'kysely';
import type { WorkspaceContext } from '../shared/context.ts';
import { OUTCOME_KINDS, outcomeOf, precedingTouchpoints, rankPrecedingMoments } from '../domain/mattered.ts';
import type { MatteredTouchpoint, Outcome, OutcomeKind, OutcomeRanking } from '../domain/mattered.ts';
import type { Stage, Valence } from '../domain/moments.ts';
import { getJourney } from './service.ts';

/** Most touchpoints one report reads; beyond it the report covers the earliest people only. */
export const MATTERED_ROW_CAP = 200_000;
export const MATTERED_TOP = 10;
const DAY_MS = 86_400_000;

export interface MatteredReport {
  from: string;
  to: string;
  windowDays: number;
  /** True when the period held more touchpoints than one report reads (MATTERED_ROW_CAP). */
  truncated: boolean;
  outcomes: Record<OutcomeKind, OutcomeRanking>;
}

/**
 * Outcomes are the touchpoints in [from, to); what precedes them is looked up in
 * [from − windowDays, to), so an outcome early in the period still sees its whole window.
 */
export async function momentsThatMattered(
  ctx: WorkspaceContext,
  from: Date,
  to: Date,
  windowDays: number,
): Promise<MatteredReport> {
  const start = new Date(from.getTime() - windowDays * DAY_MS);
  const rows = await sql<{ id: string; who: string; event: string; stage: string; valence: string; occurred_at: Date }>`
    SELECT id, COALESCE(customer_id::text, 'anon:' || anonymous_id) AS who, event, stage, valence, occurred_at
    FROM touchpoints
    WHERE workspace_id = ${ctx.workspaceId} AND occurred_at >= ${start} AND occurred_at < ${to}
      AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL)
      -- identify calls say who someone is; they are not an interaction that could matter
      AND kind <> 'identify'
    ORDER BY who, occurred_at, id
    LIMIT ${MATTERED_ROW_CAP}`.execute(ctx.db);
  const byPerson = new Map<string, MatteredTouchpoint[]>();
  const outcomes: Outcome[] = [];
  for (const r of rows.rows) {
    const t: MatteredTouchpoint = {
      id: r.id,
      person: r.who,
      event: r.event,
      stage: r.stage as Stage,
      valence: r.valence as Valence,
      occurredAt: new Date(r.occurred_at),
    };
    const list = byPerson.get(t.person);
    if (list) list.push(t);
    else byPerson.set(t.person, [t]);
    const kind = outcomeOf(t);
    if (kind && t.occurredAt >= from) outcomes.push({ kind, touchpoint: t });
  }
  const ranked = rankPrecedingMoments(outcomes, byPerson, windowDays);
  const top = {} as Record<OutcomeKind, OutcomeRanking>;
  for (const kind of OUTCOME_KINDS) top[kind] = { count: ranked[kind].count, precededBy: ranked[kind].precededBy.slice(0, MATTERED_TOP) };
  return { from: from.toISOString(), to: to.toISOString(), windowDays, truncated: rows.rows.length >= MATTERED_ROW_CAP, outcomes: top };
}

export interface MatteredMoment {
  id: string;
  event: string;
  stage: Stage;
  valence: Valence;
  occurredAt: string;
}

export interface CustomerMattered {
  customerId: string;
  windowDays: number;
  outcomes: { kind: OutcomeKind; touchpoint: MatteredMoment; precededBy: MatteredMoment[] }[];
}

const moment = (t: MatteredTouchpoint): MatteredMoment => ({
  id: t.id,
  event: t.event,
  stage: t.stage,
  valence: t.valence,
  occurredAt: t.occurredAt.toISOString(),
});

/** {id} is TruthDesk's customer id or the ingested userId; each outcome of the customer with what preceded it. */
export async function customerMomentsThatMattered(
  ctx: WorkspaceContext,
  idOrUserId: string,
  windowDays: number,
): Promise<CustomerMattered> {
  const { customer, touchpoints } = await getJourney(ctx, idOrUserId);
  const mine: MatteredTouchpoint[] = touchpoints.map((t) => ({
    id: t.id,
    person: customer.id,
    event: t.event,
    stage: t.stage,
    valence: t.valence,
    occurredAt: new Date(t.occurredAt),
  }));
  const outcomes: CustomerMattered['outcomes'] = [];
  for (const t of mine) {
    const kind = outcomeOf(t);
    if (!kind) continue;
    const precededBy = precedingTouchpoints({ kind, touchpoint: t }, mine, windowDays);
    outcomes.push({ kind, touchpoint: moment(t), precededBy: precededBy.map(moment) });
  }
  return { customerId: customer.id, windowDays, outcomes };
}

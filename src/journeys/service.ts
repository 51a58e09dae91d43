// Journeys (one customer's touchpoints in time order) and the moments report (per stage:
// volume, reach, valence shares and conversion to the next stage).
import { sql } from 'kysely';
import type { WorkspaceContext } from '../shared/context.ts';
import { getCustomer } from '../customers/service.ts';
import type { Customer } from '../customers/service.ts';
import { STAGES, nextStage } from '../domain/moments.ts';
import type { Stage, Valence } from '../domain/moments.ts';
import { notFound } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';

export interface JourneyTouchpoint {
  id: string;
  messageId: string;
  event: string;
  stage: Stage;
  valence: Valence;
  channel: string | null;
  occurredAt: string;
  decidedBy: string;
  /** The ticket a help-desk touchpoint belongs to. */
  ticketId: string | null;
  properties: Record<string, unknown>;
}

/** {id} is TruthDesk's customer id or the userId given at ingestion. */
export async function getJourney(
  ctx: WorkspaceContext,
  idOrUserId: string,
): Promise<{ customer: Customer; touchpoints: JourneyTouchpoint[] }> {
  let q = ctx.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId);
  q = isUuid(idOrUserId)
    ? q.where((eb) => eb.or([eb('id', '=', idOrUserId), eb('external_id', '=', idOrUserId)]))
    : q.where('external_id', '=', idOrUserId);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('Customer');
  const customer = await getCustomer(ctx, row.id);
  const rows = await ctx.db
    .selectFrom('touchpoints')
    .selectAll()
    .where('workspace_id', '=', ctx.workspaceId)
    .where('customer_id', '=', row.id)
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(10_000)
    .execute();
  return {
    customer,
    touchpoints: rows.map((t) => ({
      id: t.id,
      messageId: t.message_id,
      event: t.event,
      stage: t.stage as Stage,
      valence: t.valence as Valence,
      channel: t.channel,
      occurredAt: t.occurred_at.toISOString(),
      decidedBy: t.decided_by,
      ticketId: t.ticket_id,
      properties: t.properties,
    })),
  };
}

export interface StageReport {
  stage: Stage;
  touchpoints: number;
  customers: number;
  positiveShare: number;
  negativeShare: number;
  /** Share of the people seen at this stage who are later seen at the next one (null for umot). */
  conversionToNext: number | null;
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);

/**
 * A person is a customer, or an anonymous visitor until identified. Conversion: of those seen
 * at stage S in the period, the share whose first S touchpoint precedes a touchpoint at the
 * next stage within the period.
 */
export async function momentsReport(ctx: WorkspaceContext, from: Date, to: Date): Promise<StageReport[]> {
  const rows = await sql<{
    stage: string;
    touchpoints: number;
    customers: number;
    positive: number;
    negative: number;
    converted: number;
  }>`
    WITH t AS (
      SELECT COALESCE(customer_id::text, 'anon:' || anonymous_id) AS who, stage, valence, occurred_at
      FROM touchpoints
      WHERE workspace_id = ${ctx.workspaceId} AND occurred_at >= ${from} AND occurred_at < ${to}
        AND kind <> 'identify' -- who someone is, not something they did
    ),
    firsts AS (SELECT who, stage, min(occurred_at) AS first_at, max(occurred_at) AS last_at FROM t GROUP BY who, stage),
    per_stage AS (
      SELECT stage, count(*)::int AS touchpoints, count(DISTINCT who)::int AS customers,
             count(*) FILTER (WHERE valence = 'positive')::int AS positive,
             count(*) FILTER (WHERE valence = 'negative')::int AS negative
      FROM t GROUP BY stage
    ),
    next_of(stage, next) AS (VALUES ('lzmot', 'zmot'), ('zmot', 'fmot'), ('fmot', 'smot'), ('smot', 'umot')),
    converted AS (
      SELECT a.stage, count(*)::int AS converted
      FROM firsts a JOIN next_of n ON n.stage = a.stage
      JOIN firsts b ON b.who = a.who AND b.stage = n.next AND b.last_at > a.first_at
      GROUP BY a.stage
    )
    SELECT p.stage, p.touchpoints, p.customers, p.positive, p.negative, COALESCE(c.converted, 0)::int AS converted
    FROM per_stage p LEFT JOIN converted c ON c.stage = p.stage`.execute(ctx.db);
  const byStage = new Map(rows.rows.map((r) => [r.stage, r]));
  return STAGES.map((stage) => {
    const r = byStage.get(stage);
    return {
      stage,
      touchpoints: r?.touchpoints ?? 0,
      customers: r?.customers ?? 0,
      positiveShare: share(r?.positive ?? 0, r?.touchpoints ?? 0),
      negativeShare: share(r?.negative ?? 0, r?.touchpoints ?? 0),
      conversionToNext: nextStage(stage) ? share(r?.converted ?? 0, r?.customers ?? 0) : null,
    };
  });
}

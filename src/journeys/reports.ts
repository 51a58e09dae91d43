// The moments report and the stage health trend, read from the rollups (see migration
// 015_touchpoint_rollups.sql): counters per day for volumes and valence, person rows per
// month and per day for distinct people and conversion; raw touchpoints only for the partial
// days at the ends of the period. Exact for any [from, to).
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { WorkspaceContext } from '../shared/context.ts';
import { STAGES, nextStage } from '../domain/moments.ts';
import type { Stage } from '../domain/moments.ts';
import { AppError } from '../shared/errors.ts';
import { DAY_MS, dayOf, isoDay, monthStart, splitPeriod } from '../domain/period-split.ts';
import type { PeriodSplit } from '../domain/period-split.ts';

const max = (a: Date, b: Date) => (a > b ? a : b);

const who = sql`COALESCE(customer_id::text, 'anon:' || anonymous_id)`;

/** (who, stage, first_at, last_at) pieces that together cover exactly the period's people. */
function personPieces(workspaceId: string, p: PeriodSplit): RawBuilder<unknown> {
  // One branch per range (no OR), so each is an index range scan, pruned to its partitions,
  // and an empty range costs nothing.
  const days = (r: [Date, Date]) => sql`
    SELECT who, stage, first_at, last_at FROM touchpoint_person_days
    WHERE workspace_id = ${workspaceId} AND day >= ${isoDay(r[0])}::date AND day < ${isoDay(r[1])}::date`;
  const raw = (r: [Date, Date]) => sql`
    SELECT ${who}, stage, occurred_at, occurred_at FROM touchpoints
    WHERE workspace_id = ${workspaceId} AND occurred_at >= ${r[0]} AND occurred_at < ${r[1]}
      AND kind <> 'identify' AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL)`;
  return sql`
    SELECT who, stage, first_at, last_at FROM touchpoint_person_months
    WHERE workspace_id = ${workspaceId} AND month >= ${isoDay(p.months[0])}::date AND month < ${isoDay(p.months[1])}::date
    UNION ALL ${days(p.days[0])} UNION ALL ${days(p.days[1])}
    UNION ALL ${raw(p.raw[0])} UNION ALL ${raw(p.raw[1])}`;
}

/** (at, stage, valence, touchpoints) counts covering the period: daily counters, raw at the ends. */
function countPieces(workspaceId: string, p: PeriodSplit): RawBuilder<unknown> {
  const d1 = p.raw[0][1];
  const d2 = p.raw[1][0];
  const raw = (r: [Date, Date]) => sql`
    SELECT occurred_at AS at, stage, valence, 1 AS touchpoints FROM touchpoints
    WHERE workspace_id = ${workspaceId} AND occurred_at >= ${r[0]} AND occurred_at < ${r[1]} AND kind <> 'identify'`;
  // The counters, and the deltas the fold job has not added to them yet (migration 059).
  const daily = (table: 'touchpoint_daily' | 'touchpoint_daily_deltas') => sql`
    SELECT day::timestamp AT TIME ZONE 'UTC' AS at, stage, valence, touchpoints FROM ${sql.table(table)}
    WHERE workspace_id = ${workspaceId} AND day >= ${isoDay(d1)}::date AND day < ${isoDay(max(d1, d2))}::date`;
  return sql`
    ${daily('touchpoint_daily')} UNION ALL ${daily('touchpoint_daily_deltas')}
    UNION ALL ${raw(p.raw[0])} UNION ALL ${raw(p.raw[1])}`;
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

export const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);

/**
 * Per stage over [from, to): touchpoints, people (a customer, or an anonymous visitor until
 * identified), valence shares, and conversion: of those seen at stage S in the period, the
 * share whose first S touchpoint precedes a touchpoint at the next stage within the period.
 */
export async function momentsReport(ctx: WorkspaceContext, from: Date, to: Date): Promise<StageReport[]> {
  const split = splitPeriod(from, to, true);
  const rows = await sql<{ stage: string; touchpoints: number; customers: number; positive: number; negative: number; converted: number }>`
    WITH pieces AS (${personPieces(ctx.workspaceId, split)}),
    firsts AS (SELECT who, stage, min(first_at) AS first_at, max(last_at) AS last_at FROM pieces GROUP BY who, stage),
    people AS (SELECT stage, count(*)::int AS customers FROM firsts GROUP BY stage),
    next_of(stage, next) AS (VALUES ('lzmot', 'zmot'), ('zmot', 'fmot'), ('fmot', 'smot'), ('smot', 'umot')),
    converted AS (
      SELECT a.stage, count(*)::int AS converted
      FROM firsts a JOIN next_of n ON n.stage = a.stage
      JOIN firsts b ON b.who = a.who AND b.stage = n.next AND b.last_at > a.first_at
      GROUP BY a.stage
    ),
    counts AS (
      SELECT stage, sum(touchpoints)::int AS touchpoints,
             COALESCE(sum(touchpoints) FILTER (WHERE valence = 'positive'), 0)::int AS positive,
             COALESCE(sum(touchpoints) FILTER (WHERE valence = 'negative'), 0)::int AS negative
      FROM (${countPieces(ctx.workspaceId, split)}) c GROUP BY stage
    )
    SELECT c.stage, c.touchpoints, COALESCE(p.customers, 0)::int AS customers, c.positive, c.negative,
           COALESCE(v.converted, 0)::int AS converted
    FROM counts c LEFT JOIN people p ON p.stage = c.stage LEFT JOIN converted v ON v.stage = c.stage`.execute(ctx.db);
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

export type TrendInterval = 'day' | 'week' | 'month';
export const MAX_TREND_PERIODS = 400;

export interface TrendStage {
  stage: Stage;
  touchpoints: number;
  customers: number;
  positiveShare: number;
  negativeShare: number;
}

export interface TrendPeriod {
  /** The period's first day (UTC): the day, the Monday of the ISO week, or the 1st of the month. */
  period: string;
  /** The part of [from, to) the period covers. */
  from: string;
  to: string;
  stages: TrendStage[];
}

/** Start of the UTC day / ISO week (Monday) / month holding d. */
export function periodStart(d: Date, interval: TrendInterval): Date {
  if (interval === 'month') return monthStart(d);
  const day = dayOf(d);
  if (interval === 'day') return day;
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
}

function nextPeriod(d: Date, interval: TrendInterval): Date {
  if (interval === 'month') return monthStart(d, 1);
  return new Date(d.getTime() + (interval === 'day' ? 1 : 7) * DAY_MS);
}

/** Per period × stage over [from, to): touchpoints, people, positive and negative share. */
export async function momentsTrend(ctx: WorkspaceContext, from: Date, to: Date, interval: TrendInterval): Promise<TrendPeriod[]> {
  const periods: Date[] = [];
  for (let p = periodStart(from, interval); p < to; p = nextPeriod(p, interval)) {
    periods.push(p);
    if (periods.length > MAX_TREND_PERIODS) {
      throw new AppError(400, 'validation_failed', `At most ${MAX_TREND_PERIODS} periods: choose a longer interval or a shorter range`);
    }
  }
  // Month person rows lie inside one month, day rows inside one day: each piece belongs to
  // the period of its first_at as long as the granule is no longer than the interval.
  const split = splitPeriod(from, to, interval === 'month');
  const bucket = sql.raw(`'${interval}'`);
  const rows = await sql<{ period: string; stage: string; touchpoints: number; customers: number; positive: number; negative: number }>`
    WITH people AS (
      SELECT to_char(date_trunc(${bucket}, first_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period, stage, count(DISTINCT who)::int AS customers
      FROM (${personPieces(ctx.workspaceId, split)}) p GROUP BY 1, 2
    ),
    counts AS (
      SELECT to_char(date_trunc(${bucket}, at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period, stage, sum(touchpoints)::int AS touchpoints,
             COALESCE(sum(touchpoints) FILTER (WHERE valence = 'positive'), 0)::int AS positive,
             COALESCE(sum(touchpoints) FILTER (WHERE valence = 'negative'), 0)::int AS negative
      FROM (${countPieces(ctx.workspaceId, split)}) c GROUP BY 1, 2
    )
    SELECT c.period, c.stage, c.touchpoints, COALESCE(p.customers, 0)::int AS customers, c.positive, c.negative
    FROM counts c LEFT JOIN people p ON p.period = c.period AND p.stage = c.stage`.execute(ctx.db);
  const found = new Map(rows.rows.map((r) => [`${r.period}|${r.stage}`, r]));
  return periods.map((start) => {
    const period = isoDay(start);
    const end = nextPeriod(start, interval);
    return {
      period,
      from: max(start, from).toISOString(),
      to: (end < to ? end : to).toISOString(),
      stages: STAGES.map((stage) => {
        const r = found.get(`${period}|${stage}`);
        return {
          stage,
          touchpoints: r?.touchpoints ?? 0,
          customers: r?.customers ?? 0,
          positiveShare: share(r?.positive ?? 0, r?.touchpoints ?? 0),
          negativeShare: share(r?.negative ?? 0, r?.touchpoints ?? 0),
        };
      }),
    };
  });
}

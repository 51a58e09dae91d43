// The moments report and the stage health trend, read from the rollups: counters per day for
// volumes and valence (migration 015), and for distinct people and conversion the linked
// person-day rows and their aggregate (migration 063), read in rows proportional to days, not
// people; raw touchpoints only for a partial first day's people already seen before `from`
// that day. Exact for any [from, to): the people whose rows await their refresh (migration
// 076) are refreshed first.
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { WorkspaceContext } from '../shared/context.ts';
import { STAGES, nextStage } from '../domain/moments.ts';
import type { Stage } from '../domain/moments.ts';
import { AppError } from '../shared/errors.ts';
import { foldPendingPeople } from './store.ts';
import { withLocalSettings } from '../db/local-settings.ts';
import { DAY_MS, dayOf, isoDay, monthStart, splitPeriod } from '../domain/period-split.ts';
import type { PeriodSplit } from '../domain/period-split.ts';

const max = (a: Date, b: Date) => (a > b ? a : b);

const who = sql`COALESCE(t.customer_id::text, 'anon:' || t.anonymous_id)`;

/** How one period [from, to) is read: see peopleCounts. Days are UTC midnights. */
export interface PeriodEdges {
  from: Date;
  to: Date;
  /** The day of `from` when it is not a midnight: read raw over [from, headEnd). */
  headDay: Date | null;
  headEnd: Date;
  /** Whole days [d1, d2) from the aggregate; a row there is the person's first when prev_last < from. */
  d1: Date;
  d2: Date;
  /** Aggregate rows whose prev_last falls on a day before this one are first in the period. */
  prevBound: Date;
  /** A partial last day [d2, to), read from that day's person rows. */
  tail: boolean;
}

export function periodEdges(from: Date, to: Date): PeriodEdges {
  const day = dayOf(from);
  const head = from > day;
  const d1 = head ? new Date(day.getTime() + DAY_MS) : from;
  const d2 = max(dayOf(to), d1);
  return { from, to, headDay: head ? day : null, headEnd: d1 < to ? d1 : to, d1, d2, prevBound: head ? day : d1, tail: to > d2 };
}

const next_of = sql`next_of(stage, next) AS (VALUES ('lzmot', 'zmot'), ('zmot', 'fmot'), ('fmot', 'smot'), ('smot', 'umot'))`;

/**
 * (pid, stage, people, converted) pieces whose sums per pid and stage are the distinct people
 * seen at the stage in periods[pid] and how many of them converted (their first touchpoint at
 * the stage in the period precedes one at the next stage in the period). Contiguous periods:
 * only the first may start mid-day, only the last end mid-day. Each person is counted once,
 * at their first day row in the period (migration 063):
 *  - head: the partial first day, from its person rows still active at `from`: a row that
 *    began at or after `from` as it is, one that began before from the raw touchpoints of
 *    those people in [from, headEnd) (one day's touchpoints at most, usually far fewer);
 *  - whole days: the aggregate, for rows whose previous day row is before the head day (or
 *    before d1 without a head), and one by one the rows whose previous row ended on the head
 *    day before `from`, and (for conversion) those whose conv_at falls on the tail day before `to`;
 *  - tail: the partial last day's person rows whose previous row ended before `from`.
 * Rows read: the aggregate (days × gaps) and at most a few days' person rows.
 */
function peopleCounts(workspaceId: string, periods: readonly PeriodEdges[], conversion: boolean): RawBuilder<unknown> {
  const first = periods[0] as PeriodEdges;
  const lastPid = periods.length - 1;
  const last = periods[lastPid] as PeriodEdges;
  // The aggregate, and the deltas the fold job has not added to it yet (migration 064).
  const gaps = (table: 'touchpoint_person_gaps' | 'touchpoint_person_gap_deltas') => sql`
    SELECT day, stage, prev_day, conv_day, people FROM ${sql.table(table)}
    WHERE workspace_id = ${workspaceId} AND day >= ${isoDay(first.d1)}::date AND day < ${isoDay(last.d2)}::date`;
  // Contiguous whole-day ranges: a row's period is a bucket of the boundaries (one pass, no range join).
  const bounds = [...periods.map((p) => isoDay(p.d1)), isoDay(last.d2)];
  const whole = sql`
    SELECT b - 1, stage, sum(people), COALESCE(sum(people) FILTER (WHERE conv_day < (${bounds}::date[])[b + 1]), 0)
    FROM (
      SELECT width_bucket(day, ${bounds}::date[]) AS b, stage, prev_day, conv_day, people
      FROM (${gaps('touchpoint_person_gaps')} UNION ALL ${gaps('touchpoint_person_gap_deltas')}) u
    ) g
    WHERE prev_day < (${periods.map((p) => isoDay(p.prevBound))}::date[])[b]
    GROUP BY 1, 2`;
  const pieces = [whole];
  // The edge pieces below read one day's worth of rows through the prev_last and conv_at
  // indexes; their day range is written "day + 0" so the planner cannot take the primary key's
  // day range instead (at 10M, a month's range of person rows: 0.7 s instead of milliseconds).
  if (first.headDay) {
    const h = first.headDay;
    pieces.push(sql`
      SELECT 0, stage, count(*), count(*) FILTER (WHERE conv_at < ${first.to}) FROM touchpoint_person_days
      WHERE workspace_id = ${workspaceId} AND prev_last >= ${h} AND prev_last < ${first.from}
        AND day + 0 >= ${isoDay(first.d1)}::date AND day + 0 < ${isoDay(first.d2)}::date
      GROUP BY 2`);
    // The head day's rows that began at or after `from`: their first touchpoint is the first in
    // the period and conv_at is its conversion.
    pieces.push(sql`
      SELECT 0, stage, count(*), count(*) FILTER (WHERE conv_at < ${first.to}) FROM head_rows
      WHERE first_at >= ${first.from} AND first_at < ${first.headEnd}
      GROUP BY 2`);
    // Rows that began before `from` and went on after it: their first touchpoint in the period,
    // and the next stage's after it that day, from the raw touchpoints of these people only.
    pieces.push(sql`
      SELECT 0, h.stage, count(*), count(*) FILTER (WHERE n.last_at > h.first_at OR s.later_conv_at < ${first.to})
      FROM head h
      JOIN head_rows s ON s.who = h.who AND s.stage = h.stage AND s.first_at < ${first.from}
      LEFT JOIN next_of x ON x.stage = h.stage
      LEFT JOIN head n ON n.who = h.who AND n.stage = x.next
      GROUP BY 2`);
  }
  if (last.tail) {
    pieces.push(sql`
      SELECT ${lastPid}::int, stage, count(*), count(*) FILTER (WHERE conv_at < ${last.to}) FROM touchpoint_person_days
      WHERE workspace_id = ${workspaceId} AND day = ${isoDay(last.d2)}::date AND first_at < ${last.to} AND (prev_last IS NULL OR prev_last < ${last.from})
      GROUP BY 2`);
    if (conversion) {
      pieces.push(sql`
        SELECT ${lastPid}::int, stage, 0, count(*) FROM touchpoint_person_days
        WHERE workspace_id = ${workspaceId} AND conv_at >= ${last.d2} AND conv_at < ${last.to}
          AND day + 0 >= ${isoDay(last.d1)}::date AND day + 0 < ${isoDay(last.d2)}::date AND touchpoint_gap_day(prev_last, '-infinity') < ${isoDay(last.prevBound)}::date
        GROUP BY 2`);
    }
  }
  const head = first.headDay
    ? sql`head_rows AS (
        SELECT who, stage, first_at, conv_at, later_conv_at FROM touchpoint_person_days
        WHERE workspace_id = ${workspaceId} AND day = ${isoDay(first.headDay)}::date AND last_at >= ${first.from}
      ),
      head AS (
        SELECT ${who} AS who, t.stage, min(t.occurred_at) AS first_at, max(t.occurred_at) AS last_at FROM touchpoints t
        WHERE t.workspace_id = ${workspaceId} AND t.occurred_at >= ${first.from} AND t.occurred_at < ${first.headEnd}
          AND t.kind <> 'identify' AND (t.customer_id IS NOT NULL OR t.anonymous_id IS NOT NULL)
          AND ${who} IN (SELECT who FROM head_rows WHERE first_at < ${first.from})
        GROUP BY 1, 2
      ),`
    : sql``;
  return sql`
    WITH ${next_of}, ${head}
    pieces(pid, stage, people, converted) AS (${sql.join(pieces, sql` UNION ALL `)})
    SELECT pid, stage, sum(people)::int AS customers, sum(converted)::int AS converted FROM pieces GROUP BY 1, 2`;
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

/**
 * The report statements run with JIT compiling off: their estimated cost passes PostgreSQL's
 * jit_above_cost at millions of touchpoints while they run in tens of milliseconds, and
 * compiling them took longer than running them (at 10M, 30 days with partial ends, 100–200 ms
 * of JIT on top of about 100 ms of work).
 */
const WITHOUT_JIT = { jit: 'off' } as const;


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

/** A stage's counts in a period (none: zero) as the reports show them. */
export interface StageCounts {
  touchpoints: number;
  customers: number;
  positive: number;
  negative: number;
}

/** A trend's stage: counts and valence shares. */
export function stageFigures(stage: Stage, r: StageCounts | undefined): TrendStage {
  return {
    stage,
    touchpoints: r?.touchpoints ?? 0,
    customers: r?.customers ?? 0,
    positiveShare: share(r?.positive ?? 0, r?.touchpoints ?? 0),
    negativeShare: share(r?.negative ?? 0, r?.touchpoints ?? 0),
  };
}

/** The moments report's stage: the trend's figures and the conversion to the next stage. */
export function stageReport(stage: Stage, r: (StageCounts & { converted: number }) | undefined): StageReport {
  return { ...stageFigures(stage, r), conversionToNext: nextStage(stage) ? share(r?.converted ?? 0, r?.customers ?? 0) : null };
}

/**
 * Per stage over [from, to): touchpoints, people (a customer, or an anonymous visitor until
 * identified), valence shares, and conversion: of those seen at stage S in the period, the
 * share whose first S touchpoint precedes a touchpoint at the next stage within the period.
 */
export async function momentsReport(ctx: WorkspaceContext, from: Date, to: Date): Promise<StageReport[]> {
  await foldPendingPeople(ctx.db, ctx.workspaceId);
  const split = splitPeriod(from, to, true);
  const statement = sql<{ stage: string; touchpoints: number; customers: number; positive: number; negative: number; converted: number }>`
    WITH people AS (${peopleCounts(ctx.workspaceId, [periodEdges(from, to)], true)}),
    counts AS (
      SELECT stage, sum(touchpoints)::int AS touchpoints,
             COALESCE(sum(touchpoints) FILTER (WHERE valence = 'positive'), 0)::int AS positive,
             COALESCE(sum(touchpoints) FILTER (WHERE valence = 'negative'), 0)::int AS negative
      FROM (${countPieces(ctx.workspaceId, split)}) c GROUP BY stage
    )
    SELECT c.stage, c.touchpoints, COALESCE(p.customers, 0)::int AS customers, c.positive, c.negative,
           COALESCE(p.converted, 0)::int AS converted
    FROM counts c LEFT JOIN people p ON p.stage = c.stage`;
  const rows = await withLocalSettings(ctx.db, WITHOUT_JIT, (db) => statement.execute(db));
  const byStage = new Map(rows.rows.map((r) => [r.stage, r]));
  return STAGES.map((stage) => stageReport(stage, byStage.get(stage)));
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
  if (periods.length === 0) return [];
  await foldPendingPeople(ctx.db, ctx.workspaceId);
  const split = splitPeriod(from, to, interval === 'month');
  const bucket = sql.raw(`'${interval}'`);
  // People per period: each period clipped to [from, to), read like the moments report's period.
  const edges = periods.map((start, i) => periodEdges(i === 0 ? max(start, from) : start, periods[i + 1] ?? to));
  const statement = sql<{ period: string; stage: string; touchpoints: number; customers: number; positive: number; negative: number }>`
    WITH people AS (
      SELECT to_char(p.start, 'YYYY-MM-DD') AS period, c.stage, c.customers
      FROM (${peopleCounts(ctx.workspaceId, edges, false)}) c
      JOIN jsonb_to_recordset(${JSON.stringify(periods.map((start, pid) => ({ pid, start: isoDay(start) })))}::jsonb) AS p(pid int, start date) ON p.pid = c.pid
    ),
    counts AS (
      SELECT to_char(date_trunc(${bucket}, at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period, stage, sum(touchpoints)::int AS touchpoints,
             COALESCE(sum(touchpoints) FILTER (WHERE valence = 'positive'), 0)::int AS positive,
             COALESCE(sum(touchpoints) FILTER (WHERE valence = 'negative'), 0)::int AS negative
      FROM (${countPieces(ctx.workspaceId, split)}) c GROUP BY 1, 2
    )
    SELECT c.period, c.stage, c.touchpoints, COALESCE(p.customers, 0)::int AS customers, c.positive, c.negative
    FROM counts c LEFT JOIN people p ON p.period = c.period AND p.stage = c.stage`;
  const rows = await withLocalSettings(ctx.db, WITHOUT_JIT, (db) => statement.execute(db));
  const found = new Map(rows.rows.map((r) => [`${r.period}|${r.stage}`, r]));
  return periods.map((start) => {
    const period = isoDay(start);
    const end = nextPeriod(start, interval);
    return {
      period,
      from: max(start, from).toISOString(),
      to: (end < to ? end : to).toISOString(),
      stages: STAGES.map((stage) => stageFigures(stage, found.get(`${period}|${stage}`))),
    };
  });
}

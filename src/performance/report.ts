// The team leader's performance report: per agent or team, the tickets opened in [from, to) and
// how they were handled — volume, solved, median first response and resolution time, mean next
// response time (from the SLA clocks), first-contact resolution and SLA targets hit and missed.
// Whole UTC days and months come from rollups the database maintains as tickets change
// (migration 055: triggers append deltas, the report folds them in), only the part-days at the
// ends from the tickets themselves — so a year of a million tickets reads a few thousand rows.
// Medians come from 5%-wide duration histograms (within 5% of the exact median). The tickets
// behind any figure come from performanceTickets, one row per ticket, also as CSV.
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { isoDay, splitPeriod } from '../domain/period-split.ts';
import { histogramMedian } from '../domain/duration-histogram.ts';
import { toCsv } from '../journeys/csv.ts';
import type { PerformanceFigure, PerformanceFigures, PerformanceGroup, PerformanceReport, PerformanceTicket } from '../contracts/reports.ts';
import type { TicketPriority, TicketStatus } from '../domain/tickets.ts';
import type { WorkspaceContext } from '../shared/context.ts';

export type { PerformanceFigure, PerformanceFigures, PerformanceGroup, PerformanceReport, PerformanceTicket } from '../contracts/reports.ts';

export const PERFORMANCE_GROUPS = ['agent', 'team'] as const satisfies readonly PerformanceGroup[];
/** The figures a leader can drill into: the tickets behind each. */
export const PERFORMANCE_FIGURES = ['tickets', 'solved', 'fcr', 'sla_hit', 'sla_missed'] as const satisfies readonly PerformanceFigure[];

type SumRow = {
  key: string | null;
  tickets: number | string;
  solved: number | string;
  fcr: number | string;
  sla_hit: number | string;
  sla_missed: number | string;
  nrt_ms: number | string;
  nrt_n: number | string;
};
type HistogramRow = { key: string | null; metric: 'first_response' | 'resolution'; buckets: Array<number | string>; counts: Array<number | string> };

interface Accumulator {
  tickets: number;
  solved: number;
  fcr: number;
  slaHit: number;
  slaMissed: number;
  nrtMs: number;
  nrtN: number;
  firstResponse: Map<number, number>;
  resolution: Map<number, number>;
}

const emptyAccumulator = (): Accumulator => ({
  tickets: 0, solved: 0, fcr: 0, slaHit: 0, slaMissed: 0, nrtMs: 0, nrtN: 0, firstResponse: new Map(), resolution: new Map(),
});

const minutes = (v: number | string | null): number | null => (v === null ? null : Math.round(Number(v) * 10) / 10);

function figures(a: Accumulator): PerformanceFigures {
  return {
    tickets: a.tickets,
    solved: a.solved,
    firstResponseMinutes: minutes(histogramMedian(a.firstResponse)),
    nextResponseMinutes: a.nrtN ? minutes(a.nrtMs / a.nrtN / 60_000) : null,
    resolutionMinutes: minutes(histogramMedian(a.resolution)),
    fcr: a.fcr,
    fcrRate: a.solved ? Math.round((a.fcr / a.solved) * 1000) / 10 : null,
    slaHit: a.slaHit,
    slaMissed: a.slaMissed,
  };
}

function addInto(into: Accumulator, from: Accumulator): void {
  into.tickets += from.tickets;
  into.solved += from.solved;
  into.fcr += from.fcr;
  into.slaHit += from.slaHit;
  into.slaMissed += from.slaMissed;
  into.nrtMs += from.nrtMs;
  into.nrtN += from.nrtN;
  for (const [b, n] of from.firstResponse) into.firstResponse.set(b, (into.firstResponse.get(b) ?? 0) + n);
  for (const [b, n] of from.resolution) into.resolution.set(b, (into.resolution.get(b) ?? 0) + n);
}

const SOLVED = sql`t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL`;
const FCR = sql`${SOLVED} AND t.public_reply_count <= 1 AND t.reopen_count = 0`;

/** Tickets `t` opened in any of the ranges: one OR of created_at ranges, each served by the index. */
const openedIn = (ranges: ReadonlyArray<readonly [Date, Date]>) =>
  sql.join(ranges.map(([a, b]) => sql`(t.created_at >= ${a} AND t.created_at < ${b})`), sql` OR `);

/** The tickets opened in any of the ranges, with their SLA outcomes: one row per ticket. */
function periodTickets(ctx: WorkspaceContext, ranges: ReadonlyArray<readonly [Date, Date]>) {
  return sql`
    SELECT t.*,
      (SELECT count(*) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.outcome = 'hit')::int AS sla_hit,
      (SELECT count(*) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.outcome = 'missed')::int AS sla_missed,
      (SELECT sum(s.elapsed_ms) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.metric = 'next_response' AND s.stopped_at IS NOT NULL) AS nrt_ms,
      (SELECT count(*) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.metric = 'next_response' AND s.stopped_at IS NOT NULL)::int AS nrt_n
    FROM tickets t
    WHERE t.workspace_id = ${ctx.workspaceId} AND (${openedIn(ranges)}) AND t.merged_into_id IS NULL
  `;
}

/**
 * Per group (agent, team, or one group for all), the figures of the tickets opened in
 * [from, to): whole months and days from the maintained rollups (migration 055) plus the
 * deltas not yet folded (src/performance/fold.ts folds them in the background), the part-days at either end from the tickets themselves, medians from the
 * duration histograms (src/domain/duration-histogram.ts).
 */
async function accumulate(ctx: WorkspaceContext, from: Date, to: Date, groupBy: PerformanceGroup | null): Promise<Map<string | null, Accumulator>> {
  const ws = ctx.workspaceId;
  const split = splitPeriod(from, to, true);
  const column = groupBy === 'agent' ? sql.ref('assignee_id') : groupBy === 'team' ? sql.ref('team_id') : sql`NULL::uuid`;
  const ticketColumn = groupBy === 'agent' ? sql`t.assignee_id` : groupBy === 'team' ? sql`t.team_id` : sql`NULL::uuid`;
  // One branch per range (no OR), so each is an index range scan and an empty range costs nothing.
  const ranges: Array<['month' | 'day', [Date, Date]]> = [['month', split.months], ['day', split.days[0]], ['day', split.days[1]]];
  type RollupTable = 'ticket_performance_rollups' | 'ticket_performance_deltas' | 'ticket_performance_histograms' | 'ticket_performance_histogram_deltas';
  /** The rows of a rollup table in the period's whole months and whole days. */
  const inRanges = (table: RollupTable, columns: RawBuilder<unknown>) =>
    sql.join(
      ranges.map(([grain, [a, b]]) => sql`
        SELECT ${column} AS key, ${columns} FROM ${sql.table(table)}
        WHERE workspace_id = ${ws} AND grain = ${grain} AND period_start >= ${isoDay(a)}::date AND period_start < ${isoDay(b)}::date`),
      sql` UNION ALL `,
    );
  const sumColumns = sql`tickets, solved, fcr, sla_hit, sla_missed, nrt_ms, nrt_n`;
  const sums = sql<SumRow>`
    WITH rows AS (
      ${inRanges('ticket_performance_rollups', sumColumns)}
      UNION ALL ${inRanges('ticket_performance_deltas', sumColumns)}
      UNION ALL
      SELECT ${ticketColumn}, 1, (${SOLVED})::int, (${FCR})::int, t.sla_hit, t.sla_missed, coalesce(t.nrt_ms, 0), t.nrt_n
      FROM (${periodTickets(ctx, split.raw)}) t
    )
    SELECT key::text AS key, sum(tickets) AS tickets, sum(solved) AS solved, sum(fcr) AS fcr, sum(sla_hit) AS sla_hit,
           sum(sla_missed) AS sla_missed, sum(nrt_ms) AS nrt_ms, sum(nrt_n) AS nrt_n
    FROM rows GROUP BY key`;
  // Rollup histograms come as arrays (one row per group, period and metric); the unfolded deltas
  // and the part-days' tickets are bucketed here and added to them in memory.
  const histograms = sql<HistogramRow>`
    ${inRanges('ticket_performance_histograms', sql`metric, buckets, counts`)}
    UNION ALL
    SELECT key, metric, array_agg(bucket), array_agg(n) FROM (
      ${inRanges('ticket_performance_histogram_deltas', sql`metric, bucket, n`)}
      UNION ALL
      SELECT ${ticketColumn}, m.metric, performance_bucket(m.minutes), 1
      FROM tickets t CROSS JOIN LATERAL (VALUES
        ('first_response', CASE WHEN t.first_response_at IS NOT NULL
           THEN extract(epoch FROM t.first_response_at - coalesce(t.first_customer_message_at, t.created_at))::double precision / 60 END),
        ('resolution', CASE WHEN ${SOLVED} THEN extract(epoch FROM t.solved_at - t.created_at)::double precision / 60 END)) AS m(metric, minutes)
      WHERE t.workspace_id = ${ws} AND t.merged_into_id IS NULL AND (${openedIn(split.raw)}) AND m.minutes IS NOT NULL
    ) loose GROUP BY key, metric`;
  const [sumRows, histogramRows] = await Promise.all([sums.execute(ctx.db), histograms.execute(ctx.db)]);
  const groups = new Map<string | null, Accumulator>();
  const group = (key: string | null) => {
    let a = groups.get(key);
    if (!a) groups.set(key, (a = emptyAccumulator()));
    return a;
  };
  for (const r of sumRows.rows) {
    if (Number(r.tickets) === 0 && Number(r.sla_hit) === 0 && Number(r.sla_missed) === 0) continue;
    const a = group(r.key);
    a.tickets += Number(r.tickets);
    a.solved += Number(r.solved);
    a.fcr += Number(r.fcr);
    a.slaHit += Number(r.sla_hit);
    a.slaMissed += Number(r.sla_missed);
    a.nrtMs += Number(r.nrt_ms);
    a.nrtN += Number(r.nrt_n);
  }
  for (const r of histogramRows.rows) {
    const counts = (r.metric === 'first_response' ? group(r.key).firstResponse : group(r.key).resolution);
    r.buckets.forEach((bucket, i) => counts.set(Number(bucket), (counts.get(Number(bucket)) ?? 0) + Number(r.counts[i])));
  }
  // A group whose tickets all moved to others (reassigned, merged) leaves rows of zeros.
  for (const [key, a] of groups) if (a.tickets === 0 && a.slaHit === 0 && a.slaMissed === 0 && a.nrtN === 0) groups.delete(key);
  return groups;
}

async function labels(ctx: WorkspaceContext, groupBy: PerformanceGroup, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows =
    groupBy === 'agent'
      ? await ctx.db.selectFrom('agents').select(['id', 'name']).where('workspace_id', '=', ctx.workspaceId).where('id', 'in', ids).execute()
      : await ctx.db.selectFrom('teams').select(['id', 'name']).where('workspace_id', '=', ctx.workspaceId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function performanceReport(ctx: WorkspaceContext, from: Date, to: Date, groupBy: PerformanceGroup | null): Promise<PerformanceReport> {
  const groups = await accumulate(ctx, from, to, groupBy);
  const overall = emptyAccumulator();
  for (const a of groups.values()) addInto(overall, a);
  const names = groupBy ? await labels(ctx, groupBy, [...groups.keys()].filter((k): k is string => k !== null)) : new Map<string, string>();
  const lines = groupBy
    ? [...groups].map(([key, a]) => ({ key, label: key === null ? null : (names.get(key) ?? null), ...figures(a) }))
    : [];
  // Most tickets first; then by name, the unassigned (no name) last.
  lines.sort((a, b) => b.tickets - a.tickets || (a.label === null ? 1 : b.label === null ? -1 : a.label.localeCompare(b.label)));
  return { from: from.toISOString(), to: to.toISOString(), groupBy, overall: figures(overall), groups: lines };
}

export interface TicketFilter {
  agent?: string | undefined;
  team?: string | undefined;
  figure?: PerformanceFigure | undefined;
  limit: number;
}

/** The tickets behind a figure (one row per ticket), newest first. */
export async function performanceTickets(ctx: WorkspaceContext, from: Date, to: Date, filter: TicketFilter): Promise<PerformanceTicket[]> {
  const where = [sql`true`];
  if (filter.agent === 'none') where.push(sql`t.assignee_id IS NULL`);
  else if (filter.agent) where.push(sql`t.assignee_id = ${filter.agent}`);
  if (filter.team === 'none') where.push(sql`t.team_id IS NULL`);
  else if (filter.team) where.push(sql`t.team_id = ${filter.team}`);
  if (filter.figure === 'solved') where.push(SOLVED);
  if (filter.figure === 'fcr') where.push(FCR);
  if (filter.figure === 'sla_hit') where.push(sql`t.sla_hit > 0`);
  if (filter.figure === 'sla_missed') where.push(sql`t.sla_missed > 0`);
  const rows = await sql<{
    id: string; number: number; subject: string; status: string; priority: string; channel: string;
    assignee_id: string | null; assignee: string | null; team_id: string | null; team: string | null;
    created_at: Date | string; solved_at: Date | string | null; frt: number | string | null; resolution: number | string | null;
    fcr: boolean; sla_hit: number; sla_missed: number; csat: number | string | null; recovery: string | null;
  }>`
    SELECT t.id, t.number, t.subject, t.status, t.priority, t.channel, t.assignee_id, a.name AS assignee, t.team_id, tm.name AS team,
      t.created_at, CASE WHEN ${SOLVED} THEN t.solved_at END AS solved_at,
      CASE WHEN t.first_response_at IS NOT NULL THEN extract(epoch FROM t.first_response_at - coalesce(t.first_customer_message_at, t.created_at)) / 60 END AS frt,
      CASE WHEN ${SOLVED} THEN extract(epoch FROM t.solved_at - t.created_at) / 60 END AS resolution,
      coalesce(${FCR}, false) AS fcr, t.sla_hit, t.sla_missed,
      (SELECT avg(r.score) FROM survey_responses r WHERE r.workspace_id = t.workspace_id AND r.ticket_id = t.id AND r.type = 'csat' AND r.score IS NOT NULL) AS csat,
      (SELECT rc.status FROM recovery_cases rc WHERE rc.workspace_id = t.workspace_id AND rc.ticket_id = t.id ORDER BY rc.flagged_at DESC LIMIT 1) AS recovery
    FROM (${periodTickets(ctx, [[from, to]])}) t
    LEFT JOIN agents a ON a.workspace_id = t.workspace_id AND a.id = t.assignee_id
    LEFT JOIN teams tm ON tm.workspace_id = t.workspace_id AND tm.id = t.team_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY t.created_at DESC, t.id DESC
    LIMIT ${filter.limit}
  `.execute(ctx.db);
  const iso = (d: Date | string) => new Date(d).toISOString();
  return rows.rows.map((r) => ({
    id: r.id,
    number: Number(r.number),
    subject: r.subject,
    status: r.status as TicketStatus,
    priority: r.priority as TicketPriority,
    channel: r.channel,
    assigneeId: r.assignee_id,
    assignee: r.assignee,
    teamId: r.team_id,
    team: r.team,
    createdAt: iso(r.created_at),
    solvedAt: r.solved_at === null ? null : iso(r.solved_at),
    firstResponseMinutes: minutes(r.frt),
    resolutionMinutes: minutes(r.resolution),
    fcr: Boolean(r.fcr),
    slaHit: Number(r.sla_hit),
    slaMissed: Number(r.sla_missed),
    csat: r.csat === null ? null : Math.round(Number(r.csat) * 10) / 10,
    recovery: r.recovery,
  }));
}

export function performanceCsv(report: PerformanceReport): string {
  const header = ['group', 'label', 'tickets', 'solved', 'first_response_minutes', 'next_response_minutes', 'resolution_minutes', 'fcr', 'fcr_rate', 'sla_hit', 'sla_missed'];
  const line = (key: string | null, label: string | null, f: PerformanceFigures) =>
    [key, label, f.tickets, f.solved, f.firstResponseMinutes, f.nextResponseMinutes, f.resolutionMinutes, f.fcr, f.fcrRate, f.slaHit, f.slaMissed] as const;
  return toCsv(header, [line('all', null, report.overall), ...report.groups.map((g) => line(g.key, g.label, g))]);
}

export function performanceTicketsCsv(tickets: PerformanceTicket[]): string {
  const header = ['number', 'subject', 'status', 'priority', 'channel', 'assignee', 'team', 'created_at', 'solved_at', 'first_response_minutes', 'resolution_minutes', 'fcr', 'sla_hit', 'sla_missed', 'csat', 'recovery'];
  return toCsv(
    header,
    tickets.map((t) => [t.number, t.subject, t.status, t.priority, t.channel, t.assignee, t.team, t.createdAt, t.solvedAt, t.firstResponseMinutes, t.resolutionMinutes, t.fcr ? 1 : 0, t.slaHit, t.slaMissed, t.csat, t.recovery] as const),
  );
}

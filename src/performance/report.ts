// The team leader's performance report: per agent or team, the tickets opened in [from, to) and
// how they were handled — volume, solved, median first response and resolution time, mean next
// response time (from the SLA clocks), first-contact resolution and SLA targets hit and missed.
// It reads the figures the ticket row keeps up to date (first_response_at, solved_at,
// public_reply_count, reopen_count) and the SLA clocks (ticket_sla_targets), one set-based
// query over the period's tickets (index tickets_workspace_created). The tickets behind any
// figure come from performanceTickets, one row per ticket, also as CSV.
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { toCsv } from '../journeys/csv.ts';
import type { WorkspaceContext } from '../shared/context.ts';

export const PERFORMANCE_GROUPS = ['agent', 'team'] as const;
export type PerformanceGroup = (typeof PERFORMANCE_GROUPS)[number];
/** The figures a leader can drill into: the tickets behind each. */
export const PERFORMANCE_FIGURES = ['tickets', 'solved', 'fcr', 'sla_hit', 'sla_missed'] as const;
export type PerformanceFigure = (typeof PERFORMANCE_FIGURES)[number];

export interface PerformanceFigures {
  tickets: number;
  solved: number;
  /** Minutes from the customer's first message to the first public reply; median; null with none. */
  firstResponseMinutes: number | null;
  /** Mean minutes of the stopped next-response SLA clocks (tickets under an SLA policy). */
  nextResponseMinutes: number | null;
  /** Minutes from opening to solving, median over solved tickets. */
  resolutionMinutes: number | null;
  /** Solved tickets solved with one public reply and never reopened. */
  fcr: number;
  /** fcr ÷ solved in percent, one decimal; null when nothing was solved. */
  fcrRate: number | null;
  slaHit: number;
  slaMissed: number;
}

export interface PerformanceReport {
  from: string;
  to: string;
  groupBy: PerformanceGroup | null;
  overall: PerformanceFigures;
  groups: Array<PerformanceFigures & { key: string | null; label: string | null }>;
}

type Row = {
  key: string | null;
  label: string | null;
  tickets: number;
  solved: number;
  frt: number | string | null;
  nrt_ms: number | string | null;
  nrt_n: number | string | null;
  resolution: number | string | null;
  fcr: number;
  sla_hit: number | string | null;
  sla_missed: number | string | null;
};

const minutes = (v: number | string | null): number | null => (v === null ? null : Math.round(Number(v) * 10) / 10);

function figures(r: Row): PerformanceFigures {
  const solved = Number(r.solved);
  const fcr = Number(r.fcr);
  const nrtN = Number(r.nrt_n ?? 0);
  return {
    tickets: Number(r.tickets),
    solved,
    firstResponseMinutes: minutes(r.frt),
    nextResponseMinutes: nrtN ? minutes(Number(r.nrt_ms) / nrtN / 60_000) : null,
    resolutionMinutes: minutes(r.resolution),
    fcr,
    fcrRate: solved ? Math.round((fcr / solved) * 1000) / 10 : null,
    slaHit: Number(r.sla_hit ?? 0),
    slaMissed: Number(r.sla_missed ?? 0),
  };
}

const SOLVED = sql`t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL`;
const FCR = sql`${SOLVED} AND t.public_reply_count <= 1 AND t.reopen_count = 0`;

/** The period's tickets with their SLA outcomes: one row per ticket. */
function periodTickets(ctx: WorkspaceContext, from: Date, to: Date) {
  return sql`
    SELECT t.*,
      (SELECT count(*) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.outcome = 'hit')::int AS sla_hit,
      (SELECT count(*) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.outcome = 'missed')::int AS sla_missed,
      (SELECT sum(s.elapsed_ms) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.metric = 'next_response' AND s.stopped_at IS NOT NULL) AS nrt_ms,
      (SELECT count(*) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.metric = 'next_response' AND s.stopped_at IS NOT NULL)::int AS nrt_n
    FROM tickets t
    WHERE t.workspace_id = ${ctx.workspaceId} AND t.created_at >= ${from} AND t.created_at < ${to} AND t.merged_into_id IS NULL
  `;
}

export async function performanceReport(ctx: WorkspaceContext, from: Date, to: Date, groupBy: PerformanceGroup | null): Promise<PerformanceReport> {
  let key: RawBuilder<string | null>;
  let label: RawBuilder<string | null>;
  switch (groupBy) {
    case 'agent':
      key = sql`t.assignee_id::text`;
      label = sql`(SELECT a.name FROM agents a WHERE a.workspace_id = ${ctx.workspaceId} AND a.id = t.assignee_id)`;
      break;
    case 'team':
      key = sql`t.team_id::text`;
      label = sql`(SELECT tm.name FROM teams tm WHERE tm.workspace_id = ${ctx.workspaceId} AND tm.id = t.team_id)`;
      break;
    default:
      key = sql`NULL::text`;
      label = sql`NULL::text`;
  }
  const select = (k: RawBuilder<string | null>, l: RawBuilder<string | null>) => sql<Row>`
    SELECT ${k} AS key, ${l} AS label,
      count(*)::int AS tickets,
      (count(*) FILTER (WHERE ${SOLVED}))::int AS solved,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.first_response_at - coalesce(t.first_customer_message_at, t.created_at)) / 60)
        FILTER (WHERE t.first_response_at IS NOT NULL) AS frt,
      sum(t.nrt_ms) AS nrt_ms, sum(t.nrt_n) AS nrt_n,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.solved_at - t.created_at) / 60) FILTER (WHERE ${SOLVED}) AS resolution,
      (count(*) FILTER (WHERE ${FCR}))::int AS fcr,
      sum(t.sla_hit) AS sla_hit, sum(t.sla_missed) AS sla_missed
    FROM (${periodTickets(ctx, from, to)}) t
    GROUP BY 1, 2
    ORDER BY 3 DESC, 2 NULLS LAST
  `;
  const overall = (await select(sql`NULL::text`, sql`NULL::text`).execute(ctx.db)).rows[0];
  const empty: Row = { key: null, label: null, tickets: 0, solved: 0, frt: null, nrt_ms: null, nrt_n: 0, resolution: null, fcr: 0, sla_hit: 0, sla_missed: 0 };
  const groups = groupBy ? (await select(key, label).execute(ctx.db)).rows : [];
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy,
    overall: figures(overall ?? empty),
    groups: groups.map((r) => ({ key: r.key, label: r.label, ...figures(r) })),
  };
}

export interface PerformanceTicket {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  channel: string;
  assigneeId: string | null;
  assignee: string | null;
  teamId: string | null;
  team: string | null;
  createdAt: string;
  solvedAt: string | null;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  fcr: boolean;
  slaHit: number;
  slaMissed: number;
  /** Mean CSAT answer (1–5) for the ticket; null when unanswered. */
  csat: number | null;
  recovery: string | null;
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
    FROM (${periodTickets(ctx, from, to)}) t
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
    status: r.status,
    priority: r.priority,
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

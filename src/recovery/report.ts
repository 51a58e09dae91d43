// The service-recovery report: how many tickets were flagged, and how many apologies and
// compensations were offered, sent, accepted and declined in a period — overall and per agent,
// team, or day/week/month. It counts the recorded actions (facts written when they happened).
// An action belongs to the agent who recorded it (an API token's agent), or else — the system
// flagging a breach — to the ticket's assignee; the team is the ticket's team.
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { toCsv } from '../journeys/csv.ts';
import type { RecoveryFigures, RecoveryGroup, RecoveryReport } from '../contracts/reports.ts';
import type { WorkspaceContext } from '../shared/context.ts';

export type { RecoveryFigures, RecoveryGroup, RecoveryReport } from '../contracts/reports.ts';

export const RECOVERY_GROUPS = ['agent', 'team', 'day', 'week', 'month'] as const satisfies readonly RecoveryGroup[];

type Row = { key: string | null; label: string | null; cases: number; flagged: number; offered: number; sent: number; accepted: number; declined: number };

function figures(r: Omit<Row, 'key' | 'label'>): RecoveryFigures {
  const answered = Number(r.accepted) + Number(r.declined);
  return {
    cases: Number(r.cases),
    flagged: Number(r.flagged),
    offered: Number(r.offered),
    sent: Number(r.sent),
    accepted: Number(r.accepted),
    declined: Number(r.declined),
    acceptanceRate: answered ? Math.round((Number(r.accepted) / answered) * 1000) / 10 : null,
  };
}

export async function recoveryReport(ctx: WorkspaceContext, from: Date, to: Date, groupBy: RecoveryGroup | null): Promise<RecoveryReport> {
  const agent = sql<string | null>`coalesce(CASE WHEN ra.actor_type = 'agent' THEN ra.actor_id::uuid END, tok.created_by, t.assignee_id)`;
  let key: RawBuilder<string | null>;
  let label: RawBuilder<string | null>;
  switch (groupBy) {
    case 'agent':
      key = sql`(${agent})::text`;
      label = sql`(SELECT a.name FROM agents a WHERE a.workspace_id = ${ctx.workspaceId} AND a.id = ${agent})`;
      break;
    case 'team':
      key = sql`t.team_id::text`;
      label = sql`(SELECT tm.name FROM teams tm WHERE tm.workspace_id = ${ctx.workspaceId} AND tm.id = t.team_id)`;
      break;
    case 'day':
    case 'week':
    case 'month':
      key = sql`to_char(date_trunc(${groupBy}, ra.at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
      label = key;
      break;
    default:
      key = sql`NULL::text`;
      label = sql`NULL::text`;
  }
  const result = await sql<Row>`
    SELECT ${key} AS key, ${label} AS label,
      count(DISTINCT ra.case_id)::int AS cases,
      (count(*) FILTER (WHERE ra.action = 'flagged'))::int AS flagged,
      (count(*) FILTER (WHERE ra.action = 'offered'))::int AS offered,
      (count(*) FILTER (WHERE ra.action = 'sent'))::int AS sent,
      (count(*) FILTER (WHERE ra.action = 'accepted'))::int AS accepted,
      (count(*) FILTER (WHERE ra.action = 'declined'))::int AS declined
    FROM recovery_actions ra
    JOIN tickets t ON t.workspace_id = ra.workspace_id AND t.id = ra.ticket_id
    LEFT JOIN api_tokens tok ON tok.workspace_id = ra.workspace_id AND ra.actor_type = 'token' AND tok.id::text = ra.actor_id
    WHERE ra.workspace_id = ${ctx.workspaceId} AND ra.at >= ${from} AND ra.at < ${to}
    GROUP BY 1, 2
    ORDER BY 1 NULLS LAST
  `.execute(ctx.db);
  const rows = result.rows;
  const total = rows.reduce(
    (sum, r) => ({
      flagged: sum.flagged + Number(r.flagged),
      offered: sum.offered + Number(r.offered),
      sent: sum.sent + Number(r.sent),
      accepted: sum.accepted + Number(r.accepted),
      declined: sum.declined + Number(r.declined),
    }),
    { flagged: 0, offered: 0, sent: 0, accepted: 0, declined: 0 },
  );
  // Cases are counted distinctly overall (a case may span groups).
  const cases = await sql<{ n: number }>`
    SELECT count(DISTINCT case_id)::int AS n FROM recovery_actions
    WHERE workspace_id = ${ctx.workspaceId} AND at >= ${from} AND at < ${to}
  `.execute(ctx.db);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy,
    overall: figures({ ...total, cases: Number(cases.rows[0]?.n ?? 0) }),
    groups: groupBy ? rows.map((r) => ({ key: r.key, label: r.label, ...figures(r) })) : [],
  };
}

export function recoveryCsv(report: RecoveryReport): string {
  const header = ['group', 'label', 'cases', 'flagged', 'offered', 'sent', 'accepted', 'declined', 'acceptance_rate'];
  const line = (key: string | null, label: string | null, f: RecoveryFigures) =>
    [key, label, f.cases, f.flagged, f.offered, f.sent, f.accepted, f.declined, f.acceptanceRate] as const;
  return toCsv(header, [line('all', null, report.overall), ...report.groups.map((g) => line(g.key, g.label, g))]);
}

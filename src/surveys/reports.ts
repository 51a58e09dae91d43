// The survey report: CSAT, NPS and CES with their answer counts, overall and per agent, team,
// channel, stage or ISO week. SQL sums the counts per group; the pure formulas in
// src/domain/survey-metrics.ts turn them into the metrics, so the report and the tests agree.
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { cesFromCounts, csatFromCounts, npsFromCounts } from '../domain/survey-metrics.ts';
import type { SurveyFigures, SurveyGroup, SurveyReport } from '../contracts/reports.ts';
import type { WorkspaceContext } from '../shared/context.ts';

export type { SurveyFigures, SurveyGroup, SurveyReport } from '../contracts/reports.ts';

export const SURVEY_GROUPS = ['agent', 'team', 'channel', 'stage', 'week'] as const satisfies readonly SurveyGroup[];

interface CountRow {
  key: string | null;
  label: string | null;
  responses: string | number;
  csat_total: string | number;
  csat_sat: string | number;
  nps_total: string | number;
  nps_pro: string | number;
  nps_det: string | number;
  ces_total: string | number;
  ces_sum: string | number | null;
}

function figures(r: CountRow): SurveyFigures {
  const n = (v: string | number | null) => Number(v ?? 0);
  return {
    responses: n(r.responses),
    csat: csatFromCounts({ total: n(r.csat_total), satisfied: n(r.csat_sat) }),
    csatAnswers: n(r.csat_total),
    nps: npsFromCounts({ total: n(r.nps_total), promoters: n(r.nps_pro), detractors: n(r.nps_det) }),
    npsAnswers: n(r.nps_total),
    ces: cesFromCounts({ total: n(r.ces_total), sum: n(r.ces_sum) }),
    cesAnswers: n(r.ces_total),
  };
}

const COUNTS = sql`
  count(*) AS responses,
  count(*) FILTER (WHERE r.type = 'csat') AS csat_total,
  count(*) FILTER (WHERE r.type = 'csat' AND r.score >= 4) AS csat_sat,
  count(*) FILTER (WHERE r.type = 'nps') AS nps_total,
  count(*) FILTER (WHERE r.type = 'nps' AND r.score >= 9) AS nps_pro,
  count(*) FILTER (WHERE r.type = 'nps' AND r.score <= 6) AS nps_det,
  count(*) FILTER (WHERE r.type = 'ces') AS ces_total,
  sum(r.score) FILTER (WHERE r.type = 'ces') AS ces_sum`;

function groupKey(group: SurveyGroup): { key: RawBuilder<unknown>; label: RawBuilder<unknown>; join: RawBuilder<unknown> } {
  switch (group) {
    case 'agent':
      return { key: sql`r.agent_id::text`, label: sql`max(a.name)`, join: sql`LEFT JOIN agents a ON a.workspace_id = r.workspace_id AND a.id = r.agent_id` };
    case 'team':
      return { key: sql`r.team_id::text`, label: sql`max(t.name)`, join: sql`LEFT JOIN teams t ON t.workspace_id = r.workspace_id AND t.id = r.team_id` };
    case 'channel':
      return { key: sql`r.channel`, label: sql`r.channel`, join: sql`` };
    case 'stage':
      return { key: sql`r.stage`, label: sql`r.stage`, join: sql`` };
    case 'week':
      // ISO weeks start on Monday, in UTC.
      return {
        key: sql`to_char(date_trunc('week', r.answered_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
        label: sql`to_char(date_trunc('week', r.answered_at AT TIME ZONE 'UTC'), 'IYYY-"W"IW')`,
        join: sql``,
      };
  }
}

export async function surveyReport(
  ctx: WorkspaceContext,
  from: Date,
  to: Date,
  groupBy: SurveyGroup | null,
  options: { surveyId?: string | undefined } = {},
): Promise<SurveyReport> {
  const oneSurvey = options.surveyId ? sql` AND r.survey_id = ${options.surveyId}` : sql``;
  const where = sql`r.workspace_id = ${ctx.workspaceId} AND r.answered_at >= ${from} AND r.answered_at < ${to}${oneSurvey}`;
  const overall = await sql<CountRow>`SELECT NULL AS key, NULL AS label, ${COUNTS} FROM survey_responses r WHERE ${where}`.execute(ctx.db);
  let groups: SurveyReport['groups'] = [];
  if (groupBy) {
    const g = groupKey(groupBy);
    const rows = await sql<CountRow>`
      SELECT ${g.key} AS key, ${g.label} AS label, ${COUNTS}
      FROM survey_responses r ${g.join}
      WHERE ${where}
      GROUP BY 1${groupBy === 'week' ? sql`, 2` : sql``}
      ORDER BY 1 NULLS LAST`.execute(ctx.db);
    groups = rows.rows.map((r) => ({ key: r.key, label: r.label, ...figures(r) }));
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy,
    overall: figures(overall.rows[0] as CountRow),
    groups,
  };
}

const CSV_HEADER = ['group', 'key', 'label', 'responses', 'csat', 'csat_answers', 'nps', 'nps_answers', 'ces', 'ces_answers'];
const csvField = (value: string | number | null): string => {
  const s = value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One line overall, then one per group (CRLF, RFC 4180); empty cells where a metric has no answers. */
export function surveyCsv(report: SurveyReport): string {
  const line = (group: string, key: string | null, label: string | null, f: SurveyFigures) =>
    [group, key, label, f.responses, f.csat, f.csatAnswers, f.nps, f.npsAnswers, f.ces, f.cesAnswers].map(csvField).join(',');
  const lines = [CSV_HEADER.join(','), line('overall', null, null, report.overall)];
  for (const g of report.groups) lines.push(line(report.groupBy ?? '', g.key, g.label, g));
  return `${lines.join('\r\n')}\r\n`;
}

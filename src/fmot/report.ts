// The FMOT window report: first-seconds bounce, engagement and same-visit conversion of
// first-contact visits, per product, page, store or channel, with a trend per period. One
// set-based statement over loop_facts; the rules are src/domain/fmot.ts's (the tests hold the
// SQL to them): dwell from the visit's own dwellMs, else the leave event naming it, else the
// first unnamed leave before the person's next visit; bounce = dwell ≤ 7 s; a conversion counts
// for the visit it falls in, up to 30 minutes after the visit ended.
import { sql } from 'kysely';
import { BOUNCE_MS, fmotMetrics, VISIT_TIMEOUT_MS } from '../domain/fmot.ts';
import type { FmotDimension, FmotMetrics } from '../domain/fmot.ts';
import type { WorkspaceContext } from '../shared/context.ts';

export type FmotInterval = 'day' | 'week' | 'month';

export interface FmotGroup extends FmotMetrics {
  /** The product, page, store or channel; null for visits that did not say. */
  key: string | null;
  trend: ({ period: string } & FmotMetrics)[];
}

export interface FmotReport {
  from: string;
  to: string;
  groupBy: FmotDimension;
  interval: FmotInterval;
  total: FmotMetrics;
  groups: FmotGroup[];
}

type Row = { key: string | null; period: string; visits: string; measured: string; bounced: string; converted: string; dwell_sum: string };

/** How far past `to` leave events and conversions of the period's last visits are looked for. */
const TAIL = '1 day';

export async function fmotReport(
  ctx: WorkspaceContext,
  options: { from: Date; to: Date; groupBy: FmotDimension; interval: FmotInterval; limit: number },
): Promise<FmotReport> {
  const { from, to, groupBy, interval } = options;
  const ws = ctx.workspaceId;
  const keyColumn = sql.ref(`s.${groupBy}`);
  const rows = await sql<Row>`
    WITH facts AS (
      SELECT kind, touchpoint_id, message_id, COALESCE(customer_id::text, 'anon:' || anonymous_id) AS person, at,
             dwell_ms, visit_id, product, page, store, channel
      FROM loop_facts
      WHERE workspace_id = ${ws} AND kind IN ('visit_start', 'visit_leave', 'conversion')
        AND at >= ${from} AND at < ${to}::timestamptz + ${TAIL}::interval
    ),
    starts AS (
      SELECT f.*, lead(at) OVER (PARTITION BY person ORDER BY at, message_id) AS next_at
      FROM facts f WHERE kind = 'visit_start'
    ),
    named AS (
      SELECT DISTINCT ON (s.touchpoint_id) s.touchpoint_id,
             COALESCE(l.dwell_ms, (extract(epoch FROM l.at - s.at) * 1000)::bigint) AS dwell
      FROM starts s JOIN facts l ON l.kind = 'visit_leave' AND l.person = s.person AND l.visit_id = s.message_id
      ORDER BY s.touchpoint_id, l.at, l.message_id
    ),
    unnamed AS (
      SELECT DISTINCT ON (s.touchpoint_id) s.touchpoint_id,
             COALESCE(l.dwell_ms, (extract(epoch FROM l.at - s.at) * 1000)::bigint) AS dwell
      FROM starts s JOIN facts l ON l.kind = 'visit_leave' AND l.person = s.person AND l.visit_id IS NULL
        AND l.at >= s.at AND (s.next_at IS NULL OR l.at < s.next_at)
      ORDER BY s.touchpoint_id, l.at, l.message_id
    ),
    visits AS (
      SELECT s.touchpoint_id, s.person, s.at, s.next_at, ${keyColumn} AS key,
             CASE WHEN COALESCE(s.dwell_ms, n.dwell, u.dwell) < 0 THEN NULL ELSE COALESCE(s.dwell_ms, n.dwell, u.dwell) END AS dwell
      FROM starts s
      LEFT JOIN named n ON n.touchpoint_id = s.touchpoint_id
      LEFT JOIN unnamed u ON u.touchpoint_id = s.touchpoint_id
      WHERE s.at < ${to}
    ),
    converted AS (
      SELECT DISTINCT v.touchpoint_id
      FROM visits v JOIN facts c ON c.kind = 'conversion' AND c.person = v.person AND c.at >= v.at
        AND (v.next_at IS NULL OR c.at < v.next_at)
        AND c.at <= v.at + make_interval(secs => ((COALESCE(v.dwell, 0) + ${VISIT_TIMEOUT_MS}::bigint) / 1000.0)::float8)
    )
    SELECT v.key, to_char(date_trunc(${interval}, v.at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period,
           count(*) AS visits,
           count(v.dwell) AS measured,
           count(*) FILTER (WHERE v.dwell <= ${BOUNCE_MS}) AS bounced,
           count(c.touchpoint_id) AS converted,
           COALESCE(sum(v.dwell), 0) AS dwell_sum
    FROM visits v LEFT JOIN converted c ON c.touchpoint_id = v.touchpoint_id
    GROUP BY 1, 2
    ORDER BY 1, 2`.execute(ctx.db);

  const counts = (r: Pick<Row, 'visits' | 'measured' | 'bounced' | 'converted' | 'dwell_sum'>) => ({
    visits: Number(r.visits),
    measured: Number(r.measured),
    bounced: Number(r.bounced),
    converted: Number(r.converted),
    dwellSumMs: Number(r.dwell_sum),
  });
  const groups = new Map<string | null, { rows: Row[] }>();
  for (const r of rows.rows) {
    const g = groups.get(r.key) ?? { rows: [] };
    g.rows.push(r);
    groups.set(r.key, g);
  }
  const sum = (list: Row[]) =>
    list.reduce(
      (acc, r) => {
        const c = counts(r);
        return {
          visits: acc.visits + c.visits,
          measured: acc.measured + c.measured,
          bounced: acc.bounced + c.bounced,
          converted: acc.converted + c.converted,
          dwellSumMs: acc.dwellSumMs + c.dwellSumMs,
        };
      },
      { visits: 0, measured: 0, bounced: 0, converted: 0, dwellSumMs: 0 },
    );
  const list: FmotGroup[] = [...groups.entries()].map(([key, g]) => ({
    key,
    ...fmotMetrics(sum(g.rows)),
    trend: g.rows.map((r) => ({ period: r.period, ...fmotMetrics(counts(r)) })),
  }));
  list.sort((a, b) => b.visits - a.visits || String(a.key).localeCompare(String(b.key)));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy,
    interval,
    total: fmotMetrics(sum(rows.rows)),
    groups: list.slice(0, options.limit),
  };
}

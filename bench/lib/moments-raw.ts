// The moments report and the stage health trend computed the way one would without the
// product's rollups: one plain SQL statement over the touchpoints of [from, to), through the
// same pg driver. The benchmark times it as the baseline of each report query and checks that
// it gives exactly the product's numbers (a baseline that answered something else would make
// the ratio meaningless). Definitions as in src/journeys/reports.ts: identify calls are not
// touchpoints; a person is the customer, or the anonymous id before identification; converted
// means a touchpoint at the next stage after the person's first one at this stage, in the period.
import type pg from 'pg';
import { STAGES } from '../../src/domain/moments.ts';
import { stageFigures, stageReport } from '../../src/journeys/reports.ts';
import type { StageReport, TrendInterval, TrendPeriod } from '../../src/journeys/reports.ts';

interface RawRow {
  period: string;
  stage: string;
  touchpoints: number;
  positive: number;
  negative: number;
  customers: number;
  converted: number;
}

/** Per bucket (the whole period, or each day/week/month) and stage, from the raw touchpoints. */
function rawStatement(bucket: string): string {
  return `
    WITH t AS (
      SELECT ${bucket} AS period, stage, valence, occurred_at AS at,
             COALESCE(customer_id::text, 'anon:' || anonymous_id) AS who
      FROM touchpoints
      WHERE workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND kind <> 'identify'
    ),
    counts AS (
      SELECT period, stage, count(*)::int AS touchpoints,
             (count(*) FILTER (WHERE valence = 'positive'))::int AS positive,
             (count(*) FILTER (WHERE valence = 'negative'))::int AS negative
      FROM t GROUP BY 1, 2
    ),
    people AS (SELECT period, who, stage, min(at) AS first_at, max(at) AS last_at FROM t WHERE who IS NOT NULL GROUP BY 1, 2, 3),
    next_of(stage, next) AS (VALUES ('lzmot', 'zmot'), ('zmot', 'fmot'), ('fmot', 'smot'), ('smot', 'umot')),
    reached AS (
      SELECT p.period, p.stage, count(*)::int AS customers, (count(*) FILTER (WHERE n.last_at > p.first_at))::int AS converted
      FROM people p LEFT JOIN next_of o ON o.stage = p.stage
      LEFT JOIN people n ON n.period = p.period AND n.who = p.who AND n.stage = o.next
      GROUP BY 1, 2
    )
    SELECT c.period, c.stage, c.touchpoints, c.positive, c.negative,
           COALESCE(r.customers, 0) AS customers, COALESCE(r.converted, 0) AS converted
    FROM counts c LEFT JOIN reached r ON r.period = c.period AND r.stage = c.stage`;
}

export async function rawMomentsReport(pool: pg.Pool, workspaceId: string, from: Date, to: Date): Promise<StageReport[]> {
  const { rows } = await pool.query<RawRow>(rawStatement(`''`), [workspaceId, from, to]);
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  return STAGES.map((stage) => stageReport(stage, byStage.get(stage)));
}

/**
 * The trend's periods as the product numbers them; people are distinct per period (each period
 * clipped to [from, to)). Periods without touchpoints are left out: compare only the ones that have some.
 */
export async function rawMomentsTrend(pool: pg.Pool, workspaceId: string, from: Date, to: Date, interval: TrendInterval): Promise<TrendPeriod[]> {
  const bucket = `to_char(date_trunc('${interval}', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
  const { rows } = await pool.query<RawRow>(rawStatement(bucket), [workspaceId, from, to]);
  const periods = new Map<string, Map<string, RawRow>>();
  for (const r of rows) {
    const stages = periods.get(r.period) ?? new Map<string, RawRow>();
    stages.set(r.stage, r);
    periods.set(r.period, stages);
  }
  return [...periods.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, stages]) => ({
      period,
      from: '',
      to: '',
      stages: STAGES.map((stage) => stageFigures(stage, stages.get(stage))),
    }));
}

/** A description of the first difference between the product's answer and the raw one, or null. */
export function firstDifference(product: StageReport[] | TrendPeriod[], raw: StageReport[] | TrendPeriod[]): string | null {
  const strip = (x: StageReport[] | TrendPeriod[]) =>
    (x as (StageReport | TrendPeriod)[])
      .filter((p) => !('period' in p) || p.stages.some((s) => s.touchpoints > 0))
      .map((p) => ('period' in p ? JSON.stringify({ period: p.period, stages: p.stages }) : JSON.stringify(p)));
  const a = strip(product);
  const b = strip(raw);
  if (a.length !== b.length) return `${a.length} rows from the product, ${b.length} from raw SQL`;
  const i = a.findIndex((row, k) => row !== b[k]);
  return i < 0 ? null : `product ${a[i]} ≠ raw ${b[i]}`;
}

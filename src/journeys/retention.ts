// Retention cohorts for the workspace: loads the touchpoints of the people whose first purchase
// falls in [from, to) with one query and hands them to the pure definition in
// src/domain/retention.ts.
import { sql } from 'kysely';
import type { WorkspaceContext } from '../shared/context.ts';
import { retentionCohorts, retentionSubject } from '../domain/retention.ts';
import type { RetentionCohort, RetentionSubject, RetentionTouchpoint } from '../domain/retention.ts';
import type { Stage, Valence } from '../domain/moments.ts';

/** Most touchpoints one report reads; beyond it the report covers the earliest people only. */
export const RETENTION_ROW_CAP = 200_000;
const DAY_MS = 86_400_000;

export interface RetentionReport {
  from: string;
  to: string;
  asOf: string;
  days: number[];
  windowDays: number;
  truncated: boolean;
  cohorts: RetentionCohort[];
}

/**
 * Conversion event names with case and separators squashed away, a coarse SQL pre-filter for
 * who purchased; the pure function then recognises purchases exactly (normalizeEventName).
 */
const SQUASHED_CONVERSIONS = ['ordercompleted', 'purchase', 'subscriptionstarted', 'trialconverted'];

export async function retentionReport(
  ctx: WorkspaceContext,
  options: { from: Date; to: Date; asOf: Date; days: number[]; windowDays: number },
): Promise<RetentionReport> {
  const { from, to, asOf, days, windowDays } = options;
  // Nothing after the last N of the last possible cohort member can matter.
  const horizon = new Date(to.getTime() + Math.max(...days) * DAY_MS);
  const rows = await sql<{ who: string; event: string; stage: string; valence: string; occurred_at: Date }>`
    WITH t AS (
      SELECT id, COALESCE(customer_id::text, 'anon:' || anonymous_id) AS who, event, stage, valence, occurred_at
      FROM touchpoints
      WHERE workspace_id = ${ctx.workspaceId}
        AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL)
        AND kind <> 'identify' -- who someone is, not something they did
    ),
    buyers AS (
      SELECT who FROM t
      WHERE lower(regexp_replace(event, '[[:space:]_.:/-]+', '', 'g')) IN (${sql.join(SQUASHED_CONVERSIONS)})
      GROUP BY who
      HAVING min(occurred_at) >= ${from} AND min(occurred_at) < ${to}
    )
    SELECT t.who, t.event, t.stage, t.valence, t.occurred_at
    FROM t JOIN buyers b ON b.who = t.who
    WHERE t.occurred_at < ${horizon}
    ORDER BY t.who, t.occurred_at, t.id
    LIMIT ${RETENTION_ROW_CAP}`.execute(ctx.db);

  const byPerson = new Map<string, RetentionTouchpoint[]>();
  for (const r of rows.rows) {
    const t: RetentionTouchpoint = { event: r.event, stage: r.stage as Stage, valence: r.valence as Valence, occurredAt: new Date(r.occurred_at) };
    const list = byPerson.get(r.who);
    if (list) list.push(t);
    else byPerson.set(r.who, [t]);
  }
  const subjects: RetentionSubject[] = [];
  for (const touchpoints of byPerson.values()) {
    const subject = retentionSubject(touchpoints);
    if (subject && subject.firstPurchaseAt >= from && subject.firstPurchaseAt < to) subjects.push(subject);
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    asOf: asOf.toISOString(),
    days,
    windowDays,
    truncated: rows.rows.length >= RETENTION_ROW_CAP,
    cohorts: retentionCohorts(subjects, { days, windowDays, asOf }),
  };
}

const CSV_HEADER = ['cohort', 'onboarding', 'size', 'days', 'eligible', 'retained', 'rate'];
const csvField = (value: string | number | null): string => {
  const s = value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One line per cohort row and N: cohort,onboarding,size,days,eligible,retained,rate (CRLF, RFC 4180). */
export function retentionCsv(report: RetentionReport): string {
  const lines = [CSV_HEADER.join(',')];
  for (const c of report.cohorts) {
    for (const n of report.days) {
      const point = c.retained[String(n)];
      lines.push([c.cohort, c.onboarding, c.size, n, point?.eligible ?? 0, point?.retained ?? 0, point?.rate ?? null].map(csvField).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

// The UMOT → ZMOT attribution report: which published reviews reached prospects and influenced
// conversions, which negative ones preceded lost prospects, and the reviewers behind them.
// One set-based statement over loop_facts (no per-row loops); the rules are those of
// src/domain/attribution.ts, which the tests hold the SQL to.
import { sql } from 'kysely';
import { DAY_MS } from '../domain/attribution.ts';
import type { AttributionModel } from '../domain/attribution.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { detectLanguage } from '../domain/keyphrases.ts';
import { withLocalSettings } from '../db/local-settings.ts';
import { foldAttribution } from './fold.ts';
import { publicAuthor } from '../reviews/service.ts';
import type { PublishedReview } from '../reviews/service.ts';

export interface ReviewLine {
  review: Pick<PublishedReview, 'id' | 'source' | 'platform' | 'author' | 'rating' | 'valence' | 'lang' | 'publishedAt' | 'customerId' | 'hidden'> & { excerpt: string };
  views: number;
  prospectsReached: number;
  conversionsInfluenced: number;
  /** Attributed conversions under each model (sums of credits). */
  attributed: Record<AttributionModel, number>;
  /** Under the report's model. */
  credit: number;
  lostProspects: number;
  /** What to do about the reviewer: thank them, or recover them (a negative review). */
  followUp: 'thank_you' | 'recovery';
  /** The follow-up ticket, once opened (POST /api/v1/reviews/{id}/follow-up). */
  followUpTicketId: string | null;
}

export interface AttributionReport {
  from: string;
  to: string;
  model: AttributionModel;
  lookbackDays: number;
  totals: { views: number; prospectsReached: number; conversions: number; attributedConversions: number };
  reviews: ReviewLine[];
  /** Negative reviews that preceded lost prospects, most losses first. */
  negativeBeforeLost: ReviewLine[];
}

type Row = {
  list: 'rank' | 'negative';
  review_id: string;
  views: string;
  reached: string;
  influenced: string;
  first_touch: string;
  last_touch: string;
  linear: string;
  lost: string;
  source: string;
  platform: string | null;
  author: string | null;
  rating: number | null;
  valence: string;
  locale: string | null;
  published_at: Date;
  customer_id: string | null;
  hidden: boolean;
  excerpt: string;
  follow_up_ticket_id: string | null;
  total_views: string;
  total_reached: string;
  conversions: string;
  attributed: string;
};

/** The lookbacks counted at write time (migration 068); any other is computed from loop_facts. */
export const ROLLUP_LOOKBACKS: readonly number[] = [7, 30, 90];

const isMonthStart = (d: Date) =>
  d.getUTCDate() === 1 && d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;

/** Where a report is computed from; all three give the same report (test/attribution-rollups.test.ts). */
export type AttributionSource = 'sums' | 'rows' | 'facts';

/**
 * Whether the report can read the monthly sums (attribution_*_months): a period of whole UTC
 * months and a lookback of 7, 30 or 90 days.
 */
export function usesRollups(from: Date, to: Date, lookbackDays: number): boolean {
  return isMonthStart(from) && isMonthStart(to) && ROLLUP_LOOKBACKS.includes(lookbackDays);
}

/**
 * The cheapest exact way to a report: the monthly sums for whole months; for another period
 * (a lookback of 7, 30 or 90 days) the period's rows of attribution_views and
 * attribution_credits, one condition per row, work proportional to the period's views but with
 * no join by person; any other lookback, loop_facts.
 */
export function attributionSource(from: Date, to: Date, lookbackDays: number): AttributionSource {
  if (!ROLLUP_LOOKBACKS.includes(lookbackDays)) return 'facts';
  return usesRollups(from, to, lookbackDays) ? 'sums' : 'rows';
}

/**
 * What both statements share: the lines of `reach` (review_id, views, reached, lost) and
 * `credit` (review_id, influenced, first_touch, last_touch, linear) with their reviews, ranked
 * by the model's credit (`rank`) and the negative reviews before lost prospects (`negative`),
 * each at most `limit`, with the period's `totals` on every line (and on a line of its own
 * when there is nothing else).
 */
function linesSql(ws: string, model: AttributionModel, limit: number) {
  return sql`
    lines AS MATERIALIZED (
      SELECT COALESCE(r.review_id, c.review_id) AS review_id,
             COALESCE(r.views, 0) AS views, COALESCE(r.reached, 0) AS reached, COALESCE(r.lost, 0) AS lost,
             COALESCE(c.influenced, 0) AS influenced, COALESCE(c.first_touch, 0) AS first_touch,
             COALESCE(c.last_touch, 0) AS last_touch, COALESCE(c.linear, 0) AS linear,
             CASE ${model}::text WHEN 'first_touch' THEN COALESCE(c.first_touch, 0)
                                 WHEN 'last_touch' THEN COALESCE(c.last_touch, 0)
                                 ELSE COALESCE(c.linear, 0) END AS credit
      FROM reach r FULL JOIN credit c ON c.review_id = r.review_id
    ),
    reviewed AS MATERIALIZED (
      SELECT l.*, pr.source, pr.platform, pr.author, pr.rating, pr.valence, pr.locale, pr.published_at, pr.customer_id, pr.hidden,
             CASE WHEN char_length(pr.text) > 160 THEN left(pr.text, 159) || '…' ELSE pr.text END AS excerpt,
             f.ticket_id AS follow_up_ticket_id
      FROM lines l JOIN published_reviews pr ON pr.workspace_id = ${ws} AND pr.id = l.review_id
      LEFT JOIN review_followups f ON f.workspace_id = ${ws} AND f.review_id = l.review_id
    ),
    picked AS (
      (SELECT 'rank' AS list, * FROM reviewed ORDER BY credit DESC, influenced DESC, reached DESC, review_id LIMIT ${limit})
      UNION ALL
      (SELECT 'negative', * FROM reviewed WHERE valence = 'negative' AND lost > 0 ORDER BY lost DESC, reached DESC, review_id LIMIT ${limit})
    )
    SELECT p.list, p.review_id, p.views, p.reached, p.influenced, p.first_touch, p.last_touch, p.linear, p.lost,
           p.source, p.platform, p.author, p.rating, p.valence, p.locale, p.published_at, p.customer_id, p.hidden, p.excerpt, p.follow_up_ticket_id,
           t.total_views, t.total_reached, t.conversions, t.attributed
    FROM totals t LEFT JOIN picked p ON true`;
}

/**
 * The report from loop_facts (exact for any period and lookback; exported for the benchmark's
 * EXPLAIN): it reads every view of the period and joins them to the conversions by person.
 */
export function attributionSql(ws: string, from: Date, to: Date, lookbackDays: number, at: Date, model: AttributionModel, limit: number) {
  const lookback = `${lookbackDays} days`;
  return sql<Row>`
    WITH views AS MATERIALIZED (
      SELECT review_id, COALESCE(customer_id::text, 'anon:' || anonymous_id) AS person, at
      FROM loop_facts
      WHERE workspace_id = ${ws} AND kind = 'review_view'
        AND at >= ${from}::timestamptz - ${lookback}::interval AND at < ${to}
    ),
    convs AS MATERIALIZED (
      SELECT touchpoint_id AS id, COALESCE(customer_id::text, 'anon:' || anonymous_id) AS person, at, at < ${to} AS in_period
      FROM loop_facts
      WHERE workspace_id = ${ws} AND kind = 'conversion'
        AND at >= ${from} AND at <= ${to}::timestamptz + ${lookback}::interval
    ),
    cand AS MATERIALIZED (
      SELECT c.id AS conversion_id, c.in_period, v.review_id, v.person, v.at AS viewed_at
      FROM views v JOIN convs c ON c.person = v.person AND v.at <= c.at AND v.at >= c.at - ${lookback}::interval
    ),
    pairs AS MATERIALIZED (
      SELECT conversion_id, review_id, min(viewed_at) AS first_at, max(viewed_at) AS last_at
      FROM cand WHERE in_period GROUP BY conversion_id, review_id
    ),
    ranked AS (
      SELECT review_id,
             count(*) OVER (PARTITION BY conversion_id) AS n,
             row_number() OVER (PARTITION BY conversion_id ORDER BY first_at, review_id) AS first_rank,
             row_number() OVER (PARTITION BY conversion_id ORDER BY last_at DESC, review_id DESC) AS last_rank
      FROM pairs
    ),
    credit AS (
      SELECT review_id, count(*) AS influenced,
             count(*) FILTER (WHERE first_rank = 1) AS first_touch,
             count(*) FILTER (WHERE last_rank = 1) AS last_touch,
             sum(1.0 / n) AS linear
      FROM ranked GROUP BY review_id
    ),
    viewers AS MATERIALIZED (
      SELECT review_id, person, count(*) AS views, max(at) AS last_at
      FROM views WHERE at >= ${from} GROUP BY review_id, person
    ),
    won AS (SELECT review_id, person FROM cand WHERE viewed_at >= ${from} GROUP BY review_id, person),
    reach AS (
      SELECT v.review_id, sum(v.views) AS views, count(*) AS reached,
             count(*) FILTER (WHERE w.person IS NULL AND v.last_at + ${lookback}::interval <= ${at}) AS lost
      FROM viewers v LEFT JOIN won w ON w.review_id = v.review_id AND w.person = v.person
      GROUP BY v.review_id
    ),
    totals AS (
      SELECT (SELECT count(*) FROM views WHERE at >= ${from}) AS total_views,
             (SELECT count(*) FROM (SELECT person FROM views WHERE at >= ${from} GROUP BY person) p) AS total_reached,
             (SELECT count(*) FROM convs WHERE in_period) AS conversions,
             (SELECT count(*) FROM (SELECT conversion_id FROM pairs GROUP BY conversion_id) a) AS attributed
    ),
    ${linesSql(ws, model, limit)}`;
}

const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The same report from the monthly sums kept at write time (migration 068), for a period of
 * whole UTC months and a lookback in ROLLUP_LOOKBACKS (see usesRollups). With F and T month
 * starts, "before F" and "at or after T" are questions about months, so the sums answer them
 * exactly. Only "has the viewer's window closed by the time of the report" cuts through a month: the month in
 * which at − lookback falls is read view by view (attribution_views), the months before it
 * from the sums, the months after it not at all.
 */
export function attributionRollupSql(ws: string, from: Date, to: Date, lookbackDays: number, at: Date, model: AttributionModel, limit: number) {
  if (!usesRollups(from, to, lookbackDays)) throw new Error('attributionRollupSql: a period of whole months and a lookback of 7, 30 or 90 days');
  const F = day(from);
  const T = day(to);
  const closedBy = new Date(at.getTime() - lookbackDays * DAY_MS);
  const edge = monthStart(closedBy);
  const edgeEnd = new Date(Date.UTC(edge.getUTCFullYear(), edge.getUTCMonth() + 1, 1));
  const won = sql.raw(`won_${lookbackDays}`);
  return sql<Row>`
    WITH views AS (
      SELECT review_id, sum(views) AS views, sum(views) FILTER (WHERE prev_month < ${F}::date) AS reached
      FROM attribution_reach_months
      WHERE workspace_id = ${ws} AND month >= ${F}::date AND month < ${T}::date
      GROUP BY review_id HAVING sum(views) > 0
    ),
    lost AS (
      SELECT review_id, sum(n) AS lost FROM (
        SELECT review_id, sum(views) AS n
        FROM attribution_lost_months
        WHERE workspace_id = ${ws} AND lookback = ${lookbackDays} AND month >= ${F}::date AND month < ${T}::date
          AND month < ${day(edge)}::date AND next_month >= ${T}::date AND won_month < ${F}::date
        GROUP BY review_id
        UNION ALL
        SELECT review_id, count(*)
        FROM attribution_views
        WHERE workspace_id = ${ws} AND at >= ${edge} AND at < ${edgeEnd} AND at >= ${from} AND at < ${to} AND at <= ${closedBy}
          AND (next_at IS NULL OR next_at >= ${to}) AND (${won} IS NULL OR ${won} < ${from})
        GROUP BY review_id
      ) x GROUP BY review_id
    ),
    reach AS (
      SELECT v.review_id, v.views, v.reached, COALESCE(l.lost, 0) AS lost FROM views v LEFT JOIN lost l ON l.review_id = v.review_id
    ),
    credit AS (
      SELECT review_id, sum(influenced) AS influenced, sum(first_touch) AS first_touch, sum(last_touch) AS last_touch, sum(linear) AS linear
      FROM attribution_credit_months
      WHERE workspace_id = ${ws} AND lookback = ${lookbackDays} AND month >= ${F}::date AND month < ${T}::date
      GROUP BY review_id HAVING sum(influenced) > 0
    ),
    totals AS (
      SELECT (SELECT COALESCE(sum(views), 0) FROM attribution_people_months
              WHERE workspace_id = ${ws} AND month >= ${F}::date AND month < ${T}::date) AS total_views,
             (SELECT COALESCE(sum(views), 0) FROM attribution_people_months
              WHERE workspace_id = ${ws} AND month >= ${F}::date AND month < ${T}::date AND prev_month < ${F}::date) AS total_reached,
             (SELECT count(*) FROM loop_facts WHERE workspace_id = ${ws} AND kind = 'conversion' AND at >= ${from} AND at < ${to}) AS conversions,
             (SELECT COALESCE(sum(first_touch), 0) FROM attribution_credit_months
              WHERE workspace_id = ${ws} AND lookback = ${lookbackDays} AND month >= ${F}::date AND month < ${T}::date) AS attributed
    ),
    ${linesSql(ws, model, limit)}`;
}

/**
 * The report from the per-view links and per-conversion credits kept at write time (migration
 * 068), for any period and a lookback in ROLLUP_LOOKBACKS: each of the domain's per-person
 * questions is a condition on one row (see the migration), so the period's rows are counted
 * without grouping them by person.
 */
export function attributionRowsSql(ws: string, from: Date, to: Date, lookbackDays: number, at: Date, model: AttributionModel, limit: number) {
  if (!ROLLUP_LOOKBACKS.includes(lookbackDays)) throw new Error('attributionRowsSql: a lookback of 7, 30 or 90 days');
  const closedBy = new Date(at.getTime() - lookbackDays * DAY_MS);
  const won = sql.raw(`won_${lookbackDays}`);
  // The whole months inside [from, to) (empty when from and to are in one month or the next).
  const firstWhole = isMonthStart(from) ? from : new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
  const inner = { from: firstWhole, to: new Date(Math.max(firstWhole.getTime(), monthStart(to).getTime())) };
  return sql<Row>`
    WITH seen AS MATERIALIZED (
      SELECT review_id, count(*) AS views,
             count(*) FILTER (WHERE prev_at IS NULL OR prev_at < ${from}) AS reached,
             -- A person's first view of any review in the period: summed over reviews, the people.
             count(*) FILTER (WHERE prev_any_at IS NULL OR prev_any_at < ${from}) AS people,
             count(*) FILTER (WHERE (next_at IS NULL OR next_at >= ${to}) AND (${won} IS NULL OR ${won} < ${from}) AND at <= ${closedBy}) AS lost
      FROM attribution_views
      WHERE workspace_id = ${ws} AND at >= ${from} AND at < ${to}
      GROUP BY review_id
    ),
    reach AS (SELECT review_id, views, reached, lost FROM seen),
    -- A credit depends only on its conversion's time: the whole months inside the period
    -- from the monthly sums, the part-months at its ends row by row.
    credited AS MATERIALIZED (
      SELECT review_id, sum(influenced) AS influenced, sum(first_touch) AS first_touch, sum(last_touch) AS last_touch, sum(linear) AS linear
      FROM (
        SELECT review_id, influenced, first_touch, last_touch, linear
        FROM attribution_credit_months
        WHERE workspace_id = ${ws} AND lookback = ${lookbackDays} AND month >= ${day(inner.from)}::date AND month < ${day(inner.to)}::date
        UNION ALL
        SELECT review_id, 1, first_touch::int, last_touch::int, 1.0 / reviews
        FROM attribution_credits
        WHERE workspace_id = ${ws} AND lookback = ${lookbackDays} AND converted_at >= ${from} AND converted_at < ${to}
          AND NOT (converted_at >= ${inner.from} AND converted_at < ${inner.to})
      ) x
      GROUP BY review_id HAVING sum(influenced) > 0
    ),
    credit AS (SELECT * FROM credited),
    totals AS (
      SELECT (SELECT COALESCE(sum(views), 0) FROM seen) AS total_views,
             (SELECT COALESCE(sum(people), 0) FROM seen) AS total_reached,
             (SELECT count(*) FROM loop_facts WHERE workspace_id = ${ws} AND kind = 'conversion' AND at >= ${from} AND at < ${to}) AS conversions,
             (SELECT COALESCE(sum(first_touch), 0) FROM credited) AS attributed
    ),
    ${linesSql(ws, model, limit)}`;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Conversions in [from, to) are credited to the reviews their person viewed within
 * `lookbackDays` before them; reach counts views in [from, to); a viewer in the period is a
 * lost prospect of a review once `lookbackDays` have passed since their last view of it (by
 * `at`) without a conversion within `lookbackDays` after any of their views of it. `source`
 * forces where it is computed from (the tests and the benchmark compare them); by default the
 * cheapest (attributionSource).
 */
export async function attributionReport(
  ctx: WorkspaceContext,
  options: { from: Date; to: Date; model: AttributionModel; lookbackDays: number; limit: number; at?: Date; source?: AttributionSource },
): Promise<AttributionReport> {
  const { from, to, model, lookbackDays } = options;
  const at = options.at ?? new Date();
  const ws = ctx.workspaceId;
  // The people whose facts arrived since the last refresh (migration 077), recomputed first.
  await foldAttribution(ctx.db, ws);
  // One statement; sorts and hashes of a large period fit in memory, and JIT compiling does
  // not pay for itself at this size (settings local to this transaction).
  const result = await withLocalSettings(ctx.db, { work_mem: '64MB', jit: 'off' }, async (tx) => {
    const source = options.source ?? attributionSource(from, to, lookbackDays);
    const statement = source === 'sums' ? attributionRollupSql : source === 'rows' ? attributionRowsSql : attributionSql;
    return statement(ws, from, to, lookbackDays, at, model, options.limit).execute(tx);
  });
  const first = result.rows[0];
  const totals = {
    views: Number(first?.total_views ?? 0),
    prospectsReached: Number(first?.total_reached ?? 0),
    conversions: Number(first?.conversions ?? 0),
    attributedConversions: Number(first?.attributed ?? 0),
  };
  const toLine = (r: Row): ReviewLine => {
    const attributed = { first_touch: Number(r.first_touch), last_touch: Number(r.last_touch), linear: round(Number(r.linear)) };
    return {
      review: {
        id: r.review_id,
        source: r.source as ReviewLine['review']['source'],
        platform: r.platform,
        author: publicAuthor(r.source, r.author),
        rating: r.rating === null ? null : Number(r.rating),
        valence: r.valence as ReviewLine['review']['valence'],
        lang: (r.locale as ReviewLine['review']['lang'] | null) ?? detectLanguage(r.excerpt),
        publishedAt: new Date(r.published_at).toISOString(),
        customerId: r.customer_id,
        hidden: r.hidden,
        excerpt: r.excerpt,
      },
      views: Number(r.views),
      prospectsReached: Number(r.reached),
      conversionsInfluenced: Number(r.influenced),
      attributed,
      credit: attributed[model],
      lostProspects: Number(r.lost),
      followUp: r.valence === 'negative' ? 'recovery' : 'thank_you',
      followUpTicketId: r.follow_up_ticket_id,
    };
  };
  const lines = result.rows.filter((r) => r.review_id !== null);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    model,
    lookbackDays,
    totals,
    reviews: lines.filter((r) => r.list === 'rank').map(toLine),
    negativeBeforeLost: lines.filter((r) => r.list === 'negative').map(toLine),
  };
}


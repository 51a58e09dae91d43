// The UMOT → ZMOT attribution report: which published reviews reached prospects and influenced
// conversions, which negative ones preceded lost prospects, and the reviewers behind them.
// One set-based statement over loop_facts (no per-row loops); the rules are those of
// src/domain/attribution.ts, which the tests hold the SQL to.
import { sql } from 'kysely';
import type { AttributionModel } from '../domain/attribution.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { toReview } from '../reviews/service.ts';
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
  review_id: string;
  views: string;
  reached: string;
  influenced: string;
  first_touch: string;
  last_touch: string;
  linear: string;
  lost: string;
};

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Conversions in [from, to) are credited to the reviews their person viewed within
 * `lookbackDays` before them; reach counts views in [from, to); a viewer in the period is a
 * lost prospect of a review once `lookbackDays` have passed since their last view of it (by
 * `at`) without a conversion within `lookbackDays` after any of their views of it.
 */
export async function attributionReport(
  ctx: WorkspaceContext,
  options: { from: Date; to: Date; model: AttributionModel; lookbackDays: number; limit: number; at?: Date },
): Promise<AttributionReport> {
  const { from, to, model, lookbackDays } = options;
  const at = options.at ?? new Date();
  const lookback = `${lookbackDays} days`;
  const ws = ctx.workspaceId;
  const result = await sql<Row & { total_views: string; total_reached: string; conversions: string; attributed: string }>`
    WITH views AS (
      SELECT review_id, COALESCE(customer_id::text, 'anon:' || anonymous_id) AS person, at
      FROM loop_facts
      WHERE workspace_id = ${ws} AND kind = 'review_view'
        AND at >= ${from}::timestamptz - ${lookback}::interval AND at < ${to}
    ),
    convs AS (
      SELECT touchpoint_id AS id, COALESCE(customer_id::text, 'anon:' || anonymous_id) AS person, at, at < ${to} AS in_period
      FROM loop_facts
      WHERE workspace_id = ${ws} AND kind = 'conversion'
        AND at >= ${from} AND at <= ${to}::timestamptz + ${lookback}::interval
    ),
    cand AS (
      SELECT c.id AS conversion_id, c.in_period, v.review_id, v.person, v.at AS viewed_at
      FROM views v JOIN convs c ON c.person = v.person AND v.at <= c.at AND v.at >= c.at - ${lookback}::interval
    ),
    pairs AS (
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
    viewers AS (
      SELECT review_id, person, count(*) AS views, max(at) AS last_at
      FROM views WHERE at >= ${from} GROUP BY review_id, person
    ),
    won AS (SELECT DISTINCT review_id, person FROM cand WHERE viewed_at >= ${from}),
    reach AS (
      SELECT v.review_id, sum(v.views) AS views, count(*) AS reached,
             count(*) FILTER (WHERE w.person IS NULL AND v.last_at + ${lookback}::interval <= ${at}) AS lost
      FROM viewers v LEFT JOIN won w ON w.review_id = v.review_id AND w.person = v.person
      GROUP BY v.review_id
    ),
    lines AS (
      SELECT COALESCE(r.review_id, c.review_id) AS review_id,
             COALESCE(r.views, 0) AS views, COALESCE(r.reached, 0) AS reached, COALESCE(r.lost, 0) AS lost,
             COALESCE(c.influenced, 0) AS influenced, COALESCE(c.first_touch, 0) AS first_touch,
             COALESCE(c.last_touch, 0) AS last_touch, COALESCE(c.linear, 0) AS linear
      FROM reach r FULL JOIN credit c ON c.review_id = r.review_id
    )
    SELECT l.*,
           (SELECT count(*) FROM views WHERE at >= ${from}) AS total_views,
           (SELECT count(DISTINCT person) FROM views WHERE at >= ${from}) AS total_reached,
           (SELECT count(*) FROM convs WHERE in_period) AS conversions,
           (SELECT count(DISTINCT conversion_id) FROM pairs) AS attributed
    FROM lines l
    UNION ALL
    -- the totals alone when no review was seen or credited
    SELECT NULL, 0, 0, 0, 0, 0, 0, 0,
           (SELECT count(*) FROM views WHERE at >= ${from}), (SELECT count(DISTINCT person) FROM views WHERE at >= ${from}),
           (SELECT count(*) FROM convs WHERE in_period), (SELECT count(DISTINCT conversion_id) FROM pairs)
    WHERE NOT EXISTS (SELECT 1 FROM lines)`.execute(ctx.db);

  const first = result.rows[0];
  const totals = {
    views: Number(first?.total_views ?? 0),
    prospectsReached: Number(first?.total_reached ?? 0),
    conversions: Number(first?.conversions ?? 0),
    attributedConversions: Number(first?.attributed ?? 0),
  };
  const rows = result.rows.filter((r) => r.review_id !== null);
  const reviewRows = rows.length
    ? await ctx.db
        .selectFrom('published_reviews')
        .selectAll()
        .where('workspace_id', '=', ws)
        .where('id', 'in', rows.map((r) => r.review_id))
        .execute()
    : [];
  const reviews = new Map(reviewRows.map((r) => [r.id, toReview(r)]));
  const lines: ReviewLine[] = [];
  for (const r of rows) {
    const review = reviews.get(r.review_id);
    if (!review) continue; // a view of a review since deleted
    const attributed = { first_touch: Number(r.first_touch), last_touch: Number(r.last_touch), linear: round(Number(r.linear)) };
    lines.push({
      review: {
        id: review.id,
        source: review.source,
        platform: review.platform,
        author: review.author,
        rating: review.rating,
        valence: review.valence,
        lang: review.lang,
        publishedAt: review.publishedAt,
        customerId: review.customerId,
        hidden: review.hidden,
        excerpt: review.text.length > 160 ? `${review.text.slice(0, 159)}…` : review.text,
      },
      views: Number(r.views),
      prospectsReached: Number(r.reached),
      conversionsInfluenced: Number(r.influenced),
      attributed,
      credit: attributed[model],
      lostProspects: Number(r.lost),
      followUp: review.valence === 'negative' ? 'recovery' : 'thank_you',
    });
  }
  lines.sort(
    (a, b) =>
      b.credit - a.credit ||
      b.conversionsInfluenced - a.conversionsInfluenced ||
      b.prospectsReached - a.prospectsReached ||
      (a.review.id < b.review.id ? -1 : a.review.id > b.review.id ? 1 : 0),
  );
  const negativeBeforeLost = lines
    .filter((l) => l.review.valence === 'negative' && l.lostProspects > 0)
    .sort((a, b) => b.lostProspects - a.lostProspects || b.prospectsReached - a.prospectsReached || (a.review.id < b.review.id ? -1 : 1));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    model,
    lookbackDays,
    totals,
    reviews: lines.slice(0, options.limit),
    negativeBeforeLost: negativeBeforeLost.slice(0, options.limit),
  };
}


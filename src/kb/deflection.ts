// Self-service deflection: a portal article view becomes a ZMOT touchpoint of the visitor
// (through the journeys' own ingestion, so identity merging applies), customer searches are
// logged, and a report tells how many views were not followed by a ticket within N days.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { ingestBatch } from '../journeys/ingest.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';

export const ARTICLE_VIEWED = 'Article Viewed';
export const KB_CHANNEL = 'kb';

export async function recordArticleView(
  db: Kysely<DB>,
  workspaceId: string,
  view: {
    visitorId: string;
    article: { id: string; articleId: string; lang: string; slug: string; title: string };
    url: string;
    referrer?: string | undefined;
    at?: Date;
  },
): Promise<void> {
  const at = view.at ?? new Date();
  await ingestBatch(db, workspaceId, [
    {
      type: 'track',
      event: ARTICLE_VIEWED,
      anonymousId: view.visitorId,
      messageId: `kb-view-${newId(at)}`,
      timestamp: at.toISOString(),
      channel: KB_CHANNEL,
      properties: {
        // Reading the knowledge base is research before (or instead of) contacting support.
        stage: 'zmot',
        channel: KB_CHANNEL,
        translationId: view.article.id,
        articleId: view.article.articleId,
        lang: view.article.lang,
        slug: view.article.slug,
        title: view.article.title.slice(0, 300),
      },
      context: { page: { url: view.url.slice(0, 1_000), ...(view.referrer ? { referrer: view.referrer.slice(0, 1_000) } : {}) } },
    },
  ]);
}

export async function recordSearch(
  db: Kysely<DB>,
  workspaceId: string,
  s: { query: string; lang: string | null; results: number; source: 'portal' | 'public_api'; visitorId?: string | undefined },
): Promise<void> {
  await db
    .insertInto('kb_searches')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      query: s.query.slice(0, 200),
      lang: s.lang,
      results: s.results,
      source: s.source,
      anonymous_id: s.visitorId ?? null,
    })
    .execute();
}

export interface KbReport {
  from: string;
  to: string;
  windowDays: number;
  views: number;
  visitors: number;
  /** Views by a person who opened a ticket within windowDays after the view. */
  viewsFollowedByTicket: number;
  /** Views whose window has passed with no ticket from that person: self-service that worked. */
  deflectedViews: number;
  /** Views whose window has not passed yet. */
  pendingViews: number;
  /** deflected / (deflected + followed), null before any window has closed. */
  deflectionRate: number | null;
  searches: number;
  searchesWithoutResults: number;
  topQueriesWithoutResults: Array<{ query: string; count: number }>;
  topArticles: Array<{ id: string; title: string; lang: string; views: number; followedByTicket: number }>;
}

export async function kbReport(ctx: WorkspaceContext, from: Date, to: Date, windowDays: number, now = new Date()): Promise<KbReport> {
  const ws = ctx.workspaceId;
  const viewsCte = sql`
    WITH views AS (
      SELECT v.id, v.customer_id, v.anonymous_id, v.occurred_at, v.properties->>'translationId' AS translation_id,
             EXISTS (
               SELECT 1 FROM tickets t
               WHERE t.workspace_id = ${ws} AND v.customer_id IS NOT NULL AND t.customer_id = v.customer_id
                 AND t.created_at >= v.occurred_at AND t.created_at < v.occurred_at + make_interval(days => ${windowDays})
             ) AS followed,
             v.occurred_at + make_interval(days => ${windowDays}) <= ${now} AS closed
      FROM touchpoints v
      WHERE v.workspace_id = ${ws} AND v.event = ${ARTICLE_VIEWED} AND v.channel = ${KB_CHANNEL}
        AND v.occurred_at >= ${from} AND v.occurred_at < ${to}
    )`;
  const totals = await sql<{ views: string; visitors: string; followed: string; deflected: string; pending: string }>`
    ${viewsCte}
    SELECT count(*) AS views,
           count(DISTINCT coalesce(customer_id::text, anonymous_id)) AS visitors,
           count(*) FILTER (WHERE followed) AS followed,
           count(*) FILTER (WHERE NOT followed AND closed) AS deflected,
           count(*) FILTER (WHERE NOT followed AND NOT closed) AS pending
    FROM views`.execute(ctx.db);
  const top = await sql<{ id: string; title: string; lang: string; views: string; followed: string }>`
    ${viewsCte}
    SELECT t.id, t.title, t.lang, count(*) AS views, count(*) FILTER (WHERE v.followed) AS followed
    FROM views v JOIN kb_translations t ON t.workspace_id = ${ws} AND t.id::text = v.translation_id
    GROUP BY t.id, t.title, t.lang
    ORDER BY count(*) DESC, t.id
    LIMIT 10`.execute(ctx.db);
  const searches = await sql<{ searches: string; empty: string }>`
    SELECT count(*) AS searches, count(*) FILTER (WHERE results = 0) AS empty
    FROM kb_searches WHERE workspace_id = ${ws} AND occurred_at >= ${from} AND occurred_at < ${to}`.execute(ctx.db);
  const emptyQueries = await sql<{ query: string; count: string }>`
    SELECT lower(query) AS query, count(*) AS count
    FROM kb_searches WHERE workspace_id = ${ws} AND occurred_at >= ${from} AND occurred_at < ${to} AND results = 0
    GROUP BY lower(query) ORDER BY count(*) DESC, lower(query) LIMIT 10`.execute(ctx.db);
  const t = totals.rows[0];
  const followed = Number(t?.followed ?? 0);
  const deflected = Number(t?.deflected ?? 0);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    windowDays,
    views: Number(t?.views ?? 0),
    visitors: Number(t?.visitors ?? 0),
    viewsFollowedByTicket: followed,
    deflectedViews: deflected,
    pendingViews: Number(t?.pending ?? 0),
    deflectionRate: followed + deflected > 0 ? Math.round((deflected / (followed + deflected)) * 10_000) / 10_000 : null,
    searches: Number(searches.rows[0]?.searches ?? 0),
    searchesWithoutResults: Number(searches.rows[0]?.empty ?? 0),
    topQueriesWithoutResults: emptyQueries.rows.map((r) => ({ query: r.query, count: Number(r.count) })),
    topArticles: top.rows.map((r) => ({ id: r.id, title: r.title, lang: r.lang, views: Number(r.views), followedByTicket: Number(r.followed) })),
  };
}

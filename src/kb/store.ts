// SQL of the knowledge base. Every statement is scoped to one workspace.
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface SearchRow {
  id: string;
  article_id: string;
  lang: string;
  slug: string;
  title: string;
  body_text: string;
  status: string;
  rank: number;
  title_match: boolean;
}

export interface FullTextSearch {
  workspaceId: string;
  /** A tsquery in to_tsquery syntax over folded stems (see stemsTsquery). */
  tsquery: string;
  lang?: string | undefined;
  publishedOnly: boolean;
  limit: number;
  /** Articles left out of this search (already found by an earlier stage). */
  excludeIds?: readonly string[];
}

/** How many matching articles are ranked at most: title matches first, then body matches. */
export const TITLE_CANDIDATES = 200;
export const BODY_CANDIDATES = 400;

function filters(s: FullTextSearch): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`t.workspace_id = ${s.workspaceId}`];
  if (s.publishedOnly) parts.push(sql`t.status = 'published'`);
  if (s.lang) parts.push(sql`t.lang = ${s.lang}`);
  if (s.excludeIds?.length) parts.push(sql`NOT (t.id = ANY(${sql.val([...s.excludeIds])}::uuid[]))`);
  return sql.join(parts, sql` AND `);
}

/**
 * Ranked full-text search. Candidates are the articles whose title matches plus the first
 * body matches (both from GIN indexes), so a very common word cannot make the query rank
 * the whole table; ts_rank weighs title (A) over body (B) and a title match adds a boost of
 * 1.0, above what ts_rank gives (it stays below 1), so any title match outranks every body-only
 * match: when the titles alone give `limit` candidates, the body index is not scanned at all.
 * Each candidate is ranked where the index scan finds it (no second visit of the row), and only
 * the `limit` best are read in full (title and body, for highlighting).
 */
export function fullTextSearchSql(s: FullTextSearch): RawBuilder<SearchRow> {
  const where = filters(s);
  return sql<SearchRow>`
    WITH q AS MATERIALIZED (SELECT to_tsquery('simple', ${s.tsquery}) AS q),
    title AS MATERIALIZED (
      SELECT t.id, true AS title_match, ts_rank('{0.1, 0.2, 0.4, 1.0}', t.tsv, q.q) + 1.0 AS rank
      FROM kb_translations t, q WHERE ${where} AND t.title_tsv @@ q.q LIMIT ${TITLE_CANDIDATES}
    ),
    body AS (
      SELECT t.id, (t.title_tsv @@ q.q) AS title_match,
             ts_rank('{0.1, 0.2, 0.4, 1.0}', t.tsv, q.q) + CASE WHEN t.title_tsv @@ q.q THEN 1.0 ELSE 0 END AS rank
      FROM kb_translations t, q WHERE ${where} AND t.tsv @@ q.q AND (SELECT count(*) FROM title) < ${s.limit}
      LIMIT ${BODY_CANDIDATES}
    ),
    best AS (
      SELECT id, bool_or(title_match) AS title_match, max(rank) AS rank
      FROM (SELECT * FROM title UNION ALL SELECT * FROM body) cand
      GROUP BY id ORDER BY max(rank) DESC, id DESC LIMIT ${s.limit}
    )
    SELECT t.id, t.article_id, t.lang, t.slug, t.title, t.body_text, t.status, best.title_match, best.rank::float8 AS rank
    FROM best JOIN kb_translations t ON t.id = best.id
    WHERE t.workspace_id = ${s.workspaceId}
    ORDER BY best.rank DESC, t.id DESC`;
}

export async function fullTextSearch(db: Kysely<DB>, s: FullTextSearch): Promise<SearchRow[]> {
  const { rows } = await fullTextSearchSql(s).execute(db);
  return rows.map((r) => ({ ...r, rank: Number(r.rank) }));
}

/**
 * For each query word, the most similar word of the workspace's articles (pg_trgm similarity
 * above its threshold, 0.3 by default), or null. A word that exists is its own best match.
 */
export async function closestWords(db: Kysely<DB>, workspaceId: string, words: readonly string[]): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>();
  if (!words.length) return result;
  const { rows } = await sql<{ w: string; word: string | null }>`
    SELECT q.w, best.word
    FROM unnest(${sql.val([...words])}::text[]) AS q(w)
    LEFT JOIN LATERAL (
      SELECT k.word FROM kb_words k
      WHERE k.workspace_id = ${workspaceId} AND k.word % q.w
      ORDER BY similarity(k.word, q.w) DESC, k.word
      LIMIT 1
    ) best ON true`.execute(db);
  for (const row of rows) result.set(row.w, row.word);
  return result;
}

export async function addWords(db: Kysely<DB>, workspaceId: string, words: readonly string[]): Promise<void> {
  if (!words.length) return;
  await sql`
    INSERT INTO kb_words (workspace_id, word)
    SELECT ${workspaceId}, w FROM unnest(${sql.val([...words])}::text[]) AS u(w)
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function takenSlugs(db: Kysely<DB>, workspaceId: string, lang: string, base: string, exceptId?: string): Promise<Set<string>> {
  let q = db
    .selectFrom('kb_translations')
    .select('slug')
    .where('workspace_id', '=', workspaceId)
    .where('lang', '=', lang)
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base.replace(/[\\%_]/g, (c) => '\\' + c)}-%`)]));
  if (exceptId) q = q.where('id', '!=', exceptId);
  return new Set((await q.execute()).map((r) => r.slug));
}

// Pain points: what customers complain about, per moment of truth and period, from their own
// words — survey comments, their ticket messages, and reviews or mentions ingested as
// touchpoints with text. Each source is read once: its phrases (src/domain/keyphrases.ts) go
// into pain_phrases when it is written (survey answers) or by an incremental catch-up that
// reads only sources not analysed yet (messages, touchpoints), so a report aggregates rows and
// never re-tokenises history.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { extractPhrases, preferredForm, topPhrases, type PhraseLang } from '../domain/keyphrases.ts';
import { isStage, isValence, type Stage, type Valence } from '../domain/moments.ts';
import type { PainPointExample, PainPointReport, PainPointStage, PainSourceType } from '../contracts/reports.ts';
import type { WorkspaceContext } from '../shared/context.ts';

export type { PainSourceType } from '../contracts/reports.ts';

export interface PainSource {
  type: PainSourceType;
  id: string;
  ticketId: string | null;
  stage: Stage;
  text: string;
  at: Date;
  /** The source's own valence (a rating, a survey score), when it has one. */
  valence?: Valence | undefined;
}

/** Analyses one source and stores its phrases (in the caller's transaction); a repeat does nothing. */
export async function recordPainSource(tx: Kysely<DB>, workspaceId: string, source: PainSource): Promise<void> {
  const text = source.text.trim();
  if (!text) return;
  const ex = extractPhrases(text, source.valence ? { valence: source.valence } : {});
  const inserted = await tx
    .insertInto('pain_sources')
    .values({
      workspace_id: workspaceId,
      source_type: source.type,
      source_id: source.id,
      ticket_id: source.ticketId,
      stage: source.stage,
      lang: ex.lang,
      valence: ex.valence,
      occurred_at: source.at,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'source_type', 'source_id']).doNothing())
    .returning('source_id')
    .executeTakeFirst();
  if (!inserted || ex.phrases.length === 0) return;
  // Long texts give many phrases; a few hundred per source is plenty for ranking.
  const rows = ex.phrases.slice(0, 300).map((p) => ({
    workspace_id: workspaceId,
    source_type: source.type,
    source_id: source.id,
    phrase_key: p.key.slice(0, 200),
    phrase_text: p.text.slice(0, 200),
    words: p.words,
    stage: source.stage,
    lang: ex.lang,
    valence: p.valence,
    quote: p.quote,
    ticket_id: source.ticketId,
    occurred_at: source.at,
  }));
  for (let i = 0; i < rows.length; i += 100) {
    await tx.insertInto('pain_phrases').values(rows.slice(i, i + 100)).onConflict((oc) => oc.doNothing()).execute();
  }
}

/** A survey comment, analysed in the transaction that stores the answer. */
export async function recordSurveyPhrases(
  tx: Kysely<DB>,
  workspaceId: string,
  s: { responseId: string; ticketId: string | null; stage: Stage; text: string; at: Date; valence?: Valence },
): Promise<void> {
  await recordPainSource(tx, workspaceId, { type: 'survey', id: s.responseId, ticketId: s.ticketId, stage: s.stage, text: s.text, at: s.at, valence: s.valence });
}

/** How far before its watermark a pass starts reading, for transactions that committed late. */
export const CATCH_UP_OVERLAP_MS = 5 * 60_000;

type CursorSource = 'message' | 'touchpoint';

async function watermark(db: Kysely<DB>, workspaceId: string, source: CursorSource): Promise<Date | null> {
  const row = await db
    .selectFrom('pain_cursors')
    .select('scanned_until')
    .where('workspace_id', '=', workspaceId)
    .where('source_type', '=', source)
    .executeTakeFirst();
  return row ? new Date(row.scanned_until) : null;
}

async function advance(tx: Kysely<DB>, workspaceId: string, source: CursorSource, until: Date): Promise<void> {
  await tx
    .insertInto('pain_cursors')
    .values({ workspace_id: workspaceId, source_type: source, scanned_until: until })
    .onConflict((oc) => oc.columns(['workspace_id', 'source_type']).doUpdateSet({
      // Never backwards.
      scanned_until: sql`greatest(pain_cursors.scanned_until, excluded.scanned_until)`,
    }))
    .execute();
}

/**
 * Analyses the customer messages and touchpoints with text written since the last pass, at most
 * `limit` of each per call, and moves each source's watermark on. A pass reads from its
 * watermark (less CATCH_UP_OVERLAP_MS, skipping what is already analysed) through an index on
 * the time rows were written, so its cost follows what is new, not the size of the tables.
 * Help-desk touchpoints repeat their messages and survey touchpoints their answers, so those are
 * read from their own tables instead.
 */
export async function catchUpPainPoints(db: Kysely<DB>, workspaceId: string, limit = 2_000, at = new Date()): Promise<number> {
  const [messageMark, touchpointMark] = await Promise.all([watermark(db, workspaceId, 'message'), watermark(db, workspaceId, 'touchpoint')]);
  const since = (mark: Date | null) => (mark ? new Date(mark.getTime() - CATCH_UP_OVERLAP_MS) : null);
  let mq = db
    .selectFrom('messages as m')
    .select(['m.id', 'm.ticket_id', 'm.body_text', 'm.created_at', 'm.received_at'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.kind', '=', 'customer')
    .where('m.received_at', '<=', at);
  const mSince = since(messageMark);
  if (mSince) mq = mq.where('m.received_at', '>=', mSince);
  const messages = await mq
    .where(({ not, exists, selectFrom }) =>
      not(exists(
        selectFrom('pain_sources as s')
          .select(sql`1`.as('one'))
          .where('s.workspace_id', '=', workspaceId)
          .where('s.source_type', '=', 'message')
          .whereRef('s.source_id', '=', 'm.id'),
      )),
    )
    .orderBy('m.received_at')
    .orderBy('m.id')
    .limit(limit)
    .execute();
  let tq = db
    .selectFrom('touchpoints as t')
    .select(['t.id', 't.ticket_id', 't.stage', 't.valence', 't.occurred_at', 't.received_at', sql<string>`t.properties->>'text'`.as('text')])
    .where('t.workspace_id', '=', workspaceId)
    .where('t.kind', '<>', 'internal')
    .where(sql<boolean>`coalesce(t.properties->>'text', '') <> ''`)
    .where('t.received_at', '<=', at);
  const tSince = since(touchpointMark);
  if (tSince) tq = tq.where('t.received_at', '>=', tSince);
  const touchpoints = await tq
    .where(({ not, exists, selectFrom }) =>
      not(exists(
        selectFrom('pain_sources as s')
          .select(sql`1`.as('one'))
          .where('s.workspace_id', '=', workspaceId)
          .where('s.source_type', '=', 'touchpoint')
          .whereRef('s.source_id', '=', 't.id'),
      )),
    )
    .orderBy('t.received_at')
    .orderBy('t.id')
    .limit(limit)
    .execute();
  // A full batch stops at its last row (the next pass goes on from there); a short one read
  // everything up to `at`.
  const markAfter = (rows: Array<{ received_at: Date }>) =>
    rows.length >= limit ? new Date((rows.at(-1) as { received_at: Date }).received_at) : at;
  await db.transaction().execute(async (tx) => {
    for (const m of messages) {
      await recordPainSource(tx, workspaceId, { type: 'message', id: m.id, ticketId: m.ticket_id, stage: 'smot', text: m.body_text, at: new Date(m.created_at) });
    }
    for (const t of touchpoints) {
      await recordPainSource(tx, workspaceId, {
        type: 'touchpoint', id: t.id, ticketId: t.ticket_id, stage: isStage(t.stage) ? t.stage : 'smot', text: t.text, at: new Date(t.occurred_at),
        valence: isValence(t.valence) && t.valence !== 'neutral' ? t.valence : undefined,
      });
    }
    await advance(tx, workspaceId, 'message', markAfter(messages));
    await advance(tx, workspaceId, 'touchpoint', markAfter(touchpoints));
  });
  return messages.length + touchpoints.length;
}

export type { PainPoint, PainPointExample, PainPointReport, PainPointStage } from '../contracts/reports.ts';

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const MAX_CANDIDATES = 5_000;

export async function painPointReport(
  ctx: WorkspaceContext,
  options: { from: Date; to: Date; stage?: Stage | undefined; lang?: PhraseLang | undefined; limit: number; examples: number },
): Promise<PainPointReport> {
  // New messages and touchpoints since the last report are analysed first (incrementally).
  await catchUpPainPoints(ctx.db, ctx.workspaceId);
  const { from, to, limit } = options;
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const filters = sql.join(
    [
      sql`workspace_id = ${ctx.workspaceId}`,
      sql`occurred_at >= ${previousFrom}`,
      sql`occurred_at < ${to}`,
      ...(options.stage ? [sql`stage = ${options.stage}`] : []),
      ...(options.lang ? [sql`lang = ${options.lang}`] : []),
    ],
    sql` AND `,
  );
  const sourceRows = await sql<{ stage: string; sources: string | number; negative: string | number }>`
    SELECT stage, count(*) FILTER (WHERE occurred_at >= ${from}) AS sources,
           count(*) FILTER (WHERE occurred_at >= ${from} AND valence = 'negative') AS negative
    FROM pain_sources WHERE ${filters} GROUP BY stage`.execute(ctx.db);
  const candidates = await sql<{ stage: string; phrase_key: string; words: number; count: string | number; previous: string | number; negative: string | number }>`
    SELECT stage, phrase_key, max(words) AS words,
           count(*) FILTER (WHERE occurred_at >= ${from}) AS count,
           count(*) FILTER (WHERE occurred_at < ${from}) AS previous,
           count(*) FILTER (WHERE occurred_at >= ${from} AND valence = 'negative') AS negative
    FROM pain_phrases WHERE ${filters}
    GROUP BY stage, phrase_key
    HAVING count(*) FILTER (WHERE occurred_at >= ${from}) >= 2
    ORDER BY 4 DESC, 2
    LIMIT ${MAX_CANDIDATES}`.execute(ctx.db);

  const byStage = new Map<string, { key: string; text: string; words: number; count: number; previous: number; negative: number }[]>();
  for (const r of candidates.rows) {
    const list = byStage.get(r.stage) ?? [];
    list.push({ key: r.phrase_key, text: r.phrase_key, words: Number(r.words), count: Number(r.count), previous: Number(r.previous), negative: Number(r.negative) });
    byStage.set(r.stage, list);
  }
  const chosen = new Map<string, ReturnType<typeof topPhrases<{ key: string; text: string; words: number; count: number; previous: number; negative: number }>>>();
  for (const [stage, list] of byStage) chosen.set(stage, topPhrases(list, limit));
  const keys = [...new Set([...chosen.values()].flat().map((p) => p.key))];

  // The forms people wrote and a few quotes for the phrases shown.
  const forms = new Map<string, Map<string, number>>();
  const examples = new Map<string, PainPointExample[]>();
  if (keys.length) {
    const formRows = await sql<{ stage: string; phrase_key: string; phrase_text: string; n: string | number }>`
      SELECT stage, phrase_key, phrase_text, count(*) AS n FROM pain_phrases
      WHERE ${filters} AND occurred_at >= ${from} AND phrase_key IN (${sql.join(keys)})
      GROUP BY stage, phrase_key, phrase_text`.execute(ctx.db);
    for (const r of formRows.rows) {
      const k = `${r.stage} ${r.phrase_key}`;
      const m = forms.get(k) ?? new Map<string, number>();
      m.set(r.phrase_text, Number(r.n));
      forms.set(k, m);
    }
    const exampleRows = await sql<{ stage: string; phrase_key: string; source_type: string; source_id: string; ticket_id: string | null; quote: string; valence: string; occurred_at: Date }>`
      SELECT stage, phrase_key, source_type, source_id, ticket_id, quote, valence, occurred_at FROM (
        SELECT p.*, row_number() OVER (PARTITION BY stage, phrase_key ORDER BY (valence = 'negative') DESC, occurred_at DESC, source_id) AS rn
        FROM pain_phrases p
        WHERE ${filters} AND occurred_at >= ${from} AND phrase_key IN (${sql.join(keys)})
      ) x WHERE rn <= ${options.examples}
      ORDER BY stage, phrase_key, rn`.execute(ctx.db);
    for (const r of exampleRows.rows) {
      const k = `${r.stage} ${r.phrase_key}`;
      const list = examples.get(k) ?? [];
      list.push({
        sourceType: r.source_type as PainSourceType,
        sourceId: r.source_id,
        ticketId: r.ticket_id,
        quote: r.quote,
        valence: r.valence,
        occurredAt: new Date(r.occurred_at).toISOString(),
      });
      examples.set(k, list);
    }
  }

  const stages: PainPointStage[] = [];
  for (const r of sourceRows.rows) {
    if (!isStage(r.stage) || Number(r.sources) === 0) continue;
    const phrases = (chosen.get(r.stage) ?? []).map((p) => {
      const k = `${r.stage} ${p.key}`;
      const change = p.previous === 0 ? null : round((100 * (p.count - p.previous)) / p.previous, 1);
      return {
        phrase: preferredForm(forms.get(k) ?? new Map([[p.key, 1]])),
        key: p.key,
        count: p.count,
        previousCount: p.previous,
        trend: p.previous === 0 ? 'new' as const : p.count > p.previous ? 'up' as const : p.count < p.previous ? 'down' as const : 'same' as const,
        change,
        negativeShare: round(p.negative / p.count, 4),
        examples: examples.get(k) ?? [],
      };
    });
    stages.push({ stage: r.stage, sources: Number(r.sources), negativeShare: round(Number(r.negative) / Number(r.sources), 4), phrases });
  }
  const order = ['lzmot', 'zmot', 'fmot', 'smot', 'umot'];
  stages.sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage));
  return { from: from.toISOString(), to: to.toISOString(), previousFrom: previousFrom.toISOString(), lang: options.lang ?? null, stages };
}

// The SQL of touchpoints, set-based: a batch of any size is looked up, merged and inserted in
// a constant number of statements. Every path that writes touchpoints goes through here.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { loopFactOf } from '../domain/loop-facts.ts';

export interface NewTouchpoint {
  id: string;
  messageId: string;
  customerId: string | null;
  anonymousId: string | null;
  kind: 'track' | 'identify' | 'internal';
  event: string;
  stage: string;
  valence: string;
  channel: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  decidedBy: string;
  ruleId: string | null;
  occurredAt: Date;
  ticketId?: string | null;
}

export interface StoredClassification {
  stage: string;
  valence: string;
  decidedBy: string;
  ruleId: string | null;
}

/**
 * The touchpoints already stored under these messageIds, with how they were classified.
 * The keys are looked up first (an index probe each); only the few found are joined
 * to their touchpoints, one partition probe each. A plain join lets the planner hash the
 * whole workspace's touchpoints on every batch — a cost that grew with the workspace.
 */
export async function existingTouchpoints(
  db: Kysely<DB>,
  workspaceId: string,
  messageIds: readonly string[],
): Promise<Map<string, StoredClassification>> {
  if (messageIds.length === 0) return new Map();
  // One index probe per messageId (LIMIT 1 keeps the planner from turning it into a join):
  // with `message_id = ANY(…)`, and statistics not yet caught up with a growing workspace, it
  // read all the workspace's keys and compared each with every messageId of the batch.
  const keys = await sql<{ message_id: string; touchpoint_id: string; occurred_at: Date }>`
    SELECT u.message_id, k.touchpoint_id, k.occurred_at
    FROM unnest(${messageIds}::text[]) AS u(message_id)
    CROSS JOIN LATERAL (
      SELECT touchpoint_id, occurred_at FROM touchpoint_keys
      WHERE workspace_id = ${workspaceId} AND message_id = u.message_id LIMIT 1
    ) k`.execute(db);
  if (keys.rows.length === 0) return new Map();
  const found = JSON.stringify(keys.rows.map((k) => ({ message_id: k.message_id, id: k.touchpoint_id, at: new Date(k.occurred_at).toISOString() })));
  const rows = await sql<{ message_id: string; stage: string; valence: string; decided_by: string; rule_id: string | null }>`
    SELECT k.message_id, t.stage, t.valence, t.decided_by, t.rule_id
    FROM jsonb_to_recordset(${found}::jsonb) AS k(message_id text, id uuid, at timestamptz)
    CROSS JOIN LATERAL (
      SELECT stage, valence, decided_by, rule_id FROM touchpoints
      WHERE workspace_id = ${workspaceId} AND occurred_at = k.at AND id = k.id LIMIT 1
    ) t`.execute(db);
  return new Map(rows.rows.map((r) => [r.message_id, { stage: r.stage, valence: r.valence, decidedBy: r.decided_by, ruleId: r.rule_id }]));
}

/**
 * Claims the messageIds of touchpoints about to be stored (their key rows, in the caller's
 * transaction): returns those claimed; the others were stored before, or by a concurrent
 * writer, which this waits for (keys in message order, so two batches cannot deadlock).
 * Claiming first spares the ingest a lookup of every messageId before it writes: the claim
 * probes the key index once, where a lookup and then the insert probed it twice.
 */
export async function claimMessageIds(
  db: Kysely<DB>,
  workspaceId: string,
  keys: readonly { messageId: string; id: string; occurredAt: Date }[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const claimed = await sql<{ message_id: string }>`
    INSERT INTO touchpoint_keys (workspace_id, message_id, touchpoint_id, occurred_at)
    SELECT ${workspaceId}::uuid, message_id, id, at
    FROM unnest(${keys.map((k) => k.messageId)}::text[], ${keys.map((k) => k.id)}::uuid[], ${keys.map((k) => k.occurredAt.toISOString())}::timestamptz[])
      AS k(message_id, id, at)
    ORDER BY message_id
    ON CONFLICT DO NOTHING
    RETURNING message_id`.execute(db);
  return new Set(claimed.rows.map((r) => r.message_id));
}

/**
 * Recomputes person-day rows, their links and the aggregate of them from the touchpoints
 * (touchpoint_people_refresh, migrations 063–065): exact whatever order touchpoints arrive in.
 * A touched stage recomputes that stage's rows and the previous stage's (their conversion
 * links); no stage (a merge, an erasure) all of the person's. Costs those rows' history.
 * Returns the person-day rows removed.
 */
export async function refreshPeople(
  db: Kysely<DB>,
  workspaceId: string,
  touched: readonly { who: string | null; stage: string | null }[],
): Promise<number> {
  const pairs = new Map<string, { who: string; stage: string | null }>();
  for (const t of touched) if (t.who !== null) pairs.set(`${t.who}|${t.stage ?? ''}`, { who: t.who, stage: t.stage });
  if (pairs.size === 0) return 0;
  const list = [...pairs.values()];
  const r = await sql<{ n: string }>`
    SELECT touchpoint_people_refresh(${workspaceId}::uuid, ${list.map((p) => p.who)}::text[], ${list.map((p) => p.stage)}::text[]) AS n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** The loop_facts columns of a touchpoint (null kind: not a fact). */
function factColumns(r: NewTouchpoint) {
  const f = loopFactOf(r);
  return {
    fact_kind: f?.kind ?? null,
    review_id: f?.reviewId ?? null,
    visit_id: f?.visitId ?? null,
    dwell_ms: f?.dwellMs ?? null,
    product: f?.product ?? null,
    page: f?.page ?? null,
    store: f?.store ?? null,
  };
}

/**
 * Inserts the rows in one multi-row statement, with the rollups, in the caller's transaction;
 * a messageId already stored (or stored by a concurrent writer meanwhile) is skipped — unless
 * `claimed`: the caller claimed every row's messageId (claimMessageIds) in this transaction.
 * Every path that writes touchpoints goes through here. Returns the messageIds actually stored.
 */
export async function insertTouchpoints(
  db: Kysely<DB>,
  workspaceId: string,
  rows: readonly NewTouchpoint[],
  options: { claimed?: boolean } = {},
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const payload = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      message_id: r.messageId,
      customer_id: r.customerId,
      anonymous_id: r.anonymousId,
      kind: r.kind,
      event: r.event,
      stage: r.stage,
      valence: r.valence,
      channel: r.channel,
      properties: r.properties,
      context: r.context,
      decided_by: r.decidedBy,
      rule_id: r.ruleId,
      occurred_at: r.occurredAt.toISOString(),
      ticket_id: r.ticketId ?? null,
      ...factColumns(r),
    })),
  );
  // The key is claimed first (unless the caller claimed it: claimMessageIds); only a claimed
  // key's touchpoint is written — one statement, which also appends the daily counters' deltas
  // and the people whose rows are to be refreshed.
  const claim = options.claimed
    ? sql``
    : sql`claimed AS (
      INSERT INTO touchpoint_keys (workspace_id, message_id, touchpoint_id, occurred_at)
      SELECT ${workspaceId}::uuid, message_id, id, occurred_at FROM input ORDER BY message_id
      ON CONFLICT DO NOTHING
      RETURNING message_id
    ),`;
  const source = options.claimed ? sql`input` : sql`input JOIN claimed USING (message_id)`;
  const inserted = await sql<{ message_id: string }>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${payload}::jsonb) AS x(
        id uuid, message_id text, customer_id uuid, anonymous_id text, kind text, event text, stage text, valence text,
        channel text, properties jsonb, context jsonb, decided_by text, rule_id text, occurred_at timestamptz, ticket_id uuid,
        fact_kind text, review_id uuid, visit_id text, dwell_ms bigint, product text, page text, store text)
    ),
    ${claim}
    stored AS (
      INSERT INTO touchpoints (id, workspace_id, message_id, customer_id, anonymous_id, kind, event, stage, valence,
                               channel, properties, context, decided_by, rule_id, occurred_at, ticket_id)
      SELECT id, ${workspaceId}::uuid, message_id, customer_id, anonymous_id, kind, event, stage, valence,
             channel, properties, context, decided_by, rule_id, occurred_at, ticket_id
      FROM ${source}
      RETURNING message_id, COALESCE(customer_id::text, 'anon:' || anonymous_id) AS who, kind, stage, valence, channel, occurred_at
    ),
    daily AS (
      -- The daily counters' deltas (migration 059): appended, so no row is shared with a
      -- concurrent batch; the fold job adds them into touchpoint_daily.
      INSERT INTO touchpoint_daily_deltas (workspace_id, day, stage, valence, channel, touchpoints)
      SELECT ${workspaceId}::uuid, (occurred_at AT TIME ZONE 'UTC')::date, stage, valence, COALESCE(channel, ''), count(*)
      FROM stored WHERE kind <> 'identify' GROUP BY 2, 3, 4, 5
    ),
    pending AS (
      -- The people whose person-day rows these touchpoints change (migration 076): the
      -- touchpoints.people.refresh job, or the next reader, recomputes them.
      INSERT INTO touchpoint_people_pending (workspace_id, whos, stages)
      SELECT ${workspaceId}::uuid, array_agg(who), array_agg(stage)
      FROM (SELECT DISTINCT who, stage FROM stored WHERE kind <> 'identify' AND who IS NOT NULL) p
      HAVING count(*) > 0
    ),
    facts AS (
      INSERT INTO loop_facts (workspace_id, kind, at, touchpoint_id, message_id, event, customer_id, anonymous_id,
                              review_id, visit_id, dwell_ms, product, page, store, channel)
      SELECT ${workspaceId}::uuid, fact_kind, occurred_at, id, message_id, event, customer_id, anonymous_id,
             review_id, visit_id, dwell_ms, product, page, store, channel
      FROM ${source}
      WHERE fact_kind IS NOT NULL
      ON CONFLICT DO NOTHING
    )
    SELECT message_id FROM stored`.execute(db);
  return new Set(inserted.rows.map((r) => r.message_id));
}

/**
 * identify(userId, anonymousId) for many visitors at once: each visitor's earlier anonymous
 * touchpoints join the customer. One statement; an anonymousId appears at most once.
 */
export async function mergeAnonymousMany(
  db: Kysely<DB>,
  workspaceId: string,
  merges: readonly { anonymousId: string; customerId: string }[],
): Promise<number> {
  if (merges.length === 0) return 0;
  const result = await sql<{ anonymous_id: string; customer_id: string; moved: number }>`
    WITH m AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(merges.map((m) => ({ anonymous_id: m.anonymousId, customer_id: m.customerId })))}::jsonb)
        AS m(anonymous_id text, customer_id uuid)
    ),
    moved AS (
      UPDATE touchpoints t SET customer_id = m.customer_id
      FROM m
      WHERE t.workspace_id = ${workspaceId} AND t.anonymous_id = m.anonymous_id AND t.customer_id IS NULL
      RETURNING t.anonymous_id, t.customer_id, t.kind, t.stage, t.occurred_at
    ),
    facts_moved AS (
      UPDATE loop_facts f SET customer_id = m.customer_id
      FROM m
      WHERE f.workspace_id = ${workspaceId} AND f.anonymous_id = m.anonymous_id AND f.customer_id IS NULL
    ),
    -- The visitor's person rows (anon:…) become the customer's: both recomputed, every stage,
    -- by the next fold of pending people (migration 076).
    pending AS (
      INSERT INTO touchpoint_people_pending (workspace_id, whos, stages)
      SELECT ${workspaceId}::uuid, array_agg(w), array_agg(NULL::text)
      FROM (SELECT DISTINCT w FROM moved CROSS JOIN LATERAL (VALUES ('anon:' || moved.anonymous_id), (moved.customer_id::text)) AS x(w)) p
      HAVING count(*) > 0
    )
    SELECT anonymous_id, customer_id::text AS customer_id, count(*)::int AS moved FROM moved GROUP BY 1, 2`.execute(db);
  return result.rows.reduce((n, m) => n + m.moved, 0);
}

/** Months this process has made sure of, per database; a month is made sure of once, then remembered. */
const ensuredMonths = new WeakMap<object, Set<number>>();
const MONTH_MS_AHEAD = 366 * 86_400_000;

/** The month's key: months since year 0, UTC (the partitions' months). */
const monthKey = (t: Date) => t.getUTCFullYear() * 12 + t.getUTCMonth();

/**
 * Makes the monthly partitions of these timestamps that are missing, all in one step
 * (touchpoints_ensure_partitions, migration 082), whatever this process remembers; returns
 * how many it made. Outside any transaction: a partition is DDL, and a batch must not hold its
 * lock. Concurrent callers (other processes included) each make a month at most once.
 */
export async function makeTouchpointPartitions(db: Kysely<DB>, times: readonly Date[]): Promise<number> {
  if (times.length === 0) return 0;
  const r = await sql<{ made: number }>`
    SELECT touchpoints_ensure_partitions(${times.map((t) => t.toISOString())}::timestamptz[]) AS made`.execute(db);
  let known = ensuredMonths.get(db);
  if (!known) ensuredMonths.set(db, (known = new Set()));
  for (const t of times) known.add(monthKey(t));
  return Number(r.rows[0]?.made ?? 0);
}

/**
 * Makes sure the monthly partitions for these timestamps exist: the months this process has not
 * made sure of yet, all in one step before the caller inserts (see makeTouchpointPartitions).
 * Months before 1970 or more than a year ahead are left to the default partition, so a stray
 * timestamp cannot create a table.
 */
export async function ensureTouchpointPartitions(db: Kysely<DB>, times: Iterable<Date>, now = new Date()): Promise<void> {
  const known = ensuredMonths.get(db);
  const months = new Map<number, Date>();
  for (const t of times) {
    const ms = t.getTime();
    if (!(ms >= 0 && ms <= now.getTime() + MONTH_MS_AHEAD)) continue;
    const key = monthKey(t);
    if (!known?.has(key)) months.set(key, t);
  }
  await makeTouchpointPartitions(db, [...months.values()]);
}

/**
 * Recomputes a workspace's rollups from its touchpoints (see touchpoint_rollups_rebuild). The
 * daily deltas not yet folded go first, in the same transaction, whatever the SQL function does:
 * the counters are recounted from the touchpoints, and the deltas would count them twice.
 */
export async function rebuildRollups(db: Kysely<DB>, workspaceId: string): Promise<number> {
  const rebuild = async (tx: Kysely<DB>) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('touchpoint_daily'), hashtext(${workspaceId}::uuid::text))`.execute(tx);
    await sql`DELETE FROM touchpoint_daily_deltas WHERE workspace_id = ${workspaceId}`.execute(tx);
    return sql<{ n: string }>`SELECT touchpoint_rollups_rebuild(${workspaceId}::uuid) AS n`.execute(tx);
  };
  const r = db.isTransaction ? await rebuild(db) : await db.transaction().execute(rebuild);
  return Number(r.rows[0]?.n ?? 0);
}

/** Folds a workspace's daily deltas into touchpoint_daily (migration 059); returns the deltas moved. */
export async function foldDailyCounts(db: Kysely<DB>, workspaceId: string): Promise<number> {
  const r = await sql<{ n: string }>`SELECT fold_touchpoint_daily(${workspaceId}::uuid) AS n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Refreshes the people whose touchpoints were written since the last fold (migration 076), so
 * the person-day rows and their aggregate are exact for every touchpoint committed before the
 * call. Returns the (who, stage) pairs refreshed. Readers of those rows call it first.
 */
export async function foldPendingPeople(db: Kysely<DB>, workspaceId: string): Promise<number> {
  const r = await sql<{ n: string }>`SELECT touchpoint_people_fold(${workspaceId}::uuid) AS n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Folds a workspace's person-gap deltas into touchpoint_person_gaps (migration 064); returns the deltas moved. */
export async function foldPersonGaps(db: Kysely<DB>, workspaceId: string): Promise<number> {
  const r = await sql<{ n: string }>`SELECT fold_touchpoint_person_gaps(${workspaceId}::uuid) AS n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

// The SQL of touchpoints, set-based: a batch of any size is looked up, merged and inserted in
// a constant number of statements. Every path that writes touchpoints goes through here.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

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

/** The touchpoints already stored under these messageIds, with how they were classified. */
export async function existingTouchpoints(
  db: Kysely<DB>,
  workspaceId: string,
  messageIds: readonly string[],
): Promise<Map<string, StoredClassification>> {
  if (messageIds.length === 0) return new Map();
  const rows = await sql<{ message_id: string; stage: string; valence: string; decided_by: string; rule_id: string | null }>`
    SELECT message_id, stage, valence, decided_by, rule_id FROM touchpoints
    WHERE workspace_id = ${workspaceId} AND message_id = ANY(${messageIds}::text[])`.execute(db);
  return new Map(rows.rows.map((r) => [r.message_id, { stage: r.stage, valence: r.valence, decidedBy: r.decided_by, ruleId: r.rule_id }]));
}

/**
 * Inserts the rows in one multi-row statement; a messageId already stored (or stored by a
 * concurrent writer meanwhile) is skipped. Returns the messageIds actually stored.
 */
export async function insertTouchpoints(db: Kysely<DB>, workspaceId: string, rows: readonly NewTouchpoint[]): Promise<Set<string>> {
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
    })),
  );
  const inserted = await sql<{ message_id: string }>`
    INSERT INTO touchpoints (id, workspace_id, message_id, customer_id, anonymous_id, kind, event, stage, valence,
                             channel, properties, context, decided_by, rule_id, occurred_at, ticket_id)
    SELECT id, ${workspaceId}::uuid, message_id, customer_id, anonymous_id, kind, event, stage, valence,
           channel, properties, context, decided_by, rule_id, occurred_at, ticket_id
    FROM jsonb_to_recordset(${payload}::jsonb) AS x(
      id uuid, message_id text, customer_id uuid, anonymous_id text, kind text, event text, stage text, valence text,
      channel text, properties jsonb, context jsonb, decided_by text, rule_id text, occurred_at timestamptz, ticket_id uuid)
    ON CONFLICT (workspace_id, message_id) DO NOTHING
    RETURNING message_id`.execute(db);
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
  const result = await sql`
    UPDATE touchpoints t SET customer_id = m.customer_id
    FROM jsonb_to_recordset(${JSON.stringify(merges.map((m) => ({ anonymous_id: m.anonymousId, customer_id: m.customerId })))}::jsonb)
      AS m(anonymous_id text, customer_id uuid)
    WHERE t.workspace_id = ${workspaceId} AND t.anonymous_id = m.anonymous_id AND t.customer_id IS NULL`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

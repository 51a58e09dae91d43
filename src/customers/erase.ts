// The right to erasure (GDPR art. 17): one customer's personal data leaves every table of the
// workspace in one transaction — their tickets and messages (with attachments and the raw
// mail), touchpoints (with the report rollups kept consistent), survey answers, calls, chats,
// mentions and the phrases quoted from them — and the audit log keeps that it happened, by
// whom and how much, but no longer what was said.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/store.ts';
import { refreshPeople } from '../journeys/store.ts';
import type { DB } from '../db/schema.ts';
import { ident, workspaceTables } from '../portability/catalog.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { foldDailyCounts } from '../journeys/store.ts';

export interface ErasureReport {
  customerId: string;
  erasedAt: string;
  /** Rows removed per table (tables with none are left out). */
  removed: Record<string, number>;
  /** Audit entries about the customer whose recorded changes were blanked. */
  auditEntriesRedacted: number;
}

/**
 * Tables holding a customer_id or ticket_id column, dependents before what they depend on (so
 * each row is counted where it is, not swept away unseen by a cascade): new capabilities are
 * covered without a list to keep.
 */
async function linkedTables(tx: Kysely<DB>): Promise<{ table: string; column: 'customer_id' | 'ticket_id' }[]> {
  const order = (await workspaceTables(tx)).map((t) => t.name).reverse();
  const r = await sql<{ table: string; column: 'customer_id' | 'ticket_id' }>`
    SELECT c.relname AS table, a.attname AS column
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND a.attname IN ('customer_id', 'ticket_id') AND NOT a.attisdropped
      AND c.relname NOT IN ('customers', 'tickets', 'touchpoints')
      AND EXISTS (SELECT 1 FROM pg_attribute w WHERE w.attrelid = c.oid AND w.attname = 'workspace_id' AND NOT w.attisdropped)`.execute(tx);
  const rank = (t: string) => (order.includes(t) ? order.indexOf(t) : order.length);
  return r.rows.sort((a, b) => rank(a.table) - rank(b.table) || a.column.localeCompare(b.column));
}

function count(removed: Record<string, number>, table: string, n: number | bigint | undefined): void {
  const k = Number(n ?? 0);
  if (k > 0) removed[table] = (removed[table] ?? 0) + k;
}

export async function eraseCustomer(ctx: WorkspaceContext, customerId: string, input: { reason?: string }, now = new Date()): Promise<ErasureReport> {
  const ws = ctx.workspaceId;
  return ctx.db.transaction().execute(async (tx) => {
    const customer = await tx
      .selectFrom('customers')
      .select(['id', 'email'])
      .where('workspace_id', '=', ws)
      .where('id', '=', customerId)
      .forUpdate()
      .executeTakeFirst();
    if (!customer) throw notFound('customer');
    const removed: Record<string, number> = {};
    const tickets = (await tx.selectFrom('tickets').select('id').where('workspace_id', '=', ws).where('customer_id', '=', customerId).execute()).map((t) => t.id);
    const messages = tickets.length
      ? (await tx.selectFrom('messages').select('id').where('workspace_id', '=', ws).where('ticket_id', 'in', tickets).execute()).map((m) => m.id)
      : [];

    // Touchpoints first, taking their share out of the daily counters and the person rollups,
    // so every report reads as if this customer had never been there.
    const people = await sql<{ who: string }>`
      SELECT DISTINCT COALESCE(customer_id::text, 'anon:' || anonymous_id) AS who FROM touchpoints
      WHERE workspace_id = ${ws} AND (customer_id = ${customerId}::uuid OR ticket_id = ANY(${tickets}::uuid[]))
        AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL)`.execute(tx);
    const gone = await sql<{ day: string; stage: string; valence: string; channel: string; n: string }>`
      WITH gone AS (
        DELETE FROM touchpoints WHERE workspace_id = ${ws}
          AND (customer_id = ${customerId}::uuid OR ticket_id = ANY(${tickets}::uuid[]))
        RETURNING message_id, kind, stage, valence, channel, occurred_at
      ), keys AS (
        DELETE FROM touchpoint_keys k USING gone WHERE k.workspace_id = ${ws} AND k.message_id = gone.message_id RETURNING 1
      )
      SELECT (occurred_at AT TIME ZONE 'UTC')::date::text AS day, stage, valence, COALESCE(channel, '') AS channel, count(*) AS n
      FROM gone WHERE kind <> 'identify' GROUP BY 1, 2, 3, 4
      UNION ALL SELECT 'keys', '', '', '', count(*) FROM keys
      UNION ALL SELECT 'all', '', '', '', count(*) FROM gone`.execute(tx);
    const daily = gone.rows.filter((r) => r.day !== 'keys' && r.day !== 'all');
    count(removed, 'touchpoints', Number(gone.rows.find((r) => r.day === 'all')?.n));
    count(removed, 'touchpoint_keys', Number(gone.rows.find((r) => r.day === 'keys')?.n));
    if (daily.length > 0) {
      // Taken out as negative deltas (migration 059), folded at once so no counter is left at zero.
      await sql`
        INSERT INTO touchpoint_daily_deltas (workspace_id, day, stage, valence, channel, touchpoints)
        SELECT ${ws}::uuid, day, stage, valence, channel, -n
        FROM jsonb_to_recordset(${JSON.stringify(daily)}::jsonb) AS x(day date, stage text, valence text, channel text, n bigint)`.execute(tx);
      await foldDailyCounts(tx, ws);
    }
    // Everyone whose touchpoints went (the customer, and whoever else touched their tickets)
    // has their person rows recomputed from what is left.
    count(removed, 'touchpoint_person_days', await refreshPeople(tx, ws, [customerId, ...people.rows.map((r) => r.who)].map((who) => ({ who, stage: null }))));

    // Phrases quoted from the customer's words (messages, answers, mentions) go with them.
    const answers = (await tx.selectFrom('survey_responses').select('id').where('workspace_id', '=', ws).where('customer_id', '=', customerId).execute()).map((r) => r.id);
    const mentions = (await tx.selectFrom('mentions').select('id').where('workspace_id', '=', ws).where('customer_id', '=', customerId).execute()).map((r) => r.id);
    const sources = [...messages, ...answers, ...mentions];
    const pain = await sql`
      DELETE FROM pain_sources WHERE workspace_id = ${ws} AND (source_id = ANY(${sources}::uuid[]) OR ticket_id = ANY(${tickets}::uuid[]))`.execute(tx);
    count(removed, 'pain_sources', pain.numAffectedRows);

    // Raw mail: threaded into their tickets, or simply sent from their address.
    const mail = await sql`
      DELETE FROM inbound_emails WHERE workspace_id = ${ws}
        AND (ticket_id = ANY(${tickets}::uuid[]) OR message_row_id = ANY(${messages}::uuid[])
             OR (${customer.email}::text IS NOT NULL
                 AND (lower(from_address) = lower(${customer.email}) OR lower(envelope_from) = lower(${customer.email}))))`.execute(tx);
    count(removed, 'inbound_emails', mail.numAffectedRows);
    if (customer.email) {
      const visitors = await sql`DELETE FROM chat_visitors WHERE workspace_id = ${ws} AND lower(email) = lower(${customer.email})`.execute(tx);
      count(removed, 'chat_visitors', visitors.numAffectedRows);
    }

    // Every other row that names the customer or one of their tickets.
    for (const { table, column } of await linkedTables(tx)) {
      const ids = column === 'customer_id' ? [customerId] : tickets;
      if (ids.length === 0) continue;
      const r = await sql`DELETE FROM ${sql.raw(ident(table))} WHERE workspace_id = ${ws} AND ${sql.raw(ident(column))} = ANY(${ids}::uuid[])`.execute(tx);
      count(removed, table, r.numAffectedRows);
    }
    if (tickets.length > 0) {
      const t = await tx.deleteFrom('tickets').where('workspace_id', '=', ws).where('id', 'in', tickets).executeTakeFirst();
      count(removed, 'tickets', t.numDeletedRows);
      // Attachment contents are stored once per workspace by hash; drop the ones no one uses now.
      const blobs = await sql`
        DELETE FROM blobs b WHERE b.workspace_id = ${ws}
          AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.workspace_id = b.workspace_id AND a.sha256 = b.sha256)`.execute(tx);
      count(removed, 'blobs', blobs.numAffectedRows);
    }
    await tx.deleteFrom('customers').where('workspace_id', '=', ws).where('id', '=', customerId).execute();
    count(removed, 'customers', 1);

    // The audit trail keeps who changed what and when, but not the erased values.
    const entities = [customerId, ...tickets, ...messages];
    const redacted = await sql`
      UPDATE audit_log SET changes = '{"redacted": "customer erased"}'::jsonb
      WHERE workspace_id = ${ws} AND entity_id = ANY(${entities}::text[])`.execute(tx);
    await recordAudit(tx, ws, ctx.actor, {
      action: 'customer.erased',
      entityType: 'customer',
      entityId: customerId,
      changes: { removed, ...(input.reason ? { reason: input.reason } : {}) },
    });
    return { customerId, erasedAt: now.toISOString(), removed, auditEntriesRedacted: Number(redacted.numAffectedRows ?? 0) };
  });
}

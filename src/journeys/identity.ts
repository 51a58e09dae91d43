// Who a touchpoint belongs to: Segment's userId is a customer's external id; an anonymousId
// stays on the touchpoint until `identify` ties it to a customer.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { normalizeForSearch } from '../domain/text.ts';
import { newId } from '../shared/ids.ts';

export interface Traits {
  email?: string;
  name?: string;
  phone?: string;
  locale?: 'en' | 'el' | 'ar';
}

/**
 * The customer for a userId, created on first sight. When traits carry an e-mail that a
 * help-desk customer already has (and that customer has no external id yet), the userId
 * joins that customer, so product events and tickets share one journey.
 */
export async function customerForUserId(db: Kysely<DB>, workspaceId: string, userId: string, traits: Traits = {}, at = new Date()): Promise<string> {
  const known = await db
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('external_id', '=', userId)
    .executeTakeFirst();
  if (known) return known.id;
  if (traits.email) {
    const byEmail = await db
      .updateTable('customers')
      .set({ external_id: userId, updated_at: at })
      .where('workspace_id', '=', workspaceId)
      .where(sql<string>`lower(email)`, '=', traits.email.toLowerCase())
      .where('external_id', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (byEmail) return byEmail.id;
  }
  const id = newId(at);
  // A concurrent first sight of the same userId inserts nothing here and reads the winner's row.
  const inserted = await sql<{ id: string }>`
    INSERT INTO customers (id, workspace_id, external_id, email, name, phone, locale, search_text, created_at, updated_at)
    VALUES (${id}, ${workspaceId}, ${userId}, ${traits.email?.toLowerCase() ?? null}, ${traits.name ?? null},
            ${traits.phone ?? null}, ${traits.locale ?? null},
            ${normalizeForSearch([traits.name, traits.email, traits.phone].filter(Boolean).join(' '))}, ${at}, ${at})
    ON CONFLICT DO NOTHING
    RETURNING id`.execute(db);
  if (inserted.rows[0]) return inserted.rows[0].id;
  const winner = await db
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('external_id', '=', userId)
    .executeTakeFirst();
  if (winner) return winner.id;
  // The e-mail belongs to a customer with another external id: keep this user apart, without the e-mail.
  return customerForUserId(db, workspaceId, userId, { ...traits, email: undefined }, at);
}

/** Fills in traits the customer does not have yet; never overwrites what an agent entered. */
export async function applyTraits(db: Kysely<DB>, workspaceId: string, customerId: string, traits: Traits): Promise<void> {
  if (!traits.name && !traits.phone && !traits.locale) return;
  await sql`
    UPDATE customers SET
      name = COALESCE(name, ${traits.name ?? null}),
      phone = COALESCE(phone, ${traits.phone ?? null}),
      locale = COALESCE(locale, ${traits.locale ?? null}),
      updated_at = now()
    WHERE workspace_id = ${workspaceId} AND id = ${customerId}`.execute(db);
}

/**
 * customerForUserId for a whole batch: known userIds in one query, new ones without an e-mail
 * created in one multi-row insert. A userId whose traits carry an e-mail (it may join a
 * help-desk customer) or that a concurrent writer created meanwhile goes the one-by-one way.
 * `wanted` is in message order; the first message of a userId decides the new customer's traits.
 */
export async function customersForUserIds(
  db: Kysely<DB>,
  workspaceId: string,
  wanted: readonly { userId: string; traits: Traits; at: Date }[],
): Promise<Map<string, string>> {
  const firstOf = new Map<string, { userId: string; traits: Traits; at: Date }>();
  for (const w of wanted) if (!firstOf.has(w.userId)) firstOf.set(w.userId, w);
  const found = new Map<string, string>();
  if (firstOf.size === 0) return found;
  // An index probe per userId (LIMIT 1 keeps it from being planned as a join): with
  // `external_id = ANY(…)` and statistics behind a growing workspace, PostgreSQL read every
  // customer of the workspace and compared each with every userId of the batch.
  const known = await sql<{ id: string; external_id: string }>`
    SELECT c.id, u.external_id
    FROM unnest(${[...firstOf.keys()]}::text[]) AS u(external_id)
    CROSS JOIN LATERAL (
      SELECT id FROM customers WHERE workspace_id = ${workspaceId} AND external_id = u.external_id LIMIT 1
    ) c`.execute(db);
  for (const r of known.rows) found.set(r.external_id, r.id);
  const plain = [...firstOf.values()].filter((w) => !found.has(w.userId) && !w.traits.email);
  if (plain.length) {
    const rows = plain.map((w) => ({
      id: newId(w.at),
      external_id: w.userId,
      name: w.traits.name ?? null,
      phone: w.traits.phone ?? null,
      locale: w.traits.locale ?? null,
      search_text: normalizeForSearch([w.traits.name, w.traits.phone].filter(Boolean).join(' ')),
      at: w.at.toISOString(),
    }));
    const inserted = await sql<{ id: string; external_id: string }>`
      INSERT INTO customers (id, workspace_id, external_id, name, phone, locale, search_text, created_at, updated_at)
      SELECT id, ${workspaceId}::uuid, external_id, name, phone, locale, search_text, at, at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS x(id uuid, external_id text, name text, phone text, locale text, search_text text, at timestamptz)
      ON CONFLICT DO NOTHING
      RETURNING id, external_id`.execute(db);
    for (const r of inserted.rows) found.set(r.external_id, r.id);
  }
  for (const w of firstOf.values()) {
    if (!found.has(w.userId)) found.set(w.userId, await customerForUserId(db, workspaceId, w.userId, w.traits, w.at));
  }
  return found;
}

/** applyTraits for many customers in one statement; the earliest value of each trait wins. */
export async function applyTraitsMany(
  db: Kysely<DB>,
  workspaceId: string,
  updates: readonly { customerId: string; traits: Traits }[],
): Promise<void> {
  const merged = new Map<string, { name: string | null; phone: string | null; locale: string | null }>();
  for (const u of updates) {
    if (!u.traits.name && !u.traits.phone && !u.traits.locale) continue;
    const m = merged.get(u.customerId) ?? { name: null, phone: null, locale: null };
    m.name ??= u.traits.name ?? null;
    m.phone ??= u.traits.phone ?? null;
    m.locale ??= u.traits.locale ?? null;
    merged.set(u.customerId, m);
  }
  if (merged.size === 0) return;
  const rows = [...merged].map(([id, t]) => ({ id, ...t }));
  await sql`
    UPDATE customers c SET
      name = COALESCE(c.name, v.name),
      phone = COALESCE(c.phone, v.phone),
      locale = COALESCE(c.locale, v.locale),
      updated_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, name text, phone text, locale text)
    WHERE c.workspace_id = ${workspaceId} AND c.id = v.id`.execute(db);
}

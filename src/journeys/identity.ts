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

/** identify(userId, anonymousId): the visitor's earlier anonymous touchpoints join the customer. */
export async function mergeAnonymous(db: Kysely<DB>, workspaceId: string, anonymousId: string, customerId: string): Promise<number> {
  const result = await db
    .updateTable('touchpoints')
    .set({ customer_id: customerId })
    .where('workspace_id', '=', workspaceId)
    .where('anonymous_id', '=', anonymousId)
    .where('customer_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

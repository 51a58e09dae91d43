// Customers (people) and the companies they belong to, for B2B accounts.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { CustomerRow, DB } from '../db/schema.ts';
import { escapeLikePattern, normalizeForSearch } from '../domain/text.ts';
import { recordAudit, diff } from '../audit/store.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export type Locale = 'en' | 'el' | 'ar';

export interface CustomerInput {
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  locale?: Locale | null;
  company?: string | null;
  externalId?: string | null;
  attributes?: Record<string, unknown>;
}

export interface Customer {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  locale: Locale | null;
  company: { id: string; name: string } | null;
  externalId: string | null;
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

type CustomerWithCompany = CustomerRow & { company_name: string | null };

function toCustomer(row: CustomerWithCompany): Customer {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    name: row.name,
    locale: row.locale as Locale | null,
    company: row.company_id && row.company_name ? { id: row.company_id, name: row.company_name } : null,
    externalId: row.external_id,
    attributes: row.attributes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function searchText(c: { name?: string | null; email?: string | null; phone?: string | null }): string {
  return normalizeForSearch([c.name, c.email, c.phone].filter(Boolean).join(' '));
}

function selectCustomers(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('customers')
    .leftJoin('companies', 'companies.id', 'customers.company_id')
    .selectAll('customers')
    .select('companies.name as company_name')
    .where('customers.workspace_id', '=', workspaceId);
}

async function companyIdFor(db: Kysely<DB>, workspaceId: string, name: string | null | undefined) {
  if (name === undefined) return undefined;
  if (name === null || name === '') return null;
  const existing = await db
    .selectFrom('companies')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = newId();
  await db.insertInto('companies').values({ id, workspace_id: workspaceId, name }).execute();
  return id;
}

export async function getCustomer(ctx: WorkspaceContext, id: string): Promise<Customer> {
  const row = await selectCustomers(ctx.db, ctx.workspaceId).where('customers.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Customer');
  return toCustomer(row);
}

export async function listCustomers(
  ctx: WorkspaceContext,
  query: { q?: string; limit: number; afterId?: string },
): Promise<Customer[]> {
  let q = selectCustomers(ctx.db, ctx.workspaceId);
  if (query.q) {
    q = q.where('customers.search_text', 'like', `%${escapeLikePattern(normalizeForSearch(query.q))}%`);
  }
  if (query.afterId) q = q.where('customers.id', '<', query.afterId);
  const rows = await q.orderBy('customers.id', 'desc').limit(query.limit + 1).execute();
  return rows.map(toCustomer);
}

function uniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

export async function createCustomer(ctx: WorkspaceContext, input: CustomerInput, at = new Date()): Promise<Customer> {
  const id = newId(at);
  // In the caller's transaction when there is one (a mention becoming a ticket).
  const inTransaction = <T>(work: (tx: Kysely<DB>) => Promise<T>) => (ctx.db.isTransaction ? work(ctx.db) : ctx.db.transaction().execute(work));
  try {
    await inTransaction(async (tx) => {
      const companyId = await companyIdFor(tx, ctx.workspaceId, input.company);
      await tx
        .insertInto('customers')
        .values({
          id,
          workspace_id: ctx.workspaceId,
          email: input.email ?? null,
          phone: input.phone ?? null,
          name: input.name ?? null,
          locale: input.locale ?? null,
          company_id: companyId ?? null,
          external_id: input.externalId ?? null,
          attributes: JSON.stringify(input.attributes ?? {}),
          search_text: searchText(input),
          created_at: at,
          updated_at: at,
        })
        .execute();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, {
        action: 'customer.created',
        entityType: 'customer',
        entityId: id,
        changes: { email: input.email ?? null, name: input.name ?? null },
      });
    });
  } catch (error) {
    if (uniqueViolation(error)) throw conflict('A customer with this e-mail or external id already exists');
    throw error;
  }
  return getCustomer(ctx, id);
}

/**
 * Finds the customer with this e-mail, or creates one; used when a ticket names its customer
 * by e-mail. Runs in the caller's transaction. A name is filled in only if none was known.
 */
export async function findOrCreateCustomerByEmail(
  ctx: WorkspaceContext,
  tx: Kysely<DB>,
  input: { email: string; name?: string | null; phone?: string | null; locale?: Locale | null },
  at: Date,
): Promise<string> {
  const id = newId(at);
  // A known customer is only written when a name or locale is learnt: otherwise the upsert
  // locks their row (as any ON CONFLICT DO UPDATE does, WHERE or not) and leaves it as it is,
  // instead of writing a new version of it (and its index entries) for every ticket they open.
  // Their id then comes from the SELECT; one committed after this statement's snapshot is
  // locked but not visible to it, and is read again below.
  const result = await sql<{ id: string; inserted: boolean }>`
    WITH upserted AS (
      INSERT INTO customers (id, workspace_id, email, name, phone, locale, search_text, created_at, updated_at)
      VALUES (${id}, ${ctx.workspaceId}, ${input.email}, ${input.name ?? null}, ${input.phone ?? null},
              ${input.locale ?? null}, ${searchText(input)}, ${at}, ${at})
      ON CONFLICT (workspace_id, lower(email)) WHERE email IS NOT NULL
      DO UPDATE SET name = COALESCE(customers.name, EXCLUDED.name),
                    locale = COALESCE(customers.locale, EXCLUDED.locale)
      WHERE (customers.name IS NULL AND EXCLUDED.name IS NOT NULL) OR (customers.locale IS NULL AND EXCLUDED.locale IS NOT NULL)
      RETURNING id, (xmax = 0) AS inserted
    )
    SELECT id, inserted FROM upserted
    UNION ALL
    SELECT id, false FROM customers
    WHERE workspace_id = ${ctx.workspaceId} AND lower(email) = lower(${input.email}) AND email IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM upserted)`.execute(tx);
  const row =
    result.rows[0] ??
    (await sql<{ id: string; inserted: boolean }>`
      SELECT id, false AS inserted FROM customers
      WHERE workspace_id = ${ctx.workspaceId} AND lower(email) = lower(${input.email}) AND email IS NOT NULL`.execute(tx)).rows[0];
  if (!row) throw new Error('customer upsert returned no row');
  if (row.inserted) {
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'customer.created',
      entityType: 'customer',
      entityId: row.id,
      changes: { email: input.email, name: input.name ?? null },
    });
  }
  return row.id;
}

export async function updateCustomer(ctx: WorkspaceContext, id: string, input: CustomerInput): Promise<Customer> {
  const before = await getCustomer(ctx, id);
  try {
    await ctx.db.transaction().execute(async (tx) => {
      const companyId = await companyIdFor(tx, ctx.workspaceId, input.company);
      const merged = {
        name: input.name === undefined ? before.name : input.name,
        email: input.email === undefined ? before.email : input.email,
        phone: input.phone === undefined ? before.phone : input.phone,
      };
      await tx
        .updateTable('customers')
        .set({
          ...(input.email !== undefined ? { email: input.email } : {}),
          ...(input.phone !== undefined ? { phone: input.phone } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.locale !== undefined ? { locale: input.locale } : {}),
          ...(companyId !== undefined ? { company_id: companyId } : {}),
          ...(input.externalId !== undefined ? { external_id: input.externalId } : {}),
          ...(input.attributes !== undefined ? { attributes: JSON.stringify(input.attributes) } : {}),
          search_text: searchText(merged),
          updated_at: new Date(),
        })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', id)
        .execute();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, {
        action: 'customer.updated',
        entityType: 'customer',
        entityId: id,
        changes: diff(
          { ...before, company: before.company?.name ?? null } as Record<string, unknown>,
          { ...input, company: input.company } as Record<string, unknown>,
        ),
      });
    });
  } catch (error) {
    if (uniqueViolation(error)) throw conflict('A customer with this e-mail or external id already exists');
    throw error;
  }
  return getCustomer(ctx, id);
}

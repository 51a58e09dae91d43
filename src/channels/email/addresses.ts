// Support addresses (which workspace a recipient belongs to) and per-workspace e-mail settings.
import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/store.ts';
import type { DB } from '../../db/schema.ts';
import { normalizeAddress } from '../../domain/email.ts';
import type { WorkspaceContext } from '../../shared/context.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { firstWorkspace } from '../../workspaces/service.ts';

export interface SupportAddress {
  id: string;
  address: string;
  createdAt: string;
}

export async function listSupportAddresses(ctx: WorkspaceContext): Promise<SupportAddress[]> {
  const rows = await ctx.db
    .selectFrom('support_addresses')
    .selectAll()
    .where('workspace_id', '=', ctx.workspaceId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, address: r.address, createdAt: r.created_at.toISOString() }));
}

export async function addSupportAddress(ctx: WorkspaceContext, address: string): Promise<SupportAddress> {
  const normalized = normalizeAddress(address);
  if (!normalized) throw conflict('not an e-mail address');
  const id = newId();
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await tx.insertInto('support_addresses').values({ id, workspace_id: ctx.workspaceId, address: normalized }).execute();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, {
        action: 'support_address.created',
        entityType: 'support_address',
        entityId: id,
        changes: { address: normalized },
      });
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw conflict('This address already receives mail for a workspace');
    throw error;
  }
  const row = await ctx.db.selectFrom('support_addresses').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { id, address: row.address, createdAt: row.created_at.toISOString() };
}

export async function removeSupportAddress(ctx: WorkspaceContext, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom('support_addresses')
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', id)
      .returning('address')
      .executeTakeFirst();
    if (!row) throw notFound('Support address');
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'support_address.deleted',
      entityType: 'support_address',
      entityId: id,
      changes: { address: row.address },
    });
  });
}

/**
 * Which workspace receives mail for `recipient`: the one that lists the address; while no
 * workspace has configured any address, the first workspace takes every recipient.
 */
export async function workspaceForRecipient(db: Kysely<DB>, recipient: string): Promise<string | null> {
  const address = normalizeAddress(recipient);
  if (!address) return null;
  const match = await db
    .selectFrom('support_addresses')
    .select('workspace_id')
    .where((eb) => eb(eb.fn('lower', ['address']), '=', address))
    .executeTakeFirst();
  if (match) return match.workspace_id;
  const any = await db.selectFrom('support_addresses').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  return (await firstWorkspace(db))?.id ?? null;
}

/** The address our mail to this workspace's customers comes from. */
export async function senderAddress(db: Kysely<DB>, workspaceId: string): Promise<string> {
  const row = await db
    .selectFrom('support_addresses')
    .select('address')
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.address ?? 'support@truthdesk.localhost';
}

export interface EmailSettings {
  acknowledgeNew: boolean;
}

export async function getEmailSettings(db: Kysely<DB>, workspaceId: string): Promise<EmailSettings> {
  const row = await db.selectFrom('email_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  return { acknowledgeNew: row?.acknowledge_new ?? false };
}

export async function updateEmailSettings(ctx: WorkspaceContext, input: Partial<EmailSettings>): Promise<EmailSettings> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await getEmailSettings(tx, ctx.workspaceId);
    const after = { ...before, ...input };
    await tx
      .insertInto('email_settings')
      .values({ workspace_id: ctx.workspaceId, acknowledge_new: after.acknowledgeNew, updated_at: new Date() })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ acknowledge_new: after.acknowledgeNew, updated_at: new Date() }))
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'email_settings.updated',
      entityType: 'workspace',
      entityId: ctx.workspaceId,
      changes: { acknowledgeNew: [before.acknowledgeNew, after.acknowledgeNew] },
    });
  });
  return getEmailSettings(ctx.db, ctx.workspaceId);
}

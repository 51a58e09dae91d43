// Workspaces: the tenant boundary. Creating one also creates its owner.
import type { Kysely } from 'kysely';
import type { DB, WorkspaceRow } from '../db/schema.ts';
import { newSecret } from '../auth/secrets.ts';
import { createAgent } from '../agents/service.ts';
import type { Locale } from '../customers/service.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { seedApologyTemplates } from '../canned/service.ts';

export interface Workspace {
  id: string;
  name: string;
  slug: string;
  defaultLocale: Locale;
  createdAt: string;
  writeKey?: string;
  /** Whether webhooks may target loopback, private or link-local addresses (shown to owners and admins). */
  allowPrivateWebhookTargets?: boolean;
}

export function toWorkspace(row: WorkspaceRow, withWriteKey: boolean): Workspace {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    defaultLocale: row.default_locale as Locale,
    createdAt: row.created_at.toISOString(),
    ...(withWriteKey ? { writeKey: row.write_key, allowPrivateWebhookTargets: row.allow_private_webhooks } : {}),
  };
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug || 'workspace';
}

export async function createWorkspace(
  db: Kysely<DB>,
  input: {
    name: string;
    slug?: string;
    defaultLocale?: Locale;
    owner: { email: string; name: string; password?: string; locale?: Locale };
  },
): Promise<{ workspace: WorkspaceRow; ownerId: string }> {
  return db.transaction().execute(async (tx) => {
    const id = newId();
    const workspace = await tx
      .insertInto('workspaces')
      .values({
        id,
        name: input.name,
        slug: input.slug ?? `${slugify(input.name)}-${id.slice(-6)}`,
        write_key: newSecret('wk_'),
        default_locale: input.defaultLocale ?? 'en',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const owner = await createAgent(
      { db: tx, workspaceId: id, actor: { type: 'system', id: null, role: 'owner' } },
      { ...input.owner, role: 'owner' },
    );
    // Every workspace starts with the apology templates (en/el/ar) used in service recovery.
    await seedApologyTemplates(tx, id);
    return { workspace, ownerId: owner.id };
  });
}

export async function getWorkspaceRow(db: Kysely<DB>, id: string): Promise<WorkspaceRow> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Workspace');
  return row;
}

export async function firstWorkspace(db: Kysely<DB>): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().orderBy('id').limit(1).executeTakeFirst();
}

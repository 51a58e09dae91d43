import { z } from 'zod';
import { can } from '../domain/roles.ts';
import { recordAudit, diff } from '../audit/store.ts';
import { defineRoute } from '../http/route.ts';
import { locale, text } from '../http/schemas.ts';
import { getWorkspaceRow, toWorkspace } from './service.ts';

export const workspaceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  defaultLocale: locale,
  createdAt: z.string(),
  writeKey: z.string().optional().describe('The Segment-compatible ingestion write key; shown to owners and admins'),
});

export const workspaceRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/workspace',
    summary: "The caller's workspace (with its ingestion writeKey for owners and admins)",
    tag: 'workspace',
    access: 'authenticated',
    responses: { 200: workspaceSchema },
    handler: async ({ ctx }) =>
      toWorkspace(await getWorkspaceRow(ctx.db, ctx.workspaceId), can(ctx.actor.role, 'settings:manage')),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/workspace',
    summary: "Rename the workspace or change its default language",
    tag: 'workspace',
    access: 'settings:manage',
    body: z
      .strictObject({ name: text({ min: 1, max: 200 }).optional(), defaultLocale: locale.optional() })
      .refine((b) => b.name !== undefined || b.defaultLocale !== undefined, 'nothing to change'),
    responses: { 200: workspaceSchema },
    handler: async ({ ctx, body }) => {
      await ctx.db.transaction().execute(async (tx) => {
        const before = await getWorkspaceRow(tx, ctx.workspaceId);
        await tx
          .updateTable('workspaces')
          .set({
            ...(body.name ? { name: body.name } : {}),
            ...(body.defaultLocale ? { default_locale: body.defaultLocale } : {}),
          })
          .where('id', '=', ctx.workspaceId)
          .execute();
        await recordAudit(tx, ctx.workspaceId, ctx.actor, {
          action: 'workspace.updated',
          entityType: 'workspace',
          entityId: ctx.workspaceId,
          changes: diff({ name: before.name, defaultLocale: before.default_locale }, body),
        });
      });
      return toWorkspace(await getWorkspaceRow(ctx.db, ctx.workspaceId), true);
    },
  }),
];

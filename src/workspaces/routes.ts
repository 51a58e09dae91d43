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
  allowPrivateWebhookTargets: z
    .boolean()
    .optional()
    .describe('Whether webhooks may target loopback, private or link-local addresses (off unless set; shown to owners and admins)'),
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
    summary: 'Rename the workspace, change its default language, or allow webhooks to private addresses',
    tag: 'workspace',
    access: 'settings:manage',
    body: z
      .strictObject({ name: text({ min: 1, max: 200 }).optional(), defaultLocale: locale.optional(), allowPrivateWebhookTargets: z.boolean().optional() })
      .refine((b) => b.name !== undefined || b.defaultLocale !== undefined || b.allowPrivateWebhookTargets !== undefined, 'nothing to change'),
    responses: { 200: workspaceSchema },
    handler: async ({ ctx, body }) => {
      await ctx.db.transaction().execute(async (tx) => {
        const before = await getWorkspaceRow(tx, ctx.workspaceId);
        await tx
          .updateTable('workspaces')
          .set({
            ...(body.name ? { name: body.name } : {}),
            ...(body.defaultLocale ? { default_locale: body.defaultLocale } : {}),
            ...(body.allowPrivateWebhookTargets !== undefined ? { allow_private_webhooks: body.allowPrivateWebhookTargets } : {}),
          })
          .where('id', '=', ctx.workspaceId)
          .execute();
        await recordAudit(tx, ctx.workspaceId, ctx.actor, {
          action: 'workspace.updated',
          entityType: 'workspace',
          entityId: ctx.workspaceId,
          changes: diff({ name: before.name, defaultLocale: before.default_locale, allowPrivateWebhookTargets: before.allow_private_webhooks }, body),
        });
      });
      return toWorkspace(await getWorkspaceRow(ctx.db, ctx.workspaceId), true);
    },
  }),
];

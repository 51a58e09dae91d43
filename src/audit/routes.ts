import { z } from 'zod';
import { defineRoute } from '../http/route.ts';
import { text } from '../http/schemas.ts';

const entry = z.object({
  id: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  changes: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit',
    summary: 'The audit log, newest first; filter by entity',
    tag: 'audit',
    access: 'audit:read',
    query: z.strictObject({
      entityType: text({ max: 50 }).optional(),
      entityId: text({ max: 100 }).optional(),
      before: z.coerce.number().int().positive().optional().describe('id of the last entry of the previous page'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: { 200: z.object({ data: z.array(entry), nextBefore: z.string().nullable() }) },
    handler: async ({ ctx, query }) => {
      let q = ctx.db.selectFrom('audit_log').selectAll().where('workspace_id', '=', ctx.workspaceId);
      if (query.entityType) q = q.where('entity_type', '=', query.entityType);
      if (query.entityId) q = q.where('entity_id', '=', query.entityId);
      if (query.before) q = q.where('id', '<', String(query.before));
      const rows = await q.orderBy('id', 'desc').limit(query.limit + 1).execute();
      const data = rows.slice(0, query.limit).map((r) => ({
        id: String(r.id),
        actorType: r.actor_type,
        actorId: r.actor_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        changes: r.changes,
        createdAt: r.created_at.toISOString(),
      }));
      return { data, nextBefore: rows.length > query.limit ? (data.at(-1)?.id ?? null) : null };
    },
  }),
];

import { z } from 'zod';
import { defineRoute } from '../http/route.ts';
import { afterId, idParams, pageQuery, toPage, uuid } from '../http/schemas.ts';
import { listNotifications, markNotification, markNotificationsRead } from './service.ts';

export const notificationSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['mention']),
  ticket: z.object({ id: z.uuid(), number: z.number().int(), subject: z.string() }).nullable(),
  messageId: z.uuid().nullable(),
  by: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  excerpt: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export const notificationRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/notifications',
    summary: "The caller's own notifications (an @mention in an internal note), newest first, with the unread count",
    tag: 'notifications',
    access: 'tickets:work',
    query: z.strictObject({ unread: z.enum(['true', 'false']).optional(), ...pageQuery }),
    responses: { 200: z.object({ data: z.array(notificationSchema), nextCursor: z.string().nullable(), unreadCount: z.number().int() }) },
    handler: async ({ ctx, query }) => {
      const { rows, unreadCount } = await listNotifications(ctx, {
        unread: query.unread === 'true',
        limit: query.limit,
        afterId: afterId(query.cursor),
      });
      return { ...toPage(rows, query.limit), unreadCount };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/notifications/:id/read',
    summary: 'Mark one of your notifications read',
    tag: 'notifications',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: notificationSchema },
    handler: async ({ ctx, params }) => markNotification(ctx, params.id, true),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/notifications/read',
    summary: 'Mark the given notifications (ids), or all of yours, read',
    tag: 'notifications',
    access: 'tickets:work',
    body: z.strictObject({ ids: z.array(uuid).max(500).optional() }).optional(),
    responses: { 200: z.object({ marked: z.number().int() }) },
    handler: async ({ ctx, body }) => ({ marked: await markNotificationsRead(ctx, body?.ids) }),
  }),
];

// Chat widgets, managed by admins: each has a public key for the embed snippet, optional
// allowed origins, and can be switched off or given a new key.
import { z } from 'zod';
import { defineRoute, Reply } from '../http/route.ts';
import { embedWidgetSchema, idParams, text, webOrigin } from '../http/schemas.ts';
import { createWidget, getWidget, listWidgets, updateWidget } from './service.ts';

export const chatRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/chat/widgets',
    summary: 'Chat widgets of the workspace, with their public keys',
    tag: 'chat',
    access: 'settings:manage',
    responses: { 200: z.object({ data: z.array(embedWidgetSchema) }) },
    handler: async ({ ctx }) => ({ data: await listWidgets(ctx) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/chat/widgets',
    summary: 'Create a chat widget (its public key goes in the embed snippet)',
    tag: 'chat',
    access: 'settings:manage',
    body: z.strictObject({ name: text({ min: 1, max: 100 }), allowedOrigins: z.array(webOrigin).max(20).optional() }),
    responses: { 201: embedWidgetSchema },
    handler: async ({ ctx, body }) => new Reply(201, await createWidget(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/chat/widgets/:id',
    summary: 'One chat widget',
    tag: 'chat',
    access: 'settings:manage',
    params: idParams,
    responses: { 200: embedWidgetSchema },
    handler: async ({ ctx, params }) => getWidget(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/chat/widgets/:id',
    summary: 'Rename a widget, set its allowed origins, switch it off, or give it a new public key (rotateKey); give the version you read to be told (409) if someone changed it since',
    tag: 'chat',
    access: 'settings:manage',
    params: idParams,
    body: z
      .strictObject({
        name: text({ min: 1, max: 100 }).optional(),
        allowedOrigins: z.array(webOrigin).max(20).optional(),
        active: z.boolean().optional(),
        rotateKey: z.literal(true).optional(),
        version: z.number().int().positive().optional().describe('The version you read: 409 if someone changed the widget since'),
      })
      .refine((b) => Object.keys(b).some((k) => k !== 'version'), 'nothing to change'),
    responses: { 200: embedWidgetSchema },
    handler: async ({ ctx, params, body }) => updateWidget(ctx, params.id, body),
  }),
];

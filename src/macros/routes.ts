// Macros over HTTP: admins keep the workspace's macros; agents apply one to a ticket.
import { z } from 'zod';
import { defineRoute, Reply } from '../http/route.ts';
import { idParams, text } from '../http/schemas.ts';
import { applyMacro, createMacro, deleteMacro, listMacros, macroActions, updateMacro } from './service.ts';

const macroSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  actions: z.record(z.string(), z.unknown()),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const macroRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/macros',
    summary: 'The workspace’s macros (active only unless ?all=true)',
    tag: 'macros',
    access: 'tickets:work',
    query: z.strictObject({ all: z.enum(['true', 'false']).optional() }),
    responses: { 200: z.object({ data: z.array(macroSchema) }) },
    handler: async ({ ctx, query }) => ({ data: await listMacros(ctx, query.all !== 'true') }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/macros',
    summary: 'Create a macro: status, priority, assignee ("me", an agent, null), team, tags to add/remove, an internal note, a canned reply',
    tag: 'macros',
    access: 'settings:manage',
    body: z.strictObject({ name: text({ min: 1, max: 100 }), actions: macroActions, active: z.boolean().optional() }),
    responses: { 201: macroSchema },
    handler: async ({ ctx, body }) => new Reply(201, await createMacro(ctx, body)),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/macros/:id',
    summary: 'Change a macro (optional version: 409 when someone changed it meanwhile)',
    tag: 'macros',
    access: 'settings:manage',
    params: idParams,
    body: z.strictObject({ name: text({ min: 1, max: 100 }).optional(), actions: macroActions.optional(), active: z.boolean().optional(), version: z.number().int().optional() }),
    responses: { 200: macroSchema },
    handler: async ({ ctx, params, body }) => updateMacro(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/macros/:id',
    summary: 'Delete a macro',
    tag: 'macros',
    access: 'settings:manage',
    params: idParams,
    responses: { 204: z.null() },
    handler: async ({ ctx, params }) => {
      await deleteMacro(ctx, params.id);
      return new Reply(204, null);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tickets/:id/macros/:macroId',
    summary: 'Apply a macro to a ticket, all of it in one transaction (optional version: 409 when the ticket changed)',
    tag: 'macros',
    access: 'tickets:work',
    params: z.strictObject({ id: z.uuid(), macroId: z.uuid() }),
    body: z.strictObject({ version: z.number().int().optional() }).optional(),
    responses: { 200: z.record(z.string(), z.unknown()) },
    handler: async ({ ctx, params, body }) => applyMacro(ctx, params.id, params.macroId, body?.version),
  }),
];

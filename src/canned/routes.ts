import { z } from 'zod';
import { APOLOGY_KINDS, CANNED_LOCALES } from '../domain/canned.ts';
import { defineRoute, Reply } from '../http/route.ts';
import { idParams, locale, text, uuid } from '../http/schemas.ts';
import { createCanned, deleteCanned, getCanned, listCanned, renderForTicket, updateCanned } from './service.ts';

const body = text({ max: 20_000 });
const bodies = z.strictObject({ en: body.optional(), el: body.optional(), ar: body.optional() });
const apologyFor = z.enum(APOLOGY_KINDS);
const category = z.enum(['general', 'apology']);

const cannedSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  category,
  apologyFor: apologyFor.nullable(),
  bodies: z.record(z.enum(CANNED_LOCALES), z.string()),
  locales: z.array(z.enum(CANNED_LOCALES)),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
const renderedSchema = z.object({ cannedResponseId: z.uuid(), name: z.string(), locale: z.enum(CANNED_LOCALES), text: z.string(), missing: z.array(z.string()) });

export const cannedRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/canned-responses',
    summary: 'List canned responses (filter by category or apologyFor)',
    tag: 'canned responses',
    access: 'tickets:work',
    query: z.strictObject({ category: category.optional(), apologyFor: apologyFor.optional() }),
    responses: { 200: z.object({ data: z.array(cannedSchema) }) },
    handler: async ({ ctx, query }) => ({ data: await listCanned(ctx, query) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/canned-responses',
    summary: 'Create a canned response with en/el/ar versions; variables {{customer.name}}, {{customer.email}}, {{ticket.id}}, {{ticket.number}}, {{ticket.subject}}, {{agent.name}} (others: 422)',
    tag: 'canned responses',
    access: 'settings:manage',
    body: z.strictObject({ name: text({ min: 1, max: 200 }), category: category.optional(), apologyFor: apologyFor.nullable().optional(), bodies }),
    responses: { 201: cannedSchema },
    handler: async ({ ctx, body }) => new Reply(201, await createCanned(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/canned-responses/:id',
    summary: 'Get a canned response',
    tag: 'canned responses',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: cannedSchema },
    handler: async ({ ctx, params }) => getCanned(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/canned-responses/:id',
    summary: 'Change a canned response; the versions given replace those languages ("" removes one); give the version you read to be told (409) if someone changed it since',
    tag: 'canned responses',
    access: 'settings:manage',
    params: idParams,
    body: z
      .strictObject({
        name: text({ min: 1, max: 200 }).optional(),
        category: category.optional(),
        apologyFor: apologyFor.nullable().optional(),
        bodies: bodies.optional(),
        version: z.number().int().positive().optional().describe('The version you read: 409 if someone changed the response since'),
      })
      .refine((b) => Object.entries(b).some(([k, v]) => k !== 'version' && v !== undefined), 'nothing to change'),
    responses: { 200: cannedSchema },
    handler: async ({ ctx, params, body }) => updateCanned(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/canned-responses/:id',
    summary: 'Delete a canned response',
    tag: 'canned responses',
    access: 'settings:manage',
    params: idParams,
    handler: async ({ ctx, params }) => {
      await deleteCanned(ctx, params.id);
      return new Reply(204, null);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tickets/:id/canned-responses/:responseId',
    summary: "Render a canned response for a ticket: in the customer's language (or ?locale=), English as fallback",
    tag: 'canned responses',
    access: 'tickets:work',
    params: z.strictObject({ id: uuid, responseId: uuid }),
    query: z.strictObject({ locale: locale.optional() }),
    responses: { 200: renderedSchema },
    handler: async ({ ctx, params, query }) => renderForTicket(ctx.db, ctx.workspaceId, ctx.actor, params.responseId, params.id, query.locale),
  }),
];

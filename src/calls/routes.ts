// The call log: POST a call (optionally opening or attaching a ticket), list calls, and see
// them on the customer and on the ticket.
import { z } from 'zod';
import { defineRoute, Reply } from '../http/route.ts';
import { afterId, httpUrl, idParams, pageQuery, pageSchema, text, toPage } from '../http/schemas.ts';
import { notFound } from '../shared/errors.ts';
import { CALL_OUTCOMES, createCall, getCall, listCalls } from './service.ts';

const phone = z.string().trim().min(1).max(40).regex(/^[+0-9 ()./*#-]+$/, 'must be a phone number (digits, +, spaces, ()-./*#)');

const callSchema = z.object({
  id: z.uuid(),
  direction: z.enum(['inbound', 'outbound']),
  from: z.string(),
  to: z.string(),
  startedAt: z.string(),
  durationSeconds: z.number(),
  outcome: z.enum(CALL_OUTCOMES),
  recordingUrl: z.string().nullable(),
  notes: z.string(),
  agentId: z.uuid().nullable(),
  customerId: z.uuid(),
  ticketId: z.uuid().nullable(),
  externalId: z.string().nullable(),
  valence: z.string(),
  createdAt: z.string(),
});

const createBody = z
  .strictObject({
    direction: z.enum(['inbound', 'outbound']),
    from: phone,
    to: phone,
    startedAt: z.iso.datetime({ offset: true }).optional(),
    durationSeconds: z.number().int().min(0).max(7 * 24 * 3600),
    outcome: z.enum(CALL_OUTCOMES),
    recordingUrl: httpUrl().nullable().optional(),
    notes: text({ max: 20_000 }).optional(),
    agentId: z.uuid().nullable().optional(),
    customerId: z.uuid().optional(),
    customer: z
      .strictObject({ email: z.string().trim().max(254).pipe(z.email()).optional(), name: text({ min: 1, max: 200 }).optional(), phone: phone.optional() })
      .optional(),
    ticketId: z.uuid().optional(),
    createTicket: z
      .strictObject({ subject: text({ min: 1, max: 300 }).optional(), priority: z.enum(['low', 'normal', 'high', 'urgent']).optional() })
      .optional(),
    externalId: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => !(b.customerId && b.customer), 'give customerId or customer, not both');

const listQuery = z.strictObject({ ...pageQuery, customer: z.uuid().optional(), ticket: z.uuid().optional() });

export const callRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/calls',
    summary: 'Log a phone call; it can open a ticket (createTicket) or attach to one (ticketId). Same externalId twice: the first call, 200',
    tag: 'calls',
    access: 'tickets:work',
    body: createBody,
    responses: { 201: callSchema, 200: callSchema },
    handler: async ({ ctx, body }) => {
      const { startedAt, ...rest } = body;
      const result = await createCall(ctx, { ...rest, ...(startedAt ? { startedAt: new Date(startedAt) } : {}) } as Parameters<typeof createCall>[1]);
      return new Reply(result.created ? 201 : 200, result.call);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/calls',
    summary: 'Calls, newest first; filter by customer or ticket',
    tag: 'calls',
    access: 'tickets:work',
    query: listQuery,
    responses: { 200: pageSchema(callSchema) },
    handler: async ({ ctx, query }) =>
      toPage(await listCalls(ctx, { limit: query.limit, afterId: afterId(query.cursor), ...(query.customer ? { customerId: query.customer } : {}), ...(query.ticket ? { ticketId: query.ticket } : {}) }), query.limit),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/calls/:id',
    summary: 'One call',
    tag: 'calls',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: callSchema },
    handler: async ({ ctx, params }) => getCall(ctx, params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/customers/:id/calls',
    summary: 'The calls of a customer, newest first',
    tag: 'calls',
    access: 'tickets:work',
    params: idParams,
    query: z.strictObject(pageQuery),
    responses: { 200: pageSchema(callSchema) },
    handler: async ({ ctx, params, query }) => {
      const customer = await ctx.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', params.id).executeTakeFirst();
      if (!customer) throw notFound('Customer');
      return toPage(await listCalls(ctx, { customerId: params.id, limit: query.limit, afterId: afterId(query.cursor) }), query.limit);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tickets/:id/calls',
    summary: 'The calls attached to a ticket, newest first',
    tag: 'calls',
    access: 'tickets:work',
    params: idParams,
    query: z.strictObject(pageQuery),
    responses: { 200: pageSchema(callSchema) },
    handler: async ({ ctx, params, query }) => {
      const ticket = await ctx.db.selectFrom('tickets').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', params.id).executeTakeFirst();
      if (!ticket) throw notFound('Ticket');
      return toPage(await listCalls(ctx, { ticketId: params.id, limit: query.limit, afterId: afterId(query.cursor) }), query.limit);
    },
  }),
];

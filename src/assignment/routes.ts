import { z } from 'zod';
import { TICKET_CHANNELS } from '../domain/tickets.ts';
import { defineRoute, Reply } from '../http/route.ts';
import { idParams, locale, text, uuid } from '../http/schemas.ts';
import { getTicket } from '../tickets/service.ts';
import { tag, ticketSchema } from '../tickets/routes.ts';
import { assignTicket, createQueue, deleteQueue, getQueue, listQueues, updateQueue } from './service.ts';
import { fillTeam } from './fill.ts';
import { notFound } from '../shared/errors.ts';

const rules = z.strictObject({
  channels: z.array(z.enum(TICKET_CHANNELS)).max(TICKET_CHANNELS.length).optional(),
  locales: z.array(locale).max(3).optional(),
  tags: z.array(tag).max(30).optional(),
});

const queueBody = {
  name: text({ min: 1, max: 100 }),
  teamId: uuid.nullable().optional(),
  rules: rules.optional(),
  position: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  active: z.boolean().optional(),
};

export const queueSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  teamId: z.uuid().nullable(),
  rules: z.object({ channels: z.array(z.string()), locales: z.array(z.string()), tags: z.array(z.string()) }),
  position: z.number().int(),
  active: z.boolean(),
  counts: z.object({ unsolved: z.number().int(), unassigned: z.number().int() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

const assignmentSchema = z.object({
  assigneeId: z.uuid().nullable(),
  teamId: z.uuid().nullable(),
  queueId: z.uuid().nullable(),
  by: z.enum(['manual', 'round_robin', 'load_balanced']).nullable(),
  reason: z.string().optional(),
});

export const assignmentRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/queues',
    summary: 'Queues in routing order, with their unsolved and unassigned ticket counts',
    tag: 'assignment',
    access: 'tickets:work',
    responses: { 200: z.object({ data: z.array(queueSchema) }) },
    handler: async ({ ctx }) => ({ data: await listQueues(ctx) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/queues',
    summary: 'Create a queue: its team and routing rules (channels, customer languages, tags; empty matches any)',
    tag: 'assignment',
    access: 'team:manage',
    body: z.strictObject(queueBody),
    responses: { 201: queueSchema },
    handler: async ({ ctx, body }) => new Reply(201, await createQueue(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/queues/:id',
    summary: 'Get a queue',
    tag: 'assignment',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: queueSchema },
    handler: async ({ ctx, params }) => getQueue(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/queues/:id',
    summary: 'Change a queue (name, team, rules, position, active); give the version you read to be told (409) if someone changed it since',
    tag: 'assignment',
    access: 'team:manage',
    params: idParams,
    body: z
      .strictObject({
        ...queueBody,
        name: queueBody.name.optional(),
        version: z.number().int().positive().optional().describe('The version you read: 409 if someone changed the queue since'),
      })
      .refine((b) => Object.keys(b).some((k) => k !== 'version'), 'nothing to change'),
    responses: { 200: queueSchema },
    handler: async ({ ctx, params, body }) => updateQueue(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/queues/:id',
    summary: 'Delete a queue; its tickets stay, in no queue',
    tag: 'assignment',
    access: 'team:manage',
    params: idParams,
    handler: async ({ ctx, params }) => {
      await deleteQueue(ctx, params.id);
      return new Reply(204, undefined);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tickets/:id/assign',
    summary:
      'Assign a ticket: agentId assigns by hand (null unassigns); without agentId the team (given, the queue\'s, or the ticket\'s) picks by its rule (round robin or least loaded)',
    tag: 'assignment',
    access: 'tickets:work',
    params: idParams,
    body: z.strictObject({
      agentId: uuid.nullable().optional(),
      teamId: uuid.nullable().optional(),
      queueId: uuid.nullable().optional(),
      version: z.number().int().positive().optional(),
    }),
    responses: { 200: z.object({ ticket: ticketSchema, assignment: assignmentSchema }), 409: z.unknown(), 422: z.unknown() },
    handler: async ({ ctx, params, body }) => {
      const assignment = await assignTicket(ctx, params.id, body);
      const ticket = await getTicket(ctx, params.id);
      return new Reply(200, { ticket, assignment }, { etag: `"${ticket.version}"` });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/teams/:id/assign-waiting',
    summary: "Hand out the team's waiting (unassigned, unsolved) tickets now, oldest first, by its rule; done by itself when an agent comes online or becomes available, a ticket is solved, or the rule changes",
    tag: 'assignment',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: z.object({ assigned: z.array(z.object({ ticketId: z.uuid(), agentId: z.uuid() })), waiting: z.number().int() }) },
    handler: async ({ ctx, params }) => {
      const team = await ctx.db.selectFrom('teams').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', params.id).executeTakeFirst();
      if (!team) throw notFound('Team');
      return fillTeam(ctx.db, ctx.workspaceId, team.id, ctx.actor);
    },
  }),
];

import { z } from 'zod';
import { ROLES } from '../domain/roles.ts';
import { ASSIGNMENT_MODES } from '../domain/assignment.ts';
import { defineRoute, Reply } from '../http/route.ts';
import { email, idParams, locale, text, uuid } from '../http/schemas.ts';
import { agentAvailability } from '../presence/service.ts';
import { createAgent, createTeam, getAgent, listAgents, listTeams, updateAgent, updateTeam } from './service.ts';

const role = z.enum(ROLES);
const password = z.string().min(10, 'must be at least 10 characters').max(200);

export const agentSchema = z.object({
  id: z.uuid(),
  /** In the list only: online and available, online and away, or offline (no open session socket). */
  availability: z.enum(['available', 'away', 'offline']).optional(),
  email: z.string(),
  name: z.string(),
  role,
  locale,
  active: z.boolean(),
  teamIds: z.array(z.uuid()),
  createdAt: z.string(),
});
const assignment = z.object({
  mode: z.enum(ASSIGNMENT_MODES),
  onlyAvailable: z.boolean(),
  maxOpenPerAgent: z.number().int().nullable(),
});
const assignmentInput = z
  .strictObject({
    mode: z.enum(ASSIGNMENT_MODES).optional(),
    onlyAvailable: z.boolean().optional(),
    maxOpenPerAgent: z.number().int().min(1).max(10_000).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const teamSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  memberIds: z.array(z.uuid()),
  assignment,
  createdAt: z.string(),
});

export const agentRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/agents',
    summary: 'List the agents of the workspace, each with their availability now (available, away, offline)',
    tag: 'agents',
    access: 'tickets:work',
    responses: { 200: z.object({ data: z.array(agentSchema) }) },
    handler: async ({ ctx }) => {
      const [agents, availability] = await Promise.all([listAgents(ctx), agentAvailability(ctx.db, ctx.workspaceId)]);
      return { data: agents.map((a) => ({ ...a, availability: availability.get(a.id) ?? 'offline' })) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/agents',
    summary: 'Add an agent (owners and admins)',
    tag: 'agents',
    access: 'agents:manage',
    body: z.strictObject({
      email,
      name: text({ min: 1, max: 200 }),
      role: role.default('agent'),
      locale: locale.optional(),
      password: password.optional(),
    }),
    responses: { 201: agentSchema },
    handler: async ({ ctx, body }) => new Reply(201, await createAgent(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/agents/:id',
    summary: 'Get an agent',
    tag: 'agents',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: agentSchema },
    handler: async ({ ctx, params }) => getAgent(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/agents/:id',
    summary: "Change an agent's name, role, language, password or deactivate them",
    tag: 'agents',
    access: 'agents:manage',
    params: idParams,
    body: z
      .strictObject({
        name: text({ min: 1, max: 200 }).optional(),
        role: role.optional(),
        locale: locale.optional(),
        active: z.boolean().optional(),
        password: password.optional(),
      })
      .refine((b) => Object.keys(b).length > 0, 'nothing to change'),
    responses: { 200: agentSchema },
    handler: async ({ ctx, params, body }) => updateAgent(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/teams',
    summary: 'List teams with their members',
    tag: 'agents',
    access: 'tickets:work',
    responses: { 200: z.object({ data: z.array(teamSchema) }) },
    handler: async ({ ctx }) => ({ data: await listTeams(ctx) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/teams',
    summary: 'Create a team',
    tag: 'agents',
    access: 'team:manage',
    body: z.strictObject({ name: text({ min: 1, max: 100 }), memberIds: z.array(uuid).max(500).optional(), assignment: assignmentInput.optional() }),
    responses: { 201: teamSchema },
    handler: async ({ ctx, body }) => new Reply(201, await createTeam(ctx, body)),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/teams/:id',
    summary: 'Rename a team, set its members, or its assignment rule (manual, round_robin, load_balanced; onlyAvailable; maxOpenPerAgent)',
    tag: 'agents',
    access: 'team:manage',
    params: idParams,
    body: z
      .strictObject({
        name: text({ min: 1, max: 100 }).optional(),
        memberIds: z.array(uuid).max(500).optional(),
        assignment: assignmentInput.optional(),
      })
      .refine((b) => Object.keys(b).length > 0, 'nothing to change'),
    responses: { 200: teamSchema },
    handler: async ({ ctx, params, body }) => updateTeam(ctx, params.id, body),
  }),
];

// Collision detection and chat availability: who is on a ticket (also pushed live over the
// agents' WebSocket), and each agent's chat status.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../http/route.ts';
import type { AgentConnection, RealtimeRouteOptions } from '../realtime/routes.ts';
import { actingAgentId } from '../shared/context.ts';
import { unprocessable } from '../shared/errors.ts';
import { AppError } from '../shared/errors.ts';
import {
  closeConnection,
  getAgentStatus,
  openConnection,
  refreshConnection,
  setActivity,
  setAgentStatus,
  ticketPresence,
} from './service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const presenceEntry = z.object({ agentId: z.uuid(), name: z.string(), activity: z.enum(['viewing', 'typing']), since: z.string() });
const statusBody = z.strictObject({ status: z.enum(['available', 'away']) });

export const presenceRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/tickets/:id/presence',
    summary: 'Agents viewing or typing on this ticket now (collision detection)',
    tag: 'tickets',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: z.object({ data: z.array(presenceEntry) }) },
    handler: async ({ ctx, params }) => ({ data: await ticketPresence(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/me/status',
    summary: 'Your chat status (available or away)',
    tag: 'agents',
    access: 'tickets:work',
    handler: async ({ ctx }) => {
      const agentId = actingAgentId(ctx.actor);
      if (!agentId) throw unprocessable('Only an agent (or a token an agent made) has a chat status');
      return { status: await getAgentStatus(ctx.db, ctx.workspaceId, agentId) };
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/me/status',
    summary: 'Set your chat status: available agents with an open session take live chats',
    tag: 'agents',
    access: 'tickets:work',
    body: statusBody,
    handler: async ({ ctx, body }) => {
      const agentId = actingAgentId(ctx.actor);
      if (!agentId) throw unprocessable('Only an agent (or a token an agent made) has a chat status');
      await setAgentStatus(ctx, agentId, body.status);
      return { status: body.status };
    },
  }),
];

const presenceMessage = z.strictObject({
  type: z.literal('presence'),
  ticketId: z.uuid().nullable(),
  activity: z.enum(['viewing', 'typing']).nullable(),
});

/** Presence over the agents' WebSocket: a row per socket, kept while it lives. */
export function presenceSocketHooks(app: FastifyInstance): Required<Pick<RealtimeRouteOptions, 'onOpen' | 'onClose' | 'onHeartbeat' | 'onMessage'>> {
  // Each socket's presence writes run one after another, so a close never overtakes the open.
  const queues = new WeakMap<AgentConnection, Promise<void>>();
  const enqueue = (connection: AgentConnection, work: () => Promise<void>): Promise<void> => {
    const next = (queues.get(connection) ?? Promise.resolve()).then(work);
    queues.set(
      connection,
      next.catch((error: unknown) => {
        // A refusal (a ticket not in this workspace) is the client's mistake and was answered on
        // its socket; only a failure of ours belongs in the error log.
        if (error instanceof AppError && error.status < 500) return;
        app.log.error({ err: error }, 'presence: update failed');
      }),
    );
    return next;
  };
  return {
    onOpen: [
      (c) => (c.agentId ? enqueue(c, () => openConnection(app.database.db, c.ctx.workspaceId, c.id, c.agentId as string)) : Promise.resolve()),
    ],
    onHeartbeat: [(c) => void enqueue(c, () => refreshConnection(app.database.db, c.ctx.workspaceId, c.id)).catch(() => undefined)],
    onClose: [(c) => void enqueue(c, () => closeConnection(app.database.db, c.ctx.workspaceId, c.id)).catch(() => undefined)],
    onMessage: [
      async (c, message) => {
        if (message.type !== 'presence') return false;
        const parsed = presenceMessage.safeParse(message);
        if (!parsed.success) {
          throw new AppError(400, 'validation_failed', `Invalid presence message: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
        }
        if (!c.agentId) throw unprocessable('Only an agent (or a token an agent made) has presence');
        const { ticketId, activity } = parsed.data;
        await enqueue(c, () => setActivity(c.ctx, c.id, c.agentId as string, ticketId, activity));
        return true;
      },
    ],
  };
}

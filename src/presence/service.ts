// Who is online and who is on which ticket (collision detection). Every open agent WebSocket,
// in any server process, is a row of agent_connections refreshed by the socket's heartbeat; a
// process that dies leaves rows that expire by themselves. Changes are announced with
// presence.changed events so the other agents on the ticket see them at once.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { publish } from '../realtime/events.ts';
import { queueFill } from '../assignment/fill.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';

/** A socket's row lives this long after its last heartbeat (the heartbeat runs every 30 s). */
export const CONNECTION_TTL_MS = 75_000;
/** "Typing" fades back to "viewing" unless the client repeats it within this time. */
export const TYPING_TTL_MS = 8_000;

export type Activity = 'viewing' | 'typing';
export type AgentStatus = 'available' | 'away';

export interface TicketPresence {
  agentId: string;
  name: string;
  activity: Activity;
  since: string;
}

const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

export async function openConnection(db: Kysely<DB>, workspaceId: string, connectionId: string, agentId: string, at = new Date()): Promise<void> {
  // Rows of sockets that vanished without closing (a killed process) go when they expire.
  await db.deleteFrom('agent_connections').where('workspace_id', '=', workspaceId).where('expires_at', '<', at).execute();
  await db
    .insertInto('agent_connections')
    .values({ id: connectionId, workspace_id: workspaceId, agent_id: agentId, connected_at: at, expires_at: later(at, CONNECTION_TTL_MS) })
    .execute();
  await publish(db, workspaceId, { type: 'agent.online', data: { agentId } });
  // Tickets of their teams that waited for someone to come online can be handed out now.
  await db.transaction().execute((tx) => queueFill(tx, workspaceId, { agentId }));
}

export async function refreshConnection(db: Kysely<DB>, workspaceId: string, connectionId: string, at = new Date()): Promise<void> {
  await db
    .updateTable('agent_connections')
    .set({ expires_at: later(at, CONNECTION_TTL_MS) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', connectionId)
    .execute();
}

export async function closeConnection(db: Kysely<DB>, workspaceId: string, connectionId: string): Promise<void> {
  const row = await db
    .deleteFrom('agent_connections')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', connectionId)
    .returning(['agent_id', 'ticket_id'])
    .executeTakeFirst();
  if (!row) return;
  if (row.ticket_id) {
    await publish(db, workspaceId, { type: 'presence.changed', data: { ticketId: row.ticket_id, agentId: row.agent_id, activity: null } });
  }
  await publish(db, workspaceId, { type: 'agent.offline', data: { agentId: row.agent_id } });
}

/** The agent on this socket is now viewing or typing on a ticket, or (null) on none. */
export async function setActivity(
  ctx: WorkspaceContext,
  connectionId: string,
  agentId: string,
  ticketId: string | null,
  activity: Activity | null,
  at = new Date(),
): Promise<void> {
  if (ticketId) {
    const ticket = await ctx.db
      .selectFrom('tickets')
      .select('id')
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', ticketId)
      .executeTakeFirst();
    if (!ticket) throw notFound('Ticket');
  }
  const before = await ctx.db
    .selectFrom('agent_connections')
    .select(['ticket_id'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', connectionId)
    .executeTakeFirst();
  if (!before) return;
  const current = ticketId && activity ? activity : null;
  await ctx.db
    .updateTable('agent_connections')
    .set({
      ticket_id: current ? ticketId : null,
      activity: current,
      activity_expires_at: current === 'typing' ? later(at, TYPING_TTL_MS) : null,
      expires_at: later(at, CONNECTION_TTL_MS),
    })
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', connectionId)
    .execute();
  if (before.ticket_id && before.ticket_id !== ticketId) {
    await publish(ctx.db, ctx.workspaceId, { type: 'presence.changed', data: { ticketId: before.ticket_id, agentId, activity: null } });
  }
  if (ticketId) {
    await publish(ctx.db, ctx.workspaceId, { type: 'presence.changed', data: { ticketId, agentId, activity: current } });
  }
}

/** The agents on a ticket now: one entry per agent, typing if any of their sockets types. */
export async function ticketPresence(ctx: WorkspaceContext, ticketId: string, at = new Date()): Promise<TicketPresence[]> {
  const ticket = await ctx.db
    .selectFrom('tickets')
    .select('id')
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) throw notFound('Ticket');
  const rows = await ctx.db
    .selectFrom('agent_connections')
    .innerJoin('agents', (j) => j.onRef('agents.id', '=', 'agent_connections.agent_id').onRef('agents.workspace_id', '=', 'agent_connections.workspace_id'))
    .select(['agent_connections.agent_id', 'agents.name', 'agent_connections.activity', 'agent_connections.activity_expires_at', 'agent_connections.connected_at'])
    .where('agent_connections.workspace_id', '=', ctx.workspaceId)
    .where('agent_connections.ticket_id', '=', ticketId)
    .where('agent_connections.expires_at', '>', at)
    .orderBy('agent_connections.connected_at')
    .execute();
  const byAgent = new Map<string, TicketPresence>();
  for (const row of rows) {
    const typing = row.activity === 'typing' && row.activity_expires_at !== null && row.activity_expires_at > at;
    const existing = byAgent.get(row.agent_id);
    if (existing && (existing.activity === 'typing' || !typing)) continue;
    byAgent.set(row.agent_id, {
      agentId: row.agent_id,
      name: row.name,
      activity: typing ? 'typing' : 'viewing',
      since: (existing?.since ?? row.connected_at.toISOString()),
    });
  }
  return [...byAgent.values()];
}

export async function setAgentStatus(ctx: WorkspaceContext, agentId: string, status: AgentStatus, at = new Date()): Promise<void> {
  await ctx.db
    .insertInto('agent_status')
    .values({ workspace_id: ctx.workspaceId, agent_id: agentId, status, updated_at: at })
    .onConflict((oc) => oc.columns(['workspace_id', 'agent_id']).doUpdateSet({ status, updated_at: at }))
    .execute();
  await publish(ctx.db, ctx.workspaceId, { type: 'agent.status', data: { agentId, status } });
  if (status === 'available') await ctx.db.transaction().execute((tx) => queueFill(tx, ctx.workspaceId, { agentId }));
}

export async function getAgentStatus(db: Kysely<DB>, workspaceId: string, agentId: string): Promise<AgentStatus> {
  const row = await db
    .selectFrom('agent_status')
    .select('status')
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
  return (row?.status as AgentStatus | undefined) ?? 'available';
}

export type Availability = 'available' | 'away' | 'offline';

/**
 * Each agent's availability now: online (an open agent socket in any process) and available or
 * away by their status; offline without a socket. Agents not in the map are offline.
 */
export async function agentAvailability(db: Kysely<DB>, workspaceId: string, at = new Date()): Promise<Map<string, Availability>> {
  const rows = await db
    .selectFrom('agent_connections')
    .leftJoin('agent_status', (j) =>
      j.onRef('agent_status.agent_id', '=', 'agent_connections.agent_id').onRef('agent_status.workspace_id', '=', 'agent_connections.workspace_id'),
    )
    .select(['agent_connections.agent_id as agentId', 'agent_status.status as status'])
    .distinct()
    .where('agent_connections.workspace_id', '=', workspaceId)
    .where('agent_connections.expires_at', '>', at)
    .execute();
  return new Map(rows.map((r) => [r.agentId, r.status === 'away' ? 'away' : 'available']));
}

/**
 * An agent is available for chat when they have an open agent socket (in any process) and
 * their status is "available" (the default). Returns how many are.
 */
export async function availableAgentCount(db: Kysely<DB>, workspaceId: string, at = new Date()): Promise<number> {
  const row = await db
    .selectFrom('agent_connections')
    .innerJoin('agents', (j) => j.onRef('agents.id', '=', 'agent_connections.agent_id').onRef('agents.workspace_id', '=', 'agent_connections.workspace_id'))
    .leftJoin('agent_status', (j) =>
      j.onRef('agent_status.agent_id', '=', 'agent_connections.agent_id').onRef('agent_status.workspace_id', '=', 'agent_connections.workspace_id'),
    )
    .select(sql<number>`count(DISTINCT agent_connections.agent_id)::int`.as('n'))
    .where('agent_connections.workspace_id', '=', workspaceId)
    .where('agent_connections.expires_at', '>', at)
    .where('agents.active', '=', true)
    .where((eb) => eb.or([eb('agent_status.status', 'is', null), eb('agent_status.status', '=', 'available')]))
    .executeTakeFirstOrThrow();
  return row.n;
}

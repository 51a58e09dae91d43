// Queues and assignment. A queue is where tickets wait (routed by its rules, or chosen
// explicitly) and feeds one team; a team assigns manually, round robin, or to its least-loaded
// available agent. Automatic assignment locks the team's row for the rest of the transaction
// (SELECT … FOR UPDATE), so concurrent tickets of one team are assigned one after the other:
// each sees the cursor and the open-ticket counts the previous one committed.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB, QueuesTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import { diff, recordAudit } from '../audit/store.ts';
import { pickAgent, routeToQueue } from '../domain/assignment.ts';
import type { AssignmentCandidate, AssignmentMode, TeamAssignmentSettings } from '../domain/assignment.ts';
import { publishOnCommit } from '../realtime/events.ts';
import type { Actor, WorkspaceContext } from '../shared/context.ts';
import { checkVersion, conflict, notFound, unprocessable } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { agentInWorkspace, lockTicket } from '../tickets/store.ts';

export const UNSOLVED_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;

/** How an assignment was made: by a person, or by the team's automatic rule. */
export type AssignedBy = 'manual' | Exclude<AssignmentMode, 'manual'>;

function inTransaction<T>(db: Kysely<DB>, work: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505';

// ---------------------------------------------------------------------------------------------
// Team settings

export interface TeamAssignment {
  mode: AssignmentMode;
  onlyAvailable: boolean;
  maxOpenPerAgent: number | null;
}

export function teamAssignmentOf(row: { assignment_mode: string; assign_only_available: boolean; max_open_per_agent: number | null }): TeamAssignment {
  return { mode: row.assignment_mode as AssignmentMode, onlyAvailable: row.assign_only_available, maxOpenPerAgent: row.max_open_per_agent };
}

export function teamAssignmentColumns(a: Partial<TeamAssignment>) {
  return {
    ...(a.mode !== undefined ? { assignment_mode: a.mode } : {}),
    ...(a.onlyAvailable !== undefined ? { assign_only_available: a.onlyAvailable } : {}),
    ...(a.maxOpenPerAgent !== undefined ? { max_open_per_agent: a.maxOpenPerAgent } : {}),
  };
}

/** The team's members as assignment candidates: available now, and how many unsolved tickets each has. */
export async function assignmentCandidates(db: Kysely<DB>, workspaceId: string, teamId: string, at = new Date()): Promise<AssignmentCandidate[]> {
  const rows = await db
    .selectFrom('team_members as tm')
    .innerJoin('agents as a', (j) => j.onRef('a.id', '=', 'tm.agent_id').onRef('a.workspace_id', '=', 'tm.workspace_id'))
    .leftJoin('agent_status as s', (j) => j.onRef('s.agent_id', '=', 'tm.agent_id').onRef('s.workspace_id', '=', 'tm.workspace_id'))
    .select((eb) => [
      'tm.agent_id as agentId',
      sql<boolean>`coalesce(${eb.ref('s.status')}, 'available') = 'available' AND EXISTS (
        SELECT 1 FROM agent_connections c
        WHERE c.workspace_id = tm.workspace_id AND c.agent_id = tm.agent_id AND c.expires_at > ${at})`.as('available'),
      sql<number>`(SELECT count(*)::int FROM tickets t
        WHERE t.workspace_id = tm.workspace_id AND t.assignee_id = tm.agent_id
          AND t.status IN ('new', 'open', 'pending', 'on_hold'))`.as('openTickets'),
    ])
    .where('tm.workspace_id', '=', workspaceId)
    .where('tm.team_id', '=', teamId)
    .where('a.active', '=', true)
    .execute();
  return rows.map((r) => ({ agentId: r.agentId, available: Boolean(r.available), openTickets: Number(r.openTickets) }));
}

/**
 * Picks the agent for the team's next ticket and moves the team's cursor to them, inside the
 * caller's transaction and under a lock on the team row (held until that transaction ends).
 * Null when the team assigns manually or nobody is eligible (the ticket then waits unassigned).
 */
export async function autoAssignInTx(
  tx: Kysely<DB>,
  workspaceId: string,
  teamId: string,
  at = new Date(),
): Promise<{ agentId: string | null; mode: AssignmentMode }> {
  const team = await tx
    .selectFrom('teams')
    .select(['id', 'assignment_mode', 'assign_only_available', 'max_open_per_agent', 'rr_cursor_agent_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', teamId)
    .forUpdate()
    .executeTakeFirst();
  if (!team) throw unprocessable('teamId is not a team of this workspace');
  const settings: TeamAssignmentSettings = teamAssignmentOf(team);
  if (settings.mode === 'manual') return { agentId: null, mode: 'manual' };
  const agentId = pickAgent(settings, await assignmentCandidates(tx, workspaceId, teamId, at), team.rr_cursor_agent_id);
  if (agentId) {
    await tx.updateTable('teams').set({ rr_cursor_agent_id: agentId }).where('workspace_id', '=', workspaceId).where('id', '=', teamId).execute();
  }
  return { agentId, mode: settings.mode };
}

// ---------------------------------------------------------------------------------------------
// Routing a new ticket

export interface RoutingInput {
  channel: string;
  customerId: string;
  tags: string[];
  /** Explicit choices; undefined means "decide by the rules". */
  queueId?: string | null | undefined;
  teamId?: string | null | undefined;
  assigneeId?: string | null | undefined;
}

export interface Routing {
  queueId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  /** Null when nobody was assigned. */
  assignedBy: AssignedBy | null;
}

async function queueInWorkspace(db: Kysely<DB>, workspaceId: string, queueId: string) {
  return db.selectFrom('queues').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', queueId).executeTakeFirst();
}

/** What routing reads of a queue. */
export type RoutingQueue = Pick<Selectable<QueuesTable>, 'id' | 'team_id' | 'position' | 'active' | 'match_channels' | 'match_locales' | 'match_tags'>;

/** The workspace's active queues, as routing reads them: a query, to run or to nest (newTicketSettings). */
export function activeQueuesQuery(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('queues')
    .select(['id', 'team_id', 'position', 'active', 'match_channels', 'match_locales', 'match_tags'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', true);
}

/**
 * Where a new ticket goes: the queue given, else the first queue whose rules match; the team
 * given, else the queue's; the assignee given, else the team's automatic pick. `known.activeQueues`:
 * the workspace's active queues, when the caller has read them already (createTicket reads them
 * together with the SLA policy, in one round trip).
 */
export async function routeNewTicket(
  tx: Kysely<DB>,
  workspaceId: string,
  input: RoutingInput,
  at = new Date(),
  known: { activeQueues?: RoutingQueue[] } = {},
): Promise<Routing> {
  let queue: RoutingQueue | null = null;
  if (input.queueId) {
    queue = (await queueInWorkspace(tx, workspaceId, input.queueId)) ?? null;
    if (!queue) throw unprocessable('queueId is not a queue of this workspace');
  } else if (input.queueId === undefined) {
    const queues = known.activeQueues ?? (await activeQueuesQuery(tx, workspaceId).execute());
    if (queues.length) {
      const customer = await tx
        .selectFrom('customers')
        .select('locale')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', input.customerId)
        .executeTakeFirst();
      queue = routeToQueue(
        queues.map((q) => ({ ...q, channels: q.match_channels, locales: q.match_locales, tags: q.match_tags })),
        { channel: input.channel, locale: customer?.locale ?? null, tags: input.tags },
      );
    }
  }
  const teamId = input.teamId !== undefined ? input.teamId : (queue?.team_id ?? null);
  if (input.assigneeId !== undefined) {
    return { queueId: queue?.id ?? null, teamId, assigneeId: input.assigneeId, assignedBy: input.assigneeId ? 'manual' : null };
  }
  if (!teamId) return { queueId: queue?.id ?? null, teamId, assigneeId: null, assignedBy: null };
  const pick = await autoAssignInTx(tx, workspaceId, teamId, at);
  return {
    queueId: queue?.id ?? null,
    teamId,
    assigneeId: pick.agentId,
    assignedBy: pick.agentId && pick.mode !== 'manual' ? pick.mode : null,
  };
}

/** Audit entry and realtime event of an assignment, in its transaction. */
export async function announceAssignment(
  tx: Kysely<DB>,
  workspaceId: string,
  actor: Actor,
  ticket: { id: string; number: number },
  change: { assigneeId: string | null; previousAssigneeId: string | null; teamId: string | null; queueId: string | null; by: AssignedBy | null },
): Promise<void> {
  await recordAudit(tx, workspaceId, actor, {
    action: 'ticket.assigned',
    entityType: 'ticket',
    entityId: ticket.id,
    changes: {
      assigneeId: [change.previousAssigneeId, change.assigneeId],
      teamId: change.teamId,
      queueId: change.queueId,
      by: change.by,
    },
  });
  await publishOnCommit(tx, workspaceId, {
    type: 'ticket.assigned',
    data: {
      ticketId: ticket.id,
      number: ticket.number,
      assigneeId: change.assigneeId,
      previousAssigneeId: change.previousAssigneeId,
      teamId: change.teamId,
      queueId: change.queueId,
      by: change.by,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Assigning an existing ticket

export interface AssignInput {
  /** An agent (manual), null to unassign; absent: let the team's rule choose. */
  agentId?: string | null;
  teamId?: string | null;
  queueId?: string | null;
  version?: number;
}

export interface AssignmentOutcome {
  assigneeId: string | null;
  teamId: string | null;
  queueId: string | null;
  by: AssignedBy | null;
  /** Why nobody was assigned by the rule, when nobody was. */
  reason?: string;
}

export async function assignTicket(ctx: WorkspaceContext, ticketId: string, input: AssignInput, at = new Date()): Promise<AssignmentOutcome> {
  return inTransaction(ctx.db, async (tx) => {
    const row = await lockTicket(tx, ctx.workspaceId, ticketId);
    if (!row) throw notFound('Ticket');
    checkVersion('ticket', input.version, row.version);
    if (row.status === 'closed') throw unprocessable('A closed ticket cannot be assigned');
    let queueId = row.queue_id;
    let teamId = row.team_id;
    if (input.queueId !== undefined) {
      if (input.queueId) {
        const queue = await queueInWorkspace(tx, ctx.workspaceId, input.queueId);
        if (!queue) throw unprocessable('queueId is not a queue of this workspace');
        if (input.teamId === undefined && queue.team_id) teamId = queue.team_id;
      }
      queueId = input.queueId;
    }
    if (input.teamId !== undefined) {
      if (input.teamId) {
        const team = await tx.selectFrom('teams').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', input.teamId).executeTakeFirst();
        if (!team) throw unprocessable('teamId is not a team of this workspace');
      }
      teamId = input.teamId;
    }
    let assigneeId: string | null;
    let by: AssignedBy | null;
    let reason: string | undefined;
    if (input.agentId !== undefined) {
      if (input.agentId && !(await agentInWorkspace(tx, ctx.workspaceId, input.agentId))) {
        throw unprocessable('agentId is not an active agent of this workspace');
      }
      assigneeId = input.agentId;
      by = input.agentId ? 'manual' : null;
    } else {
      if (!teamId) throw unprocessable('The ticket has no team to assign it from: give a teamId, a queueId with a team, or an agentId');
      const pick = await autoAssignInTx(tx, ctx.workspaceId, teamId, at);
      if (pick.mode === 'manual') throw unprocessable('This team assigns manually: give an agentId');
      assigneeId = pick.agentId;
      by = pick.agentId ? pick.mode : null;
      if (!pick.agentId) reason = 'No agent of the team is eligible now (available, under the open-ticket limit); the ticket waits unassigned';
    }
    const changed = assigneeId !== row.assignee_id || teamId !== row.team_id || queueId !== row.queue_id;
    if (changed) {
      await tx
        .updateTable('tickets')
        .set({ assignee_id: assigneeId, team_id: teamId, queue_id: queueId, version: row.version + 1, updated_at: at })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', ticketId)
        .execute();
      await announceAssignment(tx, ctx.workspaceId, ctx.actor, row, { assigneeId, previousAssigneeId: row.assignee_id, teamId, queueId, by });
      const fields = diff({ assigneeId: row.assignee_id, teamId: row.team_id, queueId: row.queue_id }, { assigneeId, teamId, queueId });
      await publishOnCommit(tx, ctx.workspaceId, {
        type: 'ticket.updated',
        data: { ticketId, number: row.number, version: row.version + 1, status: row.status, changed: Object.keys(fields) },
      });
    }
    return { assigneeId, teamId, queueId, by, ...(reason ? { reason } : {}) };
  });
}

// ---------------------------------------------------------------------------------------------
// Queues

export interface Queue {
  id: string;
  name: string;
  teamId: string | null;
  rules: { channels: string[]; locales: string[]; tags: string[] };
  position: number;
  active: boolean;
  /** Unsolved tickets in the queue, and how many of them nobody has yet. */
  counts: { unsolved: number; unassigned: number };
  createdAt: string;
  updatedAt: string;
  /** Goes up by one with every change; give it back when editing to be told of a newer one. */
  version: number;
}

export interface QueueInput {
  name: string;
  teamId?: string | null;
  rules?: { channels?: string[]; locales?: string[]; tags?: string[] };
  position?: number;
  active?: boolean;
}

async function queueCounts(db: Kysely<DB>, workspaceId: string, ids: string[]): Promise<Map<string, { unsolved: number; unassigned: number }>> {
  const map = new Map<string, { unsolved: number; unassigned: number }>();
  if (!ids.length) return map;
  const rows = await db
    .selectFrom('tickets')
    .select([
      'queue_id',
      sql<number>`count(*)::int`.as('unsolved'),
      sql<number>`(count(*) FILTER (WHERE assignee_id IS NULL))::int`.as('unassigned'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('queue_id', 'in', ids)
    .where('status', 'in', [...UNSOLVED_STATUSES])
    .groupBy('queue_id')
    .execute();
  for (const r of rows) if (r.queue_id) map.set(r.queue_id, { unsolved: Number(r.unsolved), unassigned: Number(r.unassigned) });
  return map;
}

function toQueue(row: Selectable<QueuesTable>, counts: { unsolved: number; unassigned: number } | undefined): Queue {
  return {
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    rules: { channels: row.match_channels, locales: row.match_locales, tags: row.match_tags },
    position: row.position,
    active: row.active,
    counts: counts ?? { unsolved: 0, unassigned: 0 },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

export async function listQueues(ctx: WorkspaceContext): Promise<Queue[]> {
  const rows = await ctx.db.selectFrom('queues').selectAll().where('workspace_id', '=', ctx.workspaceId).orderBy('position').orderBy('id').execute();
  const counts = await queueCounts(ctx.db, ctx.workspaceId, rows.map((r) => r.id));
  return rows.map((r) => toQueue(r, counts.get(r.id)));
}

export async function getQueue(ctx: WorkspaceContext, id: string): Promise<Queue> {
  const row = await queueInWorkspace(ctx.db, ctx.workspaceId, id);
  if (!row) throw notFound('Queue');
  return toQueue(row, (await queueCounts(ctx.db, ctx.workspaceId, [id])).get(id));
}

async function checkTeam(db: Kysely<DB>, workspaceId: string, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  const team = await db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst();
  if (!team) throw unprocessable('teamId is not a team of this workspace');
}

export async function createQueue(ctx: WorkspaceContext, input: QueueInput, at = new Date()): Promise<Queue> {
  const id = newId(at);
  try {
    await inTransaction(ctx.db, async (tx) => {
      await checkTeam(tx, ctx.workspaceId, input.teamId);
      await tx
        .insertInto('queues')
        .values({
          id,
          workspace_id: ctx.workspaceId,
          name: input.name,
          team_id: input.teamId ?? null,
          match_channels: input.rules?.channels ?? [],
          match_locales: input.rules?.locales ?? [],
          match_tags: input.rules?.tags ?? [],
          position: input.position ?? 0,
          active: input.active ?? true,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'queue.created', entityType: 'queue', entityId: id, changes: { ...input } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A queue with this name already exists');
    throw error;
  }
  return getQueue(ctx, id);
}

export async function updateQueue(
  ctx: WorkspaceContext,
  id: string,
  change: Partial<QueueInput> & { version?: number | undefined },
  at = new Date(),
): Promise<Queue> {
  const { version, ...input } = change;
  const before = await getQueue(ctx, id);
  try {
    await inTransaction(ctx.db, async (tx) => {
      const current = await tx.selectFrom('queues').select('version').where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!current) throw notFound('Queue');
      checkVersion('queue', version, current.version);
      await checkTeam(tx, ctx.workspaceId, input.teamId);
      await tx
        .updateTable('queues')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
          ...(input.rules?.channels !== undefined ? { match_channels: input.rules.channels } : {}),
          ...(input.rules?.locales !== undefined ? { match_locales: input.rules.locales } : {}),
          ...(input.rules?.tags !== undefined ? { match_tags: input.rules.tags } : {}),
          ...(input.position !== undefined ? { position: input.position } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
          updated_at: at,
          version: current.version + 1,
        })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', id)
        .execute();
      const { rules, ...rest } = input;
      await recordAudit(tx, ctx.workspaceId, ctx.actor, {
        action: 'queue.updated',
        entityType: 'queue',
        entityId: id,
        changes: {
          ...diff(before as unknown as Record<string, unknown>, rest),
          ...(rules ? { rules: [before.rules, { ...before.rules, ...rules }] } : {}),
        },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A queue with this name already exists');
    throw error;
  }
  return getQueue(ctx, id);
}

/** Deletes a queue; its tickets stay where they are, in no queue. */
export async function deleteQueue(ctx: WorkspaceContext, id: string): Promise<void> {
  await inTransaction(ctx.db, async (tx) => {
    const row = await tx.deleteFrom('queues').where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).returning(['name']).executeTakeFirst();
    if (!row) throw notFound('Queue');
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'queue.deleted', entityType: 'queue', entityId: id, changes: { name: row.name } });
  });
}

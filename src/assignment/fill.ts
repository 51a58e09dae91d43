// Tickets that arrived while nobody of their team was eligible wait unassigned; they are handed
// out as soon as someone can take them: when an agent of the team comes online or back to
// "available", when a ticket of theirs is solved (under an open-ticket cap), when the team's
// rule changes — through a durable `assignment.fill` job per team — or on demand. Each ticket
// is assigned in its own transaction under the team-row lock, oldest first.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueue, registerWorker } from '../jobs/index.ts';
import type { Actor } from '../shared/context.ts';
import { announceAssignment, autoAssignInTx, UNSOLVED_STATUSES } from './service.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'assignment.fill': { workspaceId: string; teamId: string };
  }
}

const SYSTEM: Actor = { type: 'system', id: null, role: 'owner' };
/** At most this many tickets per run; a full run queues the next. */
const FILL_BATCH = 200;

export interface FillResult {
  assigned: Array<{ ticketId: string; agentId: string }>;
  /** Unsolved tickets of the team still without an agent. */
  waiting: number;
}

/** Assigns the team's waiting tickets, oldest first, while its rule finds someone eligible. */
export async function fillTeam(db: Kysely<DB>, workspaceId: string, teamId: string, actor: Actor = SYSTEM, at = new Date()): Promise<FillResult> {
  const assigned: FillResult['assigned'] = [];
  for (let i = 0; i < FILL_BATCH; i++) {
    const outcome = await db.transaction().execute(async (tx) => {
      const ticket = await tx
        .selectFrom('tickets')
        .select(['id', 'number', 'queue_id', 'version'])
        .where('workspace_id', '=', workspaceId)
        .where('team_id', '=', teamId)
        .where('assignee_id', 'is', null)
        .where('status', 'in', [...UNSOLVED_STATUSES])
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!ticket) return null;
      const pick = await autoAssignInTx(tx, workspaceId, teamId, at);
      if (!pick.agentId || pick.mode === 'manual') return null;
      await tx
        .updateTable('tickets')
        .set({ assignee_id: pick.agentId, version: ticket.version + 1, updated_at: at })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', ticket.id)
        .execute();
      await announceAssignment(tx, workspaceId, actor, ticket, {
        assigneeId: pick.agentId,
        previousAssigneeId: null,
        teamId,
        queueId: ticket.queue_id,
        by: pick.mode,
      });
      return { ticketId: ticket.id, agentId: pick.agentId };
    });
    if (!outcome) break;
    assigned.push(outcome);
  }
  const waiting = await db
    .selectFrom('tickets')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .where('assignee_id', 'is', null)
    .where('status', 'in', [...UNSOLVED_STATUSES])
    .executeTakeFirstOrThrow();
  return { assigned, waiting: Number(waiting.n) };
}

/**
 * Queues a fill of each automatic team of this agent that has waiting tickets (or of one team),
 * inside the caller's transaction; at most one queued fill per team.
 */
export async function queueFill(tx: Kysely<DB>, workspaceId: string, scope: { agentId: string } | { teamId: string }): Promise<void> {
  let q = tx
    .selectFrom('teams')
    .select('teams.id')
    .where('teams.workspace_id', '=', workspaceId)
    .where('teams.assignment_mode', '!=', 'manual')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('tickets')
          .select(sql`1`.as('one'))
          .whereRef('tickets.team_id', '=', 'teams.id')
          .where('tickets.workspace_id', '=', workspaceId)
          .where('tickets.assignee_id', 'is', null)
          .where('tickets.status', 'in', [...UNSOLVED_STATUSES]),
      ),
    );
  if ('teamId' in scope) q = q.where('teams.id', '=', scope.teamId);
  else {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('team_members')
          .select(sql`1`.as('one'))
          .whereRef('team_members.team_id', '=', 'teams.id')
          .where('team_members.workspace_id', '=', workspaceId)
          .where('team_members.agent_id', '=', scope.agentId),
      ),
    );
  }
  for (const team of await q.execute()) {
    await enqueue(tx, 'assignment.fill', { workspaceId, teamId: team.id }, { singletonKey: `fill:${team.id}` });
  }
}

registerWorker(
  'assignment.fill',
  async (data, ctx) => {
    const result = await fillTeam(ctx.db, data.workspaceId, data.teamId);
    // A full batch may have left more that can be assigned: go on in a fresh job.
    if (result.assigned.length >= FILL_BATCH && result.waiting > 0) {
      await ctx.db.transaction().execute((tx) => queueFill(tx, data.workspaceId, { teamId: data.teamId }));
    }
  },
  { retryLimit: 3, retryDelaySeconds: 5, expireInSeconds: 300 },
);

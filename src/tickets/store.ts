// SQL for tickets, messages and attachments. Every statement is scoped to one workspace.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB, TicketRow } from '../db/schema.ts';
import type { TicketLifecycle, TicketStatus } from '../domain/tickets.ts';

export const SEARCH_TEXT_LIMIT = 20_000;

export function lifecycleOf(row: TicketRow): TicketLifecycle {
  return {
    status: row.status as TicketStatus,
    firstCustomerMessageAt: row.first_customer_message_at,
    firstResponseAt: row.first_response_at,
    lastCustomerMessageAt: row.last_customer_message_at,
    lastAgentReplyAt: row.last_agent_reply_at,
    publicReplyCount: row.public_reply_count,
    solvedAt: row.solved_at,
    reopenedAt: row.reopened_at,
    reopenCount: row.reopen_count,
    closedAt: row.closed_at,
  };
}

export function lifecycleColumns(l: TicketLifecycle) {
  return {
    status: l.status,
    first_customer_message_at: l.firstCustomerMessageAt,
    first_response_at: l.firstResponseAt,
    last_customer_message_at: l.lastCustomerMessageAt,
    last_agent_reply_at: l.lastAgentReplyAt,
    public_reply_count: l.publicReplyCount,
    solved_at: l.solvedAt,
    reopened_at: l.reopenedAt,
    reopen_count: l.reopenCount,
    closed_at: l.closedAt,
  };
}

/** Locks the ticket row for the rest of the transaction, so concurrent changes queue up. */
export async function lockTicket(tx: Kysely<DB>, workspaceId: string, id: string): Promise<TicketRow | undefined> {
  return tx
    .selectFrom('tickets')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The workspace's next ticket number (#1, #2, …), as an expression for the ticket's INSERT: drawn
 * from the workspace's sequence (migration 058) by the statement itself, so it costs no round
 * trip and holds no lock. Unique and increasing, not gap-free: a create that rolls back after
 * its INSERT leaves its number unused, as Zendesk's do.
 */
export function nextTicketNumber(workspaceId: string) {
  return sql<number>`next_ticket_number(${workspaceId}::uuid)`;
}

/** Appends normalised text to a ticket's search text, capped so one long thread stays cheap to index. */
export function appendSearchText(normalised: string) {
  return sql<string>`left(search_text || ' ' || ${normalised}, ${SEARCH_TEXT_LIMIT})`;
}

export async function agentInWorkspace(db: Kysely<DB>, workspaceId: string, agentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('agents')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', agentId)
    .where('active', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}

export async function teamInWorkspace(db: Kysely<DB>, workspaceId: string, teamId: string): Promise<boolean> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', teamId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function customerInWorkspace(db: Kysely<DB>, workspaceId: string, customerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function queueInWorkspace(db: Kysely<DB>, workspaceId: string, queueId: string): Promise<boolean> {
  const row = await db
    .selectFrom('queues')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', queueId)
    .executeTakeFirst();
  return row !== undefined;
}

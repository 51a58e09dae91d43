// Agents' in-app notifications. Today one kind: an @mention in an internal note. The
// notification is written in the note's transaction and announced only to the agent named
// (a realtime event with agentId), who lists and marks their own notifications.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { findAtMentions } from '../domain/at-mentions.ts';
import { publishOnCommit } from '../realtime/events.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { actingAgentId } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

const EXCERPT_CHARS = 200;

export interface Notification {
  id: string;
  kind: 'mention';
  ticket: { id: string; number: number; subject: string } | null;
  messageId: string | null;
  by: { id: string; name: string } | null;
  excerpt: string;
  createdAt: string;
  readAt: string | null;
}

/** Up to EXCERPT_CHARS of the note around the mention, on word boundaries where possible. */
function excerptAround(text: string, index: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_CHARS) return flat;
  const at = Math.min(index, flat.length);
  let start = Math.max(0, at - 60);
  if (start > 0) start = flat.indexOf(' ', start) + 1 || start;
  const slice = flat.slice(start, start + EXCERPT_CHARS);
  return `${start > 0 ? '…' : ''}${slice}${start + EXCERPT_CHARS < flat.length ? '…' : ''}`;
}

/**
 * Resolves the @mentions of an internal note and notifies each agent named (not the author),
 * inside the note's transaction. Returns the ids of the agents mentioned.
 */
export async function notifyMentionsInTx(
  tx: Kysely<DB>,
  workspaceId: string,
  note: { ticketId: string; ticketNumber: number; messageId: string; text: string; authorAgentId: string | null; at: Date },
): Promise<string[]> {
  if (!note.text.includes('@')) return [];
  const agents = await tx
    .selectFrom('agents')
    .select(['id', 'name', 'email'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', true)
    .execute();
  const mentions = findAtMentions(note.text, agents);
  if (mentions.length === 0) return [];
  const ids = mentions.map((m) => m.agentId);
  await tx
    .updateTable('messages')
    .set({ mentioned_agent_ids: ids })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', note.messageId)
    .execute();
  for (const mention of mentions) {
    if (mention.agentId === note.authorAgentId) continue;
    const id = newId(note.at);
    await tx
      .insertInto('notifications')
      .values({
        id,
        workspace_id: workspaceId,
        agent_id: mention.agentId,
        kind: 'mention',
        ticket_id: note.ticketId,
        message_id: note.messageId,
        actor_agent_id: note.authorAgentId,
        excerpt: excerptAround(note.text, mention.index),
        created_at: note.at,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await publishOnCommit(tx, workspaceId, {
      type: 'notification.created',
      agentId: mention.agentId,
      data: { notificationId: id, kind: 'mention', ticketId: note.ticketId, number: note.ticketNumber, messageId: note.messageId, byAgentId: note.authorAgentId },
    });
  }
  return ids;
}

function selectNotifications(db: Kysely<DB>, workspaceId: string, agentId: string) {
  return db
    .selectFrom('notifications as n')
    .leftJoin('tickets as t', (j) => j.onRef('t.id', '=', 'n.ticket_id').onRef('t.workspace_id', '=', 'n.workspace_id'))
    .leftJoin('agents as a', (j) => j.onRef('a.id', '=', 'n.actor_agent_id').onRef('a.workspace_id', '=', 'n.workspace_id'))
    .select([
      'n.id',
      'n.kind',
      'n.ticket_id',
      't.number as ticket_number',
      't.subject as ticket_subject',
      'n.message_id',
      'n.actor_agent_id',
      'a.name as actor_name',
      'n.excerpt',
      'n.created_at',
      'n.read_at',
    ])
    .where('n.workspace_id', '=', workspaceId)
    .where('n.agent_id', '=', agentId);
}

type NotificationRow = Awaited<ReturnType<ReturnType<typeof selectNotifications>['execute']>>[number];

function toNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    kind: r.kind as 'mention',
    ticket: r.ticket_id && r.ticket_number !== null && r.ticket_subject !== null ? { id: r.ticket_id, number: r.ticket_number, subject: r.ticket_subject } : null,
    messageId: r.message_id,
    by: r.actor_agent_id && r.actor_name !== null ? { id: r.actor_agent_id, name: r.actor_name } : null,
    excerpt: r.excerpt,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at ? r.read_at.toISOString() : null,
  };
}

/** The caller's own notifications, newest first; a token without an agent has none. */
export async function listNotifications(
  ctx: WorkspaceContext,
  f: { unread?: boolean; limit: number; afterId?: string },
): Promise<{ rows: Notification[]; unreadCount: number }> {
  const agentId = actingAgentId(ctx.actor);
  if (!agentId) return { rows: [], unreadCount: 0 };
  let q = selectNotifications(ctx.db, ctx.workspaceId, agentId);
  if (f.unread) q = q.where('n.read_at', 'is', null);
  if (f.afterId) q = q.where('n.id', '<', f.afterId);
  const rows = await q.orderBy('n.id', 'desc').limit(f.limit + 1).execute();
  const unread = await ctx.db
    .selectFrom('notifications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', ctx.workspaceId)
    .where('agent_id', '=', agentId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { rows: rows.map(toNotification), unreadCount: Number(unread.n) };
}

/** Marks one of the caller's notifications read (or unread again). */
export async function markNotification(ctx: WorkspaceContext, id: string, read: boolean, at = new Date()): Promise<Notification> {
  const agentId = actingAgentId(ctx.actor);
  if (!agentId) throw notFound('Notification');
  const updated = await ctx.db
    .updateTable('notifications')
    .set({ read_at: read ? sql<Date>`coalesce(read_at, ${at})` : null })
    .where('workspace_id', '=', ctx.workspaceId)
    .where('agent_id', '=', agentId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw notFound('Notification');
  const row = await selectNotifications(ctx.db, ctx.workspaceId, agentId).where('n.id', '=', id).executeTakeFirstOrThrow();
  return toNotification(row);
}

/** Marks the given notifications of the caller read, or all of them; returns how many changed. */
export async function markNotificationsRead(ctx: WorkspaceContext, ids: string[] | undefined, at = new Date()): Promise<number> {
  const agentId = actingAgentId(ctx.actor);
  if (!agentId) return 0;
  let q = ctx.db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('workspace_id', '=', ctx.workspaceId)
    .where('agent_id', '=', agentId)
    .where('read_at', 'is', null);
  if (ids) {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

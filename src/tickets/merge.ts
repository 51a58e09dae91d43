// Merging a ticket into another, and splitting messages out of a ticket into a new one. Each
// runs in one transaction with its audit entries, internal notes that say what happened, SLA
// re-evaluation and realtime events; everything that points at a moved message (e-mail
// threading ids, outgoing mails, notifications) moves with it, so a customer replying to the
// old e-mail thread lands in the ticket that now holds the conversation.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB, TicketRow } from '../db/schema.ts';
import type { TicketStatus } from '../domain/tickets.ts';
import { noteLocale, systemNoteText } from './system-notes.ts';
import type { NoteLocale } from './system-notes.ts';
import { normalizeForSearch } from '../domain/text.ts';
import { recordAudit } from '../audit/store.ts';
import { publishOnCommit } from '../realtime/events.ts';
import { refreshTicketSla } from '../sla/service.ts';
import { logStatus } from '../sla/store.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { actingAgentId } from '../shared/context.ts';
import { AppError, notFound, unprocessable } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { messageBody } from './content.ts';
import { createTicket, getTicket } from './service.ts';
import type { Ticket } from './service.ts';
import { appendSearchText, lockTicket } from './store.ts';

function inTransaction<T>(db: Kysely<DB>, work: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** The language TruthDesk's own notes are written in: the workspace's. */
async function workspaceNoteLocale(tx: Kysely<DB>, workspaceId: string): Promise<NoteLocale> {
  const row = await tx.selectFrom('workspaces').select('default_locale').where('id', '=', workspaceId).executeTakeFirst();
  return noteLocale(row?.default_locale);
}

async function addSystemNote(tx: Kysely<DB>, ctx: WorkspaceContext, ticketId: string, text: string, at: Date): Promise<string> {
  const id = newId(at);
  const body = messageBody({ text });
  await tx
    .insertInto('messages')
    .values({
      id,
      workspace_id: ctx.workspaceId,
      ticket_id: ticketId,
      kind: 'note',
      author_agent_id: actingAgentId(ctx.actor),
      author_customer_id: null,
      body_text: body.text,
      body_html: body.html,
      created_at: at,
    })
    .execute();
  return id;
}

/** Moves messages, and everything keyed by them, to another ticket of the same workspace. */
async function moveMessages(tx: Kysely<DB>, workspaceId: string, messageIds: string[], toTicketId: string): Promise<void> {
  if (messageIds.length === 0) return;
  await tx.updateTable('messages').set({ ticket_id: toTicketId }).where('workspace_id', '=', workspaceId).where('id', 'in', messageIds).execute();
  await tx
    .updateTable('email_message_ids')
    .set({ ticket_id: toTicketId })
    .where('workspace_id', '=', workspaceId)
    .where('message_row_id', 'in', messageIds)
    .execute();
  await tx
    .updateTable('outbound_emails')
    .set({ ticket_id: toTicketId })
    .where('workspace_id', '=', workspaceId)
    .where('message_row_id', 'in', messageIds)
    .execute();
  await tx
    .updateTable('notifications')
    .set({ ticket_id: toTicketId })
    .where('workspace_id', '=', workspaceId)
    .where('message_id', 'in', messageIds)
    .execute();
  // Pain-point quotes taken from these messages link to the ticket that holds them now.
  for (const table of ['pain_sources', 'pain_phrases'] as const) {
    await tx
      .updateTable(table)
      .set({ ticket_id: toTicketId })
      .where('workspace_id', '=', workspaceId)
      .where('source_type', '=', 'message')
      .where('source_id', 'in', messageIds)
      .execute();
  }
}

/**
 * Re-derives a ticket's conversation facts (first and last customer message, first response,
 * last public reply, reply count) from the messages it holds now.
 */
async function recomputeConversationFacts(tx: Kysely<DB>, workspaceId: string, ticketId: string): Promise<void> {
  await sql`
    UPDATE tickets t SET
      first_customer_message_at = f.first_customer,
      last_customer_message_at = f.last_customer,
      first_response_at = CASE WHEN f.first_customer IS NULL THEN NULL ELSE f.first_reply END,
      last_agent_reply_at = f.last_reply,
      public_reply_count = f.replies
    FROM (
      SELECT
        min(created_at) FILTER (WHERE kind = 'customer') AS first_customer,
        max(created_at) FILTER (WHERE kind = 'customer') AS last_customer,
        min(created_at) FILTER (WHERE kind = 'reply' AND NOT is_auto_reply
          AND created_at >= (SELECT min(created_at) FROM messages m2
                             WHERE m2.workspace_id = ${workspaceId} AND m2.ticket_id = ${ticketId} AND m2.kind = 'customer')) AS first_reply,
        max(created_at) FILTER (WHERE kind = 'reply' AND NOT is_auto_reply) AS last_reply,
        (count(*) FILTER (WHERE kind = 'reply' AND NOT is_auto_reply))::int AS replies
      FROM messages
      WHERE workspace_id = ${workspaceId} AND ticket_id = ${ticketId}
    ) f
    WHERE t.workspace_id = ${workspaceId} AND t.id = ${ticketId}
  `.execute(tx);
}

/** Locks two tickets in id order (so two merges of the same pair cannot deadlock). */
async function lockPair(tx: Kysely<DB>, workspaceId: string, a: string, b: string): Promise<[TicketRow | undefined, TicketRow | undefined]> {
  if (a < b) {
    const ra = await lockTicket(tx, workspaceId, a);
    return [ra, await lockTicket(tx, workspaceId, b)];
  }
  const rb = await lockTicket(tx, workspaceId, b);
  return [await lockTicket(tx, workspaceId, a), rb];
}

export interface MergeInput {
  /** The ticket that takes the conversation. */
  into: string;
  /** Merging tickets of two different customers must be asked for explicitly. */
  allowDifferentCustomers?: boolean;
}

/**
 * Merges ticket `sourceId` into `input.into`: every message (with attachments, e-mail thread
 * ids, outgoing mails, notifications), calls, mentions and chat visitors move to the target;
 * tags join; the source is closed with `mergedIntoId` and a note on each side says so.
 * Refused (422, nothing changed): into itself, a closed or merged source or target, two
 * customers unless allowed. A target outside the workspace is a 422 like any foreign reference.
 */
export async function mergeTickets(ctx: WorkspaceContext, sourceId: string, input: MergeInput, at = new Date()): Promise<{ ticket: Ticket; merged: Ticket }> {
  await inTransaction(ctx.db, async (tx) => {
    if (sourceId === input.into) {
      if (!(await lockTicket(tx, ctx.workspaceId, sourceId))) throw notFound('Ticket');
      throw unprocessable('A ticket cannot be merged into itself');
    }
    const [source, target] = await lockPair(tx, ctx.workspaceId, sourceId, input.into);
    if (!source) throw notFound('Ticket');
    if (!target) throw unprocessable('into is not a ticket of this workspace');
    if (source.merged_into_id) throw unprocessable(`Ticket #${source.number} is already merged into another ticket`);
    if (source.status === 'closed') throw unprocessable(`Ticket #${source.number} is closed; closed tickets are final`);
    if (target.merged_into_id || target.status === 'closed') {
      throw unprocessable(`Ticket #${target.number} is closed${target.merged_into_id ? ' (merged into another)' : ''}: merge into an open ticket`);
    }
    if (source.customer_id !== target.customer_id && !input.allowDifferentCustomers) {
      throw new AppError(
        422,
        'unprocessable',
        `Tickets #${source.number} and #${target.number} belong to different customers; send allowDifferentCustomers: true to merge them anyway`,
      );
    }
    const moved = await tx
      .selectFrom('messages')
      .select('id')
      .where('workspace_id', '=', ctx.workspaceId)
      .where('ticket_id', '=', sourceId)
      .execute();
    const messageIds = moved.map((m) => m.id);
    await moveMessages(tx, ctx.workspaceId, messageIds, target.id);
    // Everything else that belongs to the source's conversation follows it.
    for (const table of ['email_message_ids', 'outbound_emails', 'calls', 'mentions', 'chat_visitors', 'notifications', 'review_followups'] as const) {
      await tx.updateTable(table).set({ ticket_id: target.id }).where('workspace_id', '=', ctx.workspaceId).where('ticket_id', '=', sourceId).execute();
    }
    await recomputeConversationFacts(tx, ctx.workspaceId, target.id);
    const tags = [...new Set([...target.tags, ...source.tags])];
    await tx
      .updateTable('tickets')
      .set({
        tags,
        search_text: appendSearchText(normalizeForSearch(`${source.subject} ${source.search_text}`)),
        version: target.version + 1,
        updated_at: at,
      })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', target.id)
      .execute();
    // The source is closed without being solved: it was not resolved on its own.
    await tx
      .updateTable('tickets')
      .set({ status: 'closed', closed_at: at, merged_into_id: target.id, version: source.version + 1, updated_at: at })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', sourceId)
      .execute();
    await recomputeConversationFacts(tx, ctx.workspaceId, sourceId);
    // A merged ticket was not resolved on its own: no satisfaction survey goes out for it.
    await tx
      .updateTable('survey_invitations')
      .set({ status: 'cancelled' })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('ticket_id', '=', sourceId)
      .where('status', '=', 'scheduled')
      .execute();
    const locale = await workspaceNoteLocale(tx, ctx.workspaceId);
    await addSystemNote(tx, ctx, target.id, systemNoteText('mergedHere', locale, source, messageIds.length), at);
    await addSystemNote(tx, ctx, sourceId, systemNoteText('mergedInto', locale, target), at);
    await logStatus(tx, ctx.workspaceId, sourceId, source.status as TicketStatus, 'closed', at);
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'ticket.merged',
      entityType: 'ticket',
      entityId: target.id,
      changes: { mergedTicketId: sourceId, mergedTicketNumber: source.number, messages: messageIds.length, customerChanged: source.customer_id !== target.customer_id },
    });
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'ticket.merged_into',
      entityType: 'ticket',
      entityId: sourceId,
      changes: { status: [source.status, 'closed'], mergedIntoId: target.id, mergedIntoNumber: target.number },
    });
    await refreshTicketSla(tx, ctx.workspaceId, sourceId, at);
    await refreshTicketSla(tx, ctx.workspaceId, target.id, at);
    await publishOnCommit(tx, ctx.workspaceId, {
      type: 'ticket.merged',
      data: { ticketId: target.id, number: target.number, mergedTicketId: sourceId, mergedTicketNumber: source.number },
    });
    await publishOnCommit(tx, ctx.workspaceId, {
      type: 'ticket.updated',
      data: { ticketId: sourceId, number: source.number, version: source.version + 1, status: 'closed', changed: ['status', 'mergedIntoId'] },
    });
    await publishOnCommit(tx, ctx.workspaceId, {
      type: 'ticket.updated',
      data: { ticketId: target.id, number: target.number, version: target.version + 1, status: target.status, changed: ['messages', 'tags'] },
    });
  });
  const [ticket, merged] = await Promise.all([getTicket(ctx, input.into), getTicket(ctx, sourceId)]);
  return { ticket, merged };
}

export type SplitInput = { subject?: string } & ({ messageIds: string[]; fromMessageId?: never } | { fromMessageId: string; messageIds?: never });

/**
 * Splits messages out of a ticket into a new ticket of the same customer (same channel,
 * priority, team, queue, assignee and tags): the chosen messages, or one message and every
 * later one. At least one message must stay; a closed ticket cannot be split.
 */
export async function splitTicket(ctx: WorkspaceContext, ticketId: string, input: SplitInput, at = new Date()): Promise<{ ticket: Ticket; source: Ticket }> {
  const newTicketId = await inTransaction(ctx.db, async (tx) => {
    const source = await lockTicket(tx, ctx.workspaceId, ticketId);
    if (!source) throw notFound('Ticket');
    if (source.status === 'closed') throw unprocessable(`Ticket #${source.number} is closed; closed tickets are final`);
    const messages = await tx
      .selectFrom('messages')
      .select(['id', 'body_text'])
      .where('workspace_id', '=', ctx.workspaceId)
      .where('ticket_id', '=', ticketId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    let chosen: typeof messages;
    if (input.fromMessageId !== undefined) {
      const start = messages.findIndex((m) => m.id === input.fromMessageId);
      if (start === -1) throw unprocessable('fromMessageId is not a message of this ticket');
      chosen = messages.slice(start);
    } else {
      const wanted = new Set(input.messageIds);
      chosen = messages.filter((m) => wanted.has(m.id));
      if (chosen.length !== wanted.size) throw unprocessable('messageIds must all be messages of this ticket');
    }
    if (chosen.length === 0) throw unprocessable('Choose at least one message to split out');
    if (chosen.length === messages.length) throw unprocessable('A split must leave at least one message in the ticket');

    const created = await createTicket(
      { ...ctx, db: tx },
      {
        subject: input.subject ?? source.subject,
        customerId: source.customer_id,
        channel: source.channel as Ticket['channel'],
        priority: source.priority as Ticket['priority'],
        status: 'open',
        assigneeId: source.assignee_id,
        teamId: source.team_id,
        queueId: source.queue_id,
        tags: source.tags,
        createdAt: at,
      },
    );
    const ids = chosen.map((m) => m.id);
    await moveMessages(tx, ctx.workspaceId, ids, created.id);
    // Calls logged against a moved message's time are not tied to messages; they stay.
    await recomputeConversationFacts(tx, ctx.workspaceId, created.id);
    await recomputeConversationFacts(tx, ctx.workspaceId, ticketId);
    await tx
      .updateTable('tickets')
      .set({
        split_from_id: ticketId,
        search_text: appendSearchText(normalizeForSearch(chosen.map((m) => m.body_text).join(' ')).slice(0, 20_000)),
      })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', created.id)
      .execute();
    await tx
      .updateTable('tickets')
      .set({ version: source.version + 1, updated_at: at })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', ticketId)
      .execute();
    const locale = await workspaceNoteLocale(tx, ctx.workspaceId);
    await addSystemNote(tx, ctx, created.id, systemNoteText('splitFrom', locale, source, ids.length), at);
    await addSystemNote(tx, ctx, ticketId, systemNoteText('splitOut', locale, created, ids.length), at);
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'ticket.split',
      entityType: 'ticket',
      entityId: ticketId,
      changes: { newTicketId: created.id, newTicketNumber: created.number, messageIds: ids },
    });
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'ticket.split_from',
      entityType: 'ticket',
      entityId: created.id,
      changes: { splitFromId: ticketId, splitFromNumber: source.number, messageIds: ids },
    });
    await refreshTicketSla(tx, ctx.workspaceId, created.id, at);
    await refreshTicketSla(tx, ctx.workspaceId, ticketId, at);
    await publishOnCommit(tx, ctx.workspaceId, {
      type: 'ticket.split',
      data: { ticketId, number: source.number, newTicketId: created.id, newTicketNumber: created.number },
    });
    await publishOnCommit(tx, ctx.workspaceId, {
      type: 'ticket.updated',
      data: { ticketId, number: source.number, version: source.version + 1, status: source.status, changed: ['messages'] },
    });
    return created.id;
  });
  const [ticket, source] = await Promise.all([getTicket(ctx, newTicketId), getTicket(ctx, ticketId)]);
  return { ticket, source };
}

/** The ticket a conversation lives in now: follows merges (a few hops at most). */
export async function currentTicketId(db: Kysely<DB>, workspaceId: string, ticketId: string): Promise<string> {
  let id = ticketId;
  for (let hop = 0; hop < 10; hop++) {
    const row = await db.selectFrom('tickets').select('merged_into_id').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    if (!row?.merged_into_id) return id;
    id = row.merged_into_id;
  }
  return id;
}

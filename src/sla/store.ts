// SQL for SLA policies, business hours, a ticket's history and its applied targets. Every
// statement is scoped to one workspace.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { BusinessCalendar, Calendar } from '../domain/sla/calendar.ts';
import type { SlaHistoryEvent, SlaTargets, TicketHistory } from '../domain/sla/evaluate.ts';
import type { TicketStatus } from '../domain/tickets.ts';

export async function loadBusinessCalendar(db: Kysely<DB>, workspaceId: string): Promise<BusinessCalendar | null> {
  const row = await db.selectFrom('business_hours').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) return null;
  return { timeZone: row.time_zone, week: row.week, holidays: row.holidays };
}

/** The calendar an applied SLA runs on: business hours if it uses them and they are set. */
export async function calendarFor(db: Kysely<DB>, workspaceId: string, useBusinessHours: boolean): Promise<Calendar> {
  return useBusinessHours ? loadBusinessCalendar(db, workspaceId) : null;
}

export async function logStatus(
  tx: Kysely<DB>,
  workspaceId: string,
  ticketId: string,
  from: TicketStatus | null,
  to: TicketStatus,
  at: Date,
): Promise<void> {
  if (from === to) return;
  await tx.insertInto('ticket_status_log').values({ workspace_id: workspaceId, ticket_id: ticketId, from_status: from, to_status: to, at }).execute();
}

/** A ticket's history as the SLA clock reads it: statuses, customer messages, public replies. */
export async function loadHistory(db: Kysely<DB>, workspaceId: string, ticketId: string): Promise<TicketHistory | null> {
  const ticket = await db
    .selectFrom('tickets')
    .select(['created_at', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return null;
  const [statuses, messages] = await Promise.all([
    db
      .selectFrom('ticket_status_log')
      .select(['from_status', 'to_status', 'at'])
      .where('workspace_id', '=', workspaceId)
      .where('ticket_id', '=', ticketId)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('messages')
      .select(['kind', 'created_at', 'is_auto_reply'])
      .where('workspace_id', '=', workspaceId)
      .where('ticket_id', '=', ticketId)
      .where('kind', 'in', ['customer', 'reply'])
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  const first = statuses[0];
  const initialStatus = (first && first.from_status === null ? first.to_status : 'new') as TicketStatus;
  const events: SlaHistoryEvent[] = [];
  for (const s of statuses) {
    if (s === first && s.from_status === null) continue;
    events.push({ type: 'status', at: s.at, to: s.to_status as TicketStatus });
  }
  for (const m of messages) {
    events.push(m.kind === 'customer' ? { type: 'customer_message', at: m.created_at } : { type: 'agent_reply', at: m.created_at, auto: m.is_auto_reply });
  }
  return { createdAt: ticket.created_at, initialStatus, events };
}

export function targetsOf(value: unknown): SlaTargets {
  const v = (value ?? {}) as Partial<SlaTargets>;
  return {
    firstResponseMinutes: v.firstResponseMinutes ?? null,
    nextResponseMinutes: v.nextResponseMinutes ?? null,
    resolutionMinutes: v.resolutionMinutes ?? null,
  };
}

// Phone calls: a log of calls (by agents or a telephony integration), each tied to a customer
// and optionally a ticket — an existing one, or one opened for the call — and recorded as a
// second-moment touchpoint whose valence comes from the call notes.
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/store.ts';
import { recordChannelTouchpoint } from '../channels/touchpoint.ts';
import { findOrCreateCustomerByEmail } from '../customers/service.ts';
import type { DB } from '../db/schema.ts';
import type { TicketPriority } from '../domain/tickets.ts';
import { normalizeForSearch } from '../domain/text.ts';
import { publishOnCommit } from '../realtime/events.ts';
import { addMessage, createTicket } from '../tickets/service.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { actingAgentId } from '../shared/context.ts';
import { notFound, unprocessable } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export const CALL_OUTCOMES = ['answered', 'missed', 'voicemail', 'busy', 'failed', 'no_answer'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface Call {
  id: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  startedAt: string;
  durationSeconds: number;
  outcome: CallOutcome;
  recordingUrl: string | null;
  notes: string;
  agentId: string | null;
  customerId: string;
  ticketId: string | null;
  externalId: string | null;
  valence: string;
  createdAt: string;
}

export interface CreateCallInput {
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  startedAt?: Date;
  durationSeconds: number;
  outcome: CallOutcome;
  recordingUrl?: string | null;
  notes?: string;
  /** Defaults to the agent making the request. */
  agentId?: string | null;
  customerId?: string;
  customer?: { email?: string; name?: string; phone?: string };
  ticketId?: string;
  /** Open a ticket for this call (channel phone), with the notes as an internal note. */
  createTicket?: { subject?: string; priority?: TicketPriority };
  externalId?: string;
}

type CallRow = {
  id: string;
  direction: string;
  from_number: string;
  to_number: string;
  started_at: Date;
  duration_seconds: number;
  outcome: string;
  recording_url: string | null;
  notes: string;
  agent_id: string | null;
  customer_id: string;
  ticket_id: string | null;
  external_id: string | null;
  valence: string;
  created_at: Date;
};

const toCall = (r: CallRow): Call => ({
  id: r.id,
  direction: r.direction as Call['direction'],
  from: r.from_number,
  to: r.to_number,
  startedAt: r.started_at.toISOString(),
  durationSeconds: r.duration_seconds,
  outcome: r.outcome as CallOutcome,
  recordingUrl: r.recording_url,
  notes: r.notes,
  agentId: r.agent_id,
  customerId: r.customer_id,
  ticketId: r.ticket_id,
  externalId: r.external_id,
  valence: r.valence,
  createdAt: r.created_at.toISOString(),
});

export async function getCall(ctx: WorkspaceContext, id: string): Promise<Call> {
  const row = await ctx.db.selectFrom('calls').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Call');
  return toCall(row);
}

export async function listCalls(
  ctx: WorkspaceContext,
  f: { customerId?: string; ticketId?: string; limit: number; afterId?: string },
): Promise<Call[]> {
  let q = ctx.db.selectFrom('calls').selectAll().where('workspace_id', '=', ctx.workspaceId);
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.ticketId) q = q.where('ticket_id', '=', f.ticketId);
  if (f.afterId) q = q.where('id', '<', f.afterId);
  const rows = await q.orderBy('id', 'desc').limit(f.limit + 1).execute();
  return rows.map(toCall);
}

/** The call's customer, found or created inside the caller's transaction. */
async function customerForCall(ctx: WorkspaceContext, tx: Kysely<DB>, input: CreateCallInput, at: Date): Promise<string> {
  if (input.customerId) {
    const row = await tx.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', input.customerId).executeTakeFirst();
    if (!row) throw unprocessable('customerId is not a customer of this workspace');
    return row.id;
  }
  if (input.customer?.email) {
    return findOrCreateCustomerByEmail(ctx, tx, { email: input.customer.email, name: input.customer.name ?? null, phone: input.customer.phone ?? null }, at);
  }
  // By phone: the customer's number is the caller's for an inbound call, the callee's otherwise.
  const phone = input.customer?.phone ?? (input.direction === 'inbound' ? input.from : input.to);
  const known = await tx
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', ctx.workspaceId)
    .where('phone', '=', phone)
    .orderBy('id')
    .executeTakeFirst();
  if (known) return known.id;
  const id = newId(at);
  await tx
    .insertInto('customers')
    .values({
      id,
      workspace_id: ctx.workspaceId,
      phone,
      name: input.customer?.name ?? null,
      search_text: normalizeForSearch([input.customer?.name, phone].filter(Boolean).join(' ')),
      created_at: at,
      updated_at: at,
    })
    .execute();
  await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'customer.created', entityType: 'customer', entityId: id, changes: { phone, source: 'call' } });
  return id;
}

/** Logs a call; the same externalId twice returns the first call (`created: false`). */
export async function createCall(ctx: WorkspaceContext, input: CreateCallInput, now = new Date()): Promise<{ call: Call; created: boolean }> {
  if (input.externalId) {
    const existing = await ctx.db
      .selectFrom('calls')
      .select('id')
      .where('workspace_id', '=', ctx.workspaceId)
      .where('external_id', '=', input.externalId)
      .executeTakeFirst();
    if (existing) return { call: await getCall(ctx, existing.id), created: false };
  }
  if (input.ticketId && input.createTicket) throw unprocessable('Give either ticketId or createTicket, not both');
  const agentId = input.agentId !== undefined ? input.agentId : actingAgentId(ctx.actor);
  if (agentId) {
    const agent = await ctx.db.selectFrom('agents').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', agentId).executeTakeFirst();
    if (!agent) throw unprocessable('agentId is not an agent of this workspace');
  }
  let ticketId: string | null = null;
  if (input.ticketId) {
    const ticket = await ctx.db.selectFrom('tickets').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', input.ticketId).executeTakeFirst();
    if (!ticket) throw unprocessable('ticketId is not a ticket of this workspace');
    ticketId = ticket.id;
  }
  const startedAt = input.startedAt ?? now;
  const id = newId(now);
  try {
    // Customer, ticket, note, call, touchpoint and audit commit together or not at all.
    await ctx.db.transaction().execute(async (tx) => {
      const txCtx: WorkspaceContext = { ...ctx, db: tx };
      const customerId = await customerForCall(txCtx, tx, input, now);
      if (input.createTicket) {
        const party = input.direction === 'inbound' ? input.from : input.to;
        const ticket = await createTicket(txCtx, {
          subject: input.createTicket.subject ?? `Phone call ${input.direction === 'inbound' ? 'from' : 'to'} ${party}`,
          customerId,
          channel: 'phone',
          priority: input.createTicket.priority ?? 'normal',
          ...(agentId ? { assigneeId: agentId } : {}),
        });
        ticketId = ticket.id;
        if (input.notes) await addMessage(txCtx, ticket.id, { kind: 'note', text: input.notes });
      }
      await insertCall(txCtx, id, input, { agentId, customerId, ticketId, startedAt, now });
    });
  } catch (error) {
    // The same externalId logged at the same moment by another request: answer with that call
    // (this request's customer and ticket were rolled back with it).
    if ((error as { code?: string }).code !== '23505' || !input.externalId) throw error;
    const existing = await ctx.db.selectFrom('calls').select('id').where('workspace_id', '=', ctx.workspaceId).where('external_id', '=', input.externalId).executeTakeFirst();
    if (!existing) throw error;
    return { call: await getCall(ctx, existing.id), created: false };
  }
  return { call: await getCall(ctx, id), created: true };
}

/** Writes the call, its touchpoint and audit entry in the caller's transaction (ctx.db). */
async function insertCall(
  ctx: WorkspaceContext,
  id: string,
  input: CreateCallInput,
  p: { agentId: string | null; customerId: string; ticketId: string | null; startedAt: Date; now: Date },
): Promise<void> {
  const { agentId, customerId, ticketId, startedAt, now } = p;
  const tx = ctx.db;
  const valence = await recordChannelTouchpoint(tx, ctx.workspaceId, {
    key: `call:${id}`,
    event: input.direction === 'inbound' ? 'Phone Call Received' : 'Phone Call Made',
    stage: 'smot',
    channel: 'phone',
    customerId,
    anonymousId: null,
    ticketId,
    text: input.notes ?? '',
    properties: { callId: id, direction: input.direction, outcome: input.outcome, durationSeconds: input.durationSeconds },
    at: startedAt,
  });
  await tx
    .insertInto('calls')
    .values({
      id,
      workspace_id: ctx.workspaceId,
      direction: input.direction,
      from_number: input.from,
      to_number: input.to,
      started_at: startedAt,
      duration_seconds: input.durationSeconds,
      outcome: input.outcome,
      recording_url: input.recordingUrl ?? null,
      notes: input.notes ?? '',
      agent_id: agentId,
      customer_id: customerId,
      ticket_id: ticketId,
      external_id: input.externalId ?? null,
      valence,
      created_at: now,
    })
    .execute();
  await recordAudit(tx, ctx.workspaceId, ctx.actor, {
    action: 'call.created',
    entityType: 'call',
    entityId: id,
    changes: { direction: input.direction, outcome: input.outcome, customerId, ticketId },
  });
  await publishOnCommit(tx, ctx.workspaceId, { type: 'call.created', data: { callId: id, customerId, ticketId } });
}

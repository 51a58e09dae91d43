// Ticket use cases: open a ticket, answer it, change it, find it. Each runs in one
// transaction together with its audit entry; the lifecycle rules come from the domain.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Kysely, SqlBool } from 'kysely';
import type { DB, MessageRow, TicketRow } from '../db/schema.ts';
import { applyMessage, changeStatus, newTicketLifecycle, TransitionError } from '../domain/tickets.ts';
import type { MessageKind, TicketChannel, TicketPriority, TicketStatus } from '../domain/tickets.ts';
import { escapeLikePattern, normalizeForSearch } from '../domain/text.ts';
import { diff, recordAudit } from '../audit/store.ts';
import { findOrCreateCustomerByEmail } from '../customers/service.ts';
import { recordHelpDeskTouchpoint } from '../journeys/internal.ts';
import { scheduleSurveysForSolvedTicket } from '../surveys/service.ts';
import { publishOnCommit } from '../realtime/events.ts';
import type { TicketLifecycle } from '../domain/tickets.ts';
import type { Locale } from '../customers/service.ts';
import { actingAgentId } from '../shared/context.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { AppError, checkVersion, notFound, unprocessable } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { messageBody } from './content.ts';
import { applySla, defaultSlaPolicyQuery, refreshTicketSla, slaStates } from '../sla/service.ts';
import type { TicketSla } from '../sla/service.ts';
import { logStatus } from '../sla/store.ts';
import { recoveryCases } from '../recovery/service.ts';
import { activeQueuesQuery, announceAssignment, routeNewTicket } from '../assignment/service.ts';
import { queueFill } from '../assignment/fill.ts';
import { notifyMentionsInTx } from '../notifications/service.ts';
import type { RecoveryCaseSummary } from '../recovery/service.ts';
import {
  agentInWorkspace,
  appendSearchText,
  customerInWorkspace,
  queueInWorkspace,
  lifecycleColumns,
  lifecycleOf,
  lockTicket,
  nextTicketNumber,
  teamInWorkspace,
} from './store.ts';

export interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  channel: TicketChannel;
  customer: { id: string; name: string | null; email: string | null };
  assigneeId: string | null;
  teamId: string | null;
  /** The queue the ticket waits in. */
  queueId: string | null;
  /** Set when this ticket was merged into another (it is then closed). */
  mergedIntoId: string | null;
  /** Set when this ticket was split out of another. */
  splitFromId: string | null;
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  lastCustomerMessageAt: string | null;
  publicReplyCount: number;
  solvedAt: string | null;
  reopenedAt: string | null;
  reopenCount: number;
  closedAt: string | null;
  /** The SLA applied to the ticket (due times, breached flags), or null without a policy. */
  sla: TicketSla | null;
  /** The ticket's latest service-recovery case, or null. */
  recovery: RecoveryCaseSummary | null;
}

export interface AttachmentInput {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface Message {
  id: string;
  ticketId: string;
  kind: MessageKind;
  authorAgentId: string | null;
  authorCustomerId: string | null;
  text: string;
  html: string;
  attachments: Attachment[];
  /** Agents an internal note @mentions. */
  mentionedAgentIds: string[];
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Runs `work` in a transaction, or in the caller's when `db` already is one (a channel that
 * stores its own rows in the same commit, e.g. inbound e-mail marking itself processed).
 */
function inTransaction<T>(db: Kysely<DB>, work: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** A message to act on now (skipped for history: `deliver: false`). */
export interface MessageCreatedEvent {
  workspaceId: string;
  ticket: TicketRow;
  messageId: string;
  kind: MessageKind;
  at: Date;
}

/** Called inside the message's transaction: channels queue their outbound work here. */
export type MessageCreatedHook = (tx: Kysely<DB>, event: MessageCreatedEvent) => Promise<void>;
const messageCreatedHooks: MessageCreatedHook[] = [];

export function onMessageCreated(hook: MessageCreatedHook): void {
  if (!messageCreatedHooks.includes(hook)) messageCreatedHooks.push(hook);
}

/**
 * The columns a ticket's answer is made of: all but its search text (up to 20,000 characters,
 * often stored out of line), which a page of 25 would otherwise read, decompress and send over for
 * nothing, and two lifecycle times the answer does not show.
 */
const TICKET_COLUMNS = [
  'id', 'workspace_id', 'number', 'subject', 'status', 'priority', 'channel', 'customer_id', 'assignee_id', 'team_id', 'queue_id',
  'merged_into_id', 'split_from_id', 'tags', 'version', 'created_at', 'updated_at', 'first_response_at', 'last_customer_message_at',
  'public_reply_count', 'solved_at', 'reopened_at', 'reopen_count', 'closed_at',
] as const;

type TicketWithCustomer = Pick<TicketRow, (typeof TICKET_COLUMNS)[number]> & { customer_name: string | null; customer_email: string | null };

function toTicket(row: TicketWithCustomer): Omit<Ticket, 'sla' | 'recovery'> {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    status: row.status as TicketStatus,
    priority: row.priority as TicketPriority,
    channel: row.channel as TicketChannel,
    customer: { id: row.customer_id, name: row.customer_name, email: row.customer_email },
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    queueId: row.queue_id,
    mergedIntoId: row.merged_into_id,
    splitFromId: row.split_from_id,
    tags: row.tags,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    firstResponseAt: iso(row.first_response_at),
    lastCustomerMessageAt: iso(row.last_customer_message_at),
    publicReplyCount: row.public_reply_count,
    solvedAt: iso(row.solved_at),
    reopenedAt: iso(row.reopened_at),
    reopenCount: row.reopen_count,
    closedAt: iso(row.closed_at),
  };
}

/**
 * Tickets with their customer, and whether each has an SLA applied and a recovery case (two
 * index probes a row): the page's SLA and recovery queries then ask only for those that do, and
 * are not sent at all when none does.
 */
function selectTickets(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(TICKET_COLUMNS.map((c) => `tickets.${c}` as const))
    .select(['customers.name as customer_name', 'customers.email as customer_email'])
    .select((eb) => [
      eb
        .exists(eb.selectFrom('ticket_slas as ts').select(sql`1`.as('one')).whereRef('ts.ticket_id', '=', 'tickets.id').where('ts.workspace_id', '=', workspaceId))
        .as('has_sla'),
      eb
        .exists(eb.selectFrom('recovery_cases as rc').select(sql`1`.as('one')).whereRef('rc.ticket_id', '=', 'tickets.id').where('rc.workspace_id', '=', workspaceId))
        .as('has_recovery'),
    ])
    .where('tickets.workspace_id', '=', workspaceId);
}

type SelectedTicket = TicketWithCustomer & { has_sla: SqlBool; has_recovery: SqlBool };

/**
 * Adds each ticket's SLA state and recovery case (at most two queries for a whole page), asking
 * only for the tickets whose row says they have one.
 */
async function withSlaAndRecovery(ctx: WorkspaceContext, rows: SelectedTicket[]): Promise<Ticket[]> {
  const flagged = (flag: 'has_sla' | 'has_recovery') => rows.filter((r) => r[flag]).map((r) => r.id);
  const [sla, recovery] = await Promise.all([slaStates(ctx.db, ctx.workspaceId, flagged('has_sla')), recoveryCases(ctx.db, ctx.workspaceId, flagged('has_recovery'))]);
  return rows.map((r) => ({ ...toTicket(r), sla: sla.get(r.id) ?? null, recovery: recovery.get(r.id) ?? null }));
}

export async function getTicket(ctx: WorkspaceContext, id: string): Promise<Ticket> {
  const row = await selectTickets(ctx.db, ctx.workspaceId).where('tickets.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Ticket');
  return (await withSlaAndRecovery(ctx, [row]))[0] as Ticket;
}

export interface TicketFilters {
  status?: TicketStatus[];
  priority?: TicketPriority[];
  channel?: TicketChannel[];
  assignee?: string; // an agent id, 'me' or 'none'
  team?: string; // a team id or 'none'
  queue?: string; // a queue id or 'none'
  tag?: string;
  customer?: string;
  q?: string;
  /** at_risk: a running target past its warning time; breached: a target missed. */
  sla?: 'at_risk' | 'breached';
  /** needed: flagged and nothing done yet; open: not yet accepted or declined. */
  recovery?: 'needed' | 'open';
  limit: number;
  afterId?: string;
}

export async function listTickets(ctx: WorkspaceContext, f: TicketFilters): Promise<Ticket[]> {
  let q = selectTickets(ctx.db, ctx.workspaceId);
  if (f.status?.length) q = q.where('tickets.status', 'in', f.status);
  if (f.priority?.length) q = q.where('tickets.priority', 'in', f.priority);
  if (f.channel?.length) q = q.where('tickets.channel', 'in', f.channel);
  if (f.assignee === 'none') q = q.where('tickets.assignee_id', 'is', null);
  else if (f.assignee === 'me') {
    const me = actingAgentId(ctx.actor);
    q = me ? q.where('tickets.assignee_id', '=', me) : q.where('tickets.assignee_id', 'is', null).where('tickets.id', 'is', null);
  } else if (f.assignee) q = q.where('tickets.assignee_id', '=', f.assignee);
  if (f.team === 'none') q = q.where('tickets.team_id', 'is', null);
  else if (f.team) q = q.where('tickets.team_id', '=', f.team);
  if (f.queue === 'none') q = q.where('tickets.queue_id', 'is', null);
  else if (f.queue) q = q.where('tickets.queue_id', '=', f.queue);
  // A JS array here would become a value list ($1), not an array: pass a text[] explicitly.
  if (f.tag) q = q.where('tickets.tags', '@>', sql<string[]>`ARRAY[${f.tag}]::text[]`);
  if (f.customer) q = q.where('tickets.customer_id', '=', f.customer);
  if (f.q) {
    const number = /^#?(\d{1,9})$/.exec(f.q.trim());
    const pattern = `%${escapeLikePattern(normalizeForSearch(f.q))}%`;
    q = q.where((eb) =>
      number?.[1]
        ? eb.or([eb('tickets.number', '=', Number(number[1])), eb('tickets.search_text', 'like', pattern)])
        : eb('tickets.search_text', 'like', pattern),
    );
  }
  if (f.sla) {
    const now = new Date();
    const kind = f.sla;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('ticket_sla_targets as st')
          .select(sql`1`.as('one'))
          .whereRef('st.ticket_id', '=', 'tickets.id')
          .where('st.workspace_id', '=', ctx.workspaceId)
          .where((w) =>
            kind === 'breached'
              ? w.or([w('st.outcome', '=', 'missed'), w.and([w('st.clock', '=', 'running'), w('st.due_at', '<', now)])])
              : w.and([w('st.clock', '=', 'running'), w('st.outcome', '=', 'pending'), w('st.warn_at', '<=', now), w('st.due_at', '>=', now)]),
          ),
      ),
    );
  }
  if (f.recovery) {
    const statuses = f.recovery === 'needed' ? ['needed'] : ['needed', 'offered', 'sent'];
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('recovery_cases as rc')
          .select(sql`1`.as('one'))
          .whereRef('rc.ticket_id', '=', 'tickets.id')
          .where('rc.workspace_id', '=', ctx.workspaceId)
          .where('rc.status', 'in', statuses),
      ),
    );
  }
  if (f.afterId) q = q.where('tickets.id', '<', f.afterId);
  const rows = await q.orderBy('tickets.id', 'desc').limit(f.limit + 1).execute();
  return withSlaAndRecovery(ctx, rows);
}

/**
 * What a new ticket needs of its workspace's settings, in one round trip instead of two: the
 * active queues its routing rules are tried against (only when asked: a ticket given its queue,
 * or none, needs none) and the default SLA policy (null without one). The same queries routing
 * and applySla run when not given them, nested.
 */
async function newTicketSettings(db: Kysely<DB>, workspaceId: string, withQueues: boolean) {
  const policy = jsonObjectFrom(defaultSlaPolicyQuery(db, workspaceId)).as('policy');
  if (!withQueues) {
    const row = await db.selectNoFrom([policy]).executeTakeFirstOrThrow();
    return { activeQueues: undefined, defaultPolicy: row.policy };
  }
  const row = await db.selectNoFrom([policy, jsonArrayFrom(activeQueuesQuery(db, workspaceId)).as('queues')]).executeTakeFirstOrThrow();
  return { activeQueues: row.queues, defaultPolicy: row.policy };
}

export interface CreateTicketInput {
  subject: string;
  customer?: { email: string; name?: string | null; phone?: string | null; locale?: Locale | null };
  customerId?: string;
  channel: TicketChannel;
  priority: TicketPriority;
  message?: { text?: string; html?: string };
  status?: TicketStatus;
  assigneeId?: string | null;
  teamId?: string | null;
  /** The queue to wait in; undefined: routed by the queues' rules; null: no queue. */
  queueId?: string | null;
  tags?: string[];
  attachments?: AttachmentInput[];
  /** When the conversation began (imports, demo data); defaults to now. */
  createdAt?: Date;
}

async function checkReferences(
  db: Kysely<DB>,
  workspaceId: string,
  refs: { assigneeId?: string | null; teamId?: string | null },
): Promise<void> {
  if (refs.assigneeId && !(await agentInWorkspace(db, workspaceId, refs.assigneeId))) {
    throw unprocessable('assigneeId is not an active agent of this workspace');
  }
  if (refs.teamId && !(await teamInWorkspace(db, workspaceId, refs.teamId))) {
    throw unprocessable('teamId is not a team of this workspace');
  }
}

function transitionError(error: unknown): never {
  if (error instanceof TransitionError) throw new AppError(422, 'invalid_transition', error.message);
  throw error;
}

/** Solves and reopens are moments in the customer's journey: record them as touchpoints. */
async function recordStatusTouchpoints(
  tx: Kysely<DB>,
  workspaceId: string,
  ticket: { id: string; number: number; customer_id: string; channel: string; assignee_id: string | null; team_id: string | null },
  before: TicketLifecycle,
  after: TicketLifecycle,
  at: Date,
): Promise<void> {
  const base = { customerId: ticket.customer_id, ticketId: ticket.id, ticketNumber: ticket.number, channel: ticket.channel, at };
  if (after.reopenCount > before.reopenCount) {
    await recordHelpDeskTouchpoint(tx, workspaceId, { ...base, event: 'Ticket Reopened', key: `ticket:${ticket.id}:reopened:${after.reopenCount}` });
  }
  if (after.status === 'solved' && before.status !== 'solved') {
    await recordHelpDeskTouchpoint(tx, workspaceId, { ...base, event: 'Ticket Solved', key: `ticket:${ticket.id}:solved:${after.reopenCount}` });
    await scheduleSurveysForSolvedTicket(tx, workspaceId, ticket, at);
  }
}

export async function createTicket(ctx: WorkspaceContext, input: CreateTicketInput): Promise<Ticket> {
  const at = input.createdAt ?? new Date();
  const id = newId(at);
  const created = await inTransaction(ctx.db, async (tx) => {
    await checkReferences(tx, ctx.workspaceId, input);
    let customerId: string;
    if (input.customerId) {
      if (!(await customerInWorkspace(tx, ctx.workspaceId, input.customerId))) {
        throw unprocessable('customerId is not a customer of this workspace');
      }
      customerId = input.customerId;
    } else if (input.customer) {
      customerId = await findOrCreateCustomerByEmail(ctx, tx, input.customer, at);
    } else {
      throw unprocessable('A ticket needs a customer or a customerId');
    }
    const hasMessage = Boolean(input.message && (input.message.text || input.message.html));
    let lifecycle = newTicketLifecycle(at, hasMessage ? 'customer' : 'none');
    try {
      if (input.status) lifecycle = changeStatus(lifecycle, input.status, at);
    } catch (error) {
      transitionError(error);
    }
    const body = hasMessage && input.message ? messageBody(input.message) : undefined;
    const settings = await newTicketSettings(tx, ctx.workspaceId, input.queueId === undefined);
    // Queue, team and assignee: given, or by the queues' rules and the team's assignment rule
    // (which locks the team's row until this transaction ends).
    const routing = await routeNewTicket(
      tx,
      ctx.workspaceId,
      { channel: input.channel, customerId, tags: input.tags ?? [], queueId: input.queueId, teamId: input.teamId, assigneeId: input.assigneeId },
      at,
      settings.activeQueues ? { activeQueues: settings.activeQueues } : {},
    );
    // The row as stored, with its customer's name and e-mail, is the answer (nothing below
    // changes the ticket row): no read after the commit.
    const inlineMessage = body !== undefined && (input.attachments ?? []).length === 0;
    const messageId = newId(at);
    const row = await tx
      .with('t', (w) =>
        w
          .insertInto('tickets')
          .values({
            id,
            workspace_id: ctx.workspaceId,
            number: nextTicketNumber(ctx.workspaceId),
            subject: input.subject,
            priority: input.priority,
            channel: input.channel,
            customer_id: customerId,
            assignee_id: routing.assigneeId,
            team_id: routing.teamId,
            queue_id: routing.queueId,
            tags: input.tags ?? [],
            search_text: normalizeForSearch(`${input.subject} ${body?.text ?? ''}`).slice(0, 20_000),
            created_at: at,
            updated_at: at,
            ...lifecycleColumns(lifecycle),
          })
          .returning(TICKET_COLUMNS),
      )
      // Its first status and its audit entry go in the same statement (fewer round trips
      // while the transaction is open); the audit entry holds the number the insert drew.
      // The customer's first message too, unless it brings attachments (insertMessage below).
      .with('message_written', (w) =>
        w
          .insertInto('messages')
          .columns(['id', 'workspace_id', 'ticket_id', 'kind', 'author_agent_id', 'author_customer_id', 'body_text', 'body_html', 'source_id', 'created_at', 'is_auto_reply'])
          .expression((eb) =>
            eb
              .selectFrom('t')
              .select([
                sql<string>`${messageId}::uuid`.as('id'),
                't.workspace_id',
                't.id as ticket_id',
                sql<string>`'customer'`.as('kind'),
                sql<string | null>`NULL::uuid`.as('author_agent_id'),
                't.customer_id as author_customer_id',
                sql<string>`${body?.text ?? ''}::text`.as('body_text'),
                sql<string>`${body?.html ?? ''}::text`.as('body_html'),
                sql<string | null>`NULL::text`.as('source_id'),
                't.created_at',
                sql<boolean>`false`.as('is_auto_reply'),
              ])
              .where(sql<boolean>`${inlineMessage}::boolean`),
          ),
      )
      .with('status_logged', (w) =>
        w.insertInto('ticket_status_log').values({ workspace_id: ctx.workspaceId, ticket_id: id, from_status: null, to_status: lifecycle.status, at }),
      )
      .with('audited', (w) =>
        w
          .insertInto('audit_log')
          .columns(['workspace_id', 'actor_type', 'actor_id', 'action', 'entity_type', 'entity_id', 'changes'])
          .expression((eb) =>
            eb
              .selectFrom('t')
              .select([
                't.workspace_id',
                sql<string>`${ctx.actor.type}::text`.as('actor_type'),
                sql<string | null>`${ctx.actor.id}::text`.as('actor_id'),
                sql<string>`'ticket.created'`.as('action'),
                sql<string>`'ticket'`.as('entity_type'),
                't.id',
                sql<string>`jsonb_build_object('number', t.number, 'subject', ${input.subject}::text, 'status', ${lifecycle.status}::text, 'priority', ${input.priority}::text)`.as('changes'),
              ]),
          ),
      )
      .selectFrom('t')
      .innerJoin('customers', 'customers.id', 't.customer_id')
      .select(TICKET_COLUMNS.map((c) => `t.${c}` as const))
      .select(['customers.name as customer_name', 'customers.email as customer_email'])
      .executeTakeFirstOrThrow();
    const { number } = row;
    if (body && !inlineMessage) {
      await insertMessage(tx, ctx.workspaceId, {
        ticketId: id,
        kind: 'customer',
        authorCustomerId: customerId,
        authorAgentId: null,
        body,
        at,
        attachments: input.attachments ?? [],
      });
    }
    await recordHelpDeskTouchpoint(tx, ctx.workspaceId, {
      event: 'Ticket Created',
      key: `ticket:${id}:created`,
      customerId,
      ticketId: id,
      ticketNumber: number,
      channel: input.channel,
      ...(body ? { text: `${input.subject}\n${body.text}` } : { text: input.subject }),
      at,
    });
    if (routing.assignedBy) {
      await announceAssignment(tx, ctx.workspaceId, ctx.actor, { id, number }, {
        assigneeId: routing.assigneeId,
        previousAssigneeId: null,
        teamId: routing.teamId,
        queueId: routing.queueId,
        by: routing.assignedBy,
      });
    }
    const slaApplied = await applySla(tx, ctx.workspaceId, id, at, ctx.actor, { priority: input.priority, defaultPolicy: settings.defaultPolicy });
    await publishOnCommit(tx, ctx.workspaceId, {
      type: 'ticket.created',
      data: {
        ticketId: id,
        number,
        status: lifecycle.status,
        channel: input.channel,
        customerId,
        assigneeId: routing.assigneeId,
        teamId: routing.teamId,
        queueId: routing.queueId,
      },
    });
    return { row, slaApplied };
  });
  // Without a policy a new ticket has no SLA state and no recovery case (only a breach flags one).
  if (!created.slaApplied) return { ...toTicket(created.row), sla: null, recovery: null };
  // With one, it has an SLA state and may already have a case (a breach on applying it).
  return (await withSlaAndRecovery(ctx, [{ ...created.row, has_sla: true, has_recovery: true }]))[0] as Ticket;
}

export interface UpdateTicketInput {
  subject?: string;
  status?: TicketStatus;
  priority?: TicketPriority;
  assigneeId?: string | null;
  teamId?: string | null;
  queueId?: string | null;
  tags?: string[];
}

/**
 * Changes a ticket. With an expected version (If-Match), a stale one is refused with 409 and
 * nothing changes, so two agents editing at once never overwrite each other silently.
 */
export async function updateTicket(
  ctx: WorkspaceContext,
  id: string,
  input: UpdateTicketInput,
  expectedVersion?: number,
  at: Date = new Date(),
): Promise<Ticket> {
  await inTransaction(ctx.db, async (tx) => {
    const row = await lockTicket(tx, ctx.workspaceId, id);
    if (!row) throw notFound('Ticket');
    checkVersion('ticket', expectedVersion, row.version);
    await checkReferences(tx, ctx.workspaceId, input);
    if (input.queueId && !(await queueInWorkspace(tx, ctx.workspaceId, input.queueId))) {
      throw unprocessable('queueId is not a queue of this workspace');
    }
    const now = at;
    let lifecycle = lifecycleOf(row);
    try {
      if (input.status) lifecycle = changeStatus(lifecycle, input.status, now);
    } catch (error) {
      transitionError(error);
    }
    const changes = diff(
      {
        subject: row.subject,
        status: row.status,
        priority: row.priority,
        assigneeId: row.assignee_id,
        teamId: row.team_id,
        queueId: row.queue_id,
        tags: row.tags,
      },
      input as Record<string, unknown>,
    );
    if (Object.keys(changes).length === 0) return;
    await tx
      .updateTable('tickets')
      .set({
        ...(input.subject !== undefined ? { subject: input.subject } : {}),
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        ...(input.assigneeId !== undefined ? { assignee_id: input.assigneeId } : {}),
        ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
        ...(input.queueId !== undefined ? { queue_id: input.queueId } : {}),
        ...(input.tags !== undefined ? { tags: input.tags } : {}),
        ...(input.subject !== undefined ? { search_text: appendSearchText(normalizeForSearch(input.subject)) } : {}),
        ...lifecycleColumns(lifecycle),
        version: row.version + 1,
        updated_at: now,
      })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', id)
      .execute();
    const after = {
      ...row,
      ...(input.assigneeId !== undefined ? { assignee_id: input.assigneeId } : {}),
      ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
    };
    await recordStatusTouchpoints(tx, ctx.workspaceId, after, lifecycleOf(row), lifecycle, now);
    // A solved (or unassigned) ticket frees its agent for a waiting one of their teams.
    const freed = row.assignee_id && (after.assignee_id !== row.assignee_id || (lifecycle.status !== row.status && ['solved', 'closed'].includes(lifecycle.status)));
    if (freed && row.assignee_id) await queueFill(tx, ctx.workspaceId, { agentId: row.assignee_id });
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'ticket.updated', entityType: 'ticket', entityId: id, changes });
    if ('assigneeId' in changes) {
      await announceAssignment(tx, ctx.workspaceId, ctx.actor, row, {
        assigneeId: input.assigneeId ?? null,
        previousAssigneeId: row.assignee_id,
        teamId: input.teamId !== undefined ? input.teamId : row.team_id,
        queueId: input.queueId !== undefined ? input.queueId : row.queue_id,
        by: input.assigneeId ? 'manual' : null,
      });
    }
    await logStatus(tx, ctx.workspaceId, id, row.status as TicketStatus, lifecycle.status, now);
    // A new priority means new targets: the policy is applied again; otherwise re-evaluate.
    if (input.priority !== undefined && input.priority !== row.priority) await applySla(tx, ctx.workspaceId, id, now, ctx.actor);
    else await refreshTicketSla(tx, ctx.workspaceId, id, now);
    await publishOnCommit(tx, ctx.workspaceId, {
      type: 'ticket.updated',
      data: { ticketId: id, number: row.number, version: row.version + 1, status: lifecycle.status, changed: Object.keys(changes) },
    });
  });
  return getTicket(ctx, id);
}

async function insertMessage(
  tx: Kysely<DB>,
  workspaceId: string,
  m: {
    ticketId: string;
    kind: MessageKind;
    authorAgentId: string | null;
    authorCustomerId: string | null;
    body: { text: string; html: string };
    at: Date;
    attachments: AttachmentInput[];
    sourceId?: string;
    autoReply?: boolean;
  },
): Promise<string> {
  const id = newId(m.at);
  await tx
    .insertInto('messages')
    .values({
      id,
      workspace_id: workspaceId,
      ticket_id: m.ticketId,
      kind: m.kind,
      author_agent_id: m.authorAgentId,
      author_customer_id: m.authorCustomerId,
      body_text: m.body.text,
      body_html: m.body.html,
      source_id: m.sourceId ?? null,
      created_at: m.at,
      is_auto_reply: m.autoReply ?? false,
    })
    .execute();
  for (const file of m.attachments) {
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    await tx
      .insertInto('blobs')
      .values({ workspace_id: workspaceId, sha256, size: file.content.length, content: file.content })
      .onConflict((oc) => oc.columns(['workspace_id', 'sha256']).doNothing())
      .execute();
    await tx
      .insertInto('attachments')
      .values({
        id: newId(),
        workspace_id: workspaceId,
        message_id: id,
        filename: file.filename,
        content_type: file.contentType,
        size: file.content.length,
        sha256,
      })
      .execute();
  }
  return id;
}

export interface AddMessageInput {
  kind: MessageKind;
  text?: string;
  html?: string;
  /** The status to leave the ticket in (e.g. reply and set pending, or solve). */
  status?: TicketStatus;
  attachments?: AttachmentInput[];
  /** Idempotency key: a second message with the same key returns the first. */
  sourceId?: string;
  /** An automatic acknowledgement: public, but no response for first/next response time. */
  autoReply?: boolean;
  at?: Date;
  /** False for history (imports, demo data): channels send nothing for this message. */
  deliver?: boolean;
}

export async function addMessage(
  ctx: WorkspaceContext,
  ticketId: string,
  input: AddMessageInput,
): Promise<{ message: Message; ticket: Ticket; created: boolean }> {
  const at = input.at ?? new Date();
  const outcome = await inTransaction(ctx.db, async (tx) => {
    const row = await lockTicket(tx, ctx.workspaceId, ticketId);
    if (!row) throw notFound('Ticket');
    if (input.sourceId) {
      const existing = await tx
        .selectFrom('messages')
        .select('id')
        .where('workspace_id', '=', ctx.workspaceId)
        .where('source_id', '=', input.sourceId)
        .executeTakeFirst();
      if (existing) return { messageId: existing.id, created: false };
    }
    if (row.merged_into_id) {
      throw new AppError(422, 'unprocessable', `Ticket #${row.number} was merged into another ticket: add messages there`, { mergedIntoId: row.merged_into_id });
    }
    let lifecycle = lifecycleOf(row);
    try {
      lifecycle = applyMessage(lifecycle, input.kind, at, input.status);
    } catch (error) {
      transitionError(error);
    }
    const body = messageBody(input);
    const agentId = input.kind === 'customer' ? null : actingAgentId(ctx.actor);
    const messageId = await insertMessage(tx, ctx.workspaceId, {
      ticketId,
      kind: input.kind,
      authorAgentId: agentId,
      authorCustomerId: input.kind === 'customer' ? row.customer_id : null,
      body,
      at,
      attachments: input.attachments ?? [],
      ...(input.sourceId ? { sourceId: input.sourceId } : {}),
      ...(input.autoReply && input.kind === 'reply' ? { autoReply: true } : {}),
    });
    await tx
      .updateTable('tickets')
      .set({
        ...lifecycleColumns(lifecycle),
        search_text: appendSearchText(normalizeForSearch(body.text)),
        version: row.version + 1,
        updated_at: at,
      })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', ticketId)
      .execute();
    if (input.kind !== 'note') {
      await recordHelpDeskTouchpoint(tx, ctx.workspaceId, {
        event: input.kind === 'reply' ? 'Agent Replied' : 'Customer Replied',
        key: `message:${messageId}`,
        customerId: row.customer_id,
        ticketId,
        ticketNumber: row.number,
        channel: row.channel,
        text: body.text,
        at,
      });
    }
    await recordStatusTouchpoints(tx, ctx.workspaceId, row, lifecycleOf(row), lifecycle, at);
    const mentioned =
      input.kind === 'note'
        ? await notifyMentionsInTx(tx, ctx.workspaceId, { ticketId, ticketNumber: row.number, messageId, text: body.text, authorAgentId: agentId, at })
        : [];
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'message.created',
      entityType: 'ticket',
      entityId: ticketId,
      changes: {
        messageId,
        kind: input.kind,
        ...(row.status !== lifecycle.status ? { status: [row.status, lifecycle.status] } : {}),
        ...(mentioned.length ? { mentions: mentioned } : {}),
      },
    });
    await logStatus(tx, ctx.workspaceId, ticketId, row.status as TicketStatus, lifecycle.status, at);
    await refreshTicketSla(tx, ctx.workspaceId, ticketId, at);
    await publishOnCommit(tx, ctx.workspaceId, {
      type: 'message.created',
      data: { ticketId, number: row.number, messageId, kind: input.kind, version: row.version + 1, status: lifecycle.status },
    });
    if (input.deliver !== false) {
      for (const hook of messageCreatedHooks) {
        await hook(tx, { workspaceId: ctx.workspaceId, ticket: row, messageId, kind: input.kind, at });
      }
    }
    return { messageId, created: true };
  }).catch(async (error: unknown) => {
    // The same sourceId sent at the same moment to another ticket: the unique index keeps one
    // message; answer with it, as for any repeat, instead of failing with a 500. (Inside a
    // caller's transaction the error aborted it: let the caller see it.)
    if (ctx.db.isTransaction || !input.sourceId || (error as { code?: string } | null)?.code !== '23505') throw error;
    const existing = await ctx.db
      .selectFrom('messages')
      .select('id')
      .where('workspace_id', '=', ctx.workspaceId)
      .where('source_id', '=', input.sourceId)
      .executeTakeFirst();
    if (!existing) throw error;
    return { messageId: existing.id, created: false };
  });
  const [message, ticket] = await Promise.all([getMessage(ctx, outcome.messageId), getTicket(ctx, ticketId)]);
  return { message, ticket, created: outcome.created };
}

async function attachmentsOf(ctx: WorkspaceContext, messageIds: string[]): Promise<Map<string, Attachment[]>> {
  const byMessage = new Map<string, Attachment[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await ctx.db
    .selectFrom('attachments')
    .selectAll()
    .where('workspace_id', '=', ctx.workspaceId)
    .where('message_id', 'in', messageIds)
    .orderBy('id')
    .execute();
  for (const a of rows) {
    const list = byMessage.get(a.message_id) ?? [];
    list.push({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size, sha256: a.sha256 });
    byMessage.set(a.message_id, list);
  }
  return byMessage;
}

async function getMessage(ctx: WorkspaceContext, id: string): Promise<Message> {
  const row = await ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const attachments = await attachmentsOf(ctx, [id]);
  return toMessage(row, attachments.get(id) ?? []);
}

function toMessage(row: MessageRow, attachments: Attachment[]): Message {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    kind: row.kind as MessageKind,
    authorAgentId: row.author_agent_id,
    authorCustomerId: row.author_customer_id,
    text: row.body_text,
    html: row.body_html,
    attachments,
    mentionedAgentIds: row.mentioned_agent_ids,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listMessages(
  ctx: WorkspaceContext,
  ticketId: string,
  page: { limit: number; afterId?: string },
): Promise<Message[]> {
  await getTicket(ctx, ticketId);
  let q = ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', ctx.workspaceId)
    .where('ticket_id', '=', ticketId);
  if (page.afterId) q = q.where('id', '>', page.afterId);
  const rows = await q.orderBy('created_at').orderBy('id').limit(page.limit + 1).execute();
  const attachments = await attachmentsOf(ctx, rows.map((r) => r.id));
  return rows.map((r) => toMessage(r, attachments.get(r.id) ?? []));
}

export async function getAttachmentContent(
  ctx: WorkspaceContext,
  id: string,
): Promise<{ filename: string; contentType: string; content: Buffer }> {
  const row = await ctx.db
    .selectFrom('attachments')
    .innerJoin('blobs', (join) =>
      join.onRef('blobs.workspace_id', '=', 'attachments.workspace_id').onRef('blobs.sha256', '=', 'attachments.sha256'),
    )
    .select(['attachments.filename', 'attachments.content_type', 'blobs.content'])
    .where('attachments.workspace_id', '=', ctx.workspaceId)
    .where('attachments.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Attachment');
  return { filename: row.filename, contentType: row.content_type, content: row.content };
}

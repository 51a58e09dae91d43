// Service recovery: a ticket that breached its SLA (or whose customer answered a survey
// negatively) is flagged; the agent is offered the matching apology in the customer's language
// and the workspace's compensation options; what was offered, sent, accepted or declined is
// recorded as a touchpoint and audited, in the same transaction.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { diff, recordAudit } from '../audit/store.ts';
import { renderForTicket } from '../canned/service.ts';
import type { RenderedResponse } from '../canned/service.ts';
import type { ApologyKind, CannedLocale } from '../domain/canned.ts';
import { recordHelpDeskTouchpoint } from '../journeys/internal.ts';
import type { HelpDeskEvent } from '../journeys/internal.ts';
import type { Actor, WorkspaceContext } from '../shared/context.ts';
import { AppError, conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export const RECOVERY_REASONS = ['sla_breach', 'negative_survey', 'manual'] as const;
export type RecoveryReason = (typeof RECOVERY_REASONS)[number];
export const RECOVERY_ACTIONS = ['offered', 'sent', 'accepted', 'declined'] as const;
export type RecoveryAction = (typeof RECOVERY_ACTIONS)[number];
export const COMPENSATION_KINDS = ['credit', 'discount', 'extension'] as const;
export type CompensationKind = (typeof COMPENSATION_KINDS)[number];
const OPEN_STATUSES = ['needed', 'offered', 'sent'];

/** Which apology suits which reason, unless the flagger says. */
const APOLOGY_FOR_REASON: Record<RecoveryReason, ApologyKind> = {
  sla_breach: 'late_answer',
  negative_survey: 'late_answer',
  manual: 'late_answer',
};

export interface FlagInput {
  reason: RecoveryReason;
  detail?: Record<string, unknown>;
  /** The apology to offer (late answer, outage, customer-caused); by reason if not given. */
  apologyFor?: ApologyKind;
  at?: Date;
}

export interface RecoveryCaseSummary {
  id: string;
  status: 'needed' | 'offered' | 'sent' | 'accepted' | 'declined';
  reason: RecoveryReason;
  /** Every reason this case was flagged for, first first. */
  reasons: Array<{ reason: RecoveryReason; at: string; detail: Record<string, unknown> }>;
  flaggedAt: string;
  updatedAt: string;
}

async function ticketFacts(tx: Kysely<DB>, workspaceId: string, ticketId: string) {
  return tx
    .selectFrom('tickets')
    .select(['id', 'number', 'customer_id', 'channel'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', ticketId)
    .executeTakeFirst();
}

/**
 * Flags a ticket for recovery inside the caller's transaction. A ticket has at most one open
 * case: flagging it again adds the reason to that case. Returns the case id.
 */
export async function flagForRecoveryInTx(tx: Kysely<DB>, workspaceId: string, actor: Actor, ticketId: string, input: FlagInput): Promise<string> {
  const at = input.at ?? new Date();
  const ticket = await ticketFacts(tx, workspaceId, ticketId);
  if (!ticket) throw notFound('Ticket');
  const entry = { reason: input.reason, at: at.toISOString(), detail: { ...input.detail, ...(input.apologyFor ? { apologyFor: input.apologyFor } : {}) } };
  const open = await tx
    .selectFrom('recovery_cases')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('ticket_id', '=', ticketId)
    .where('status', 'in', OPEN_STATUSES)
    .forUpdate()
    .executeTakeFirst();
  if (open) {
    const detail = open.detail as { reasons?: unknown[] };
    const reasons = [...(detail.reasons ?? []), entry];
    await tx.updateTable('recovery_cases').set({ detail: JSON.stringify({ ...detail, reasons }), updated_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', open.id).execute();
    await recordAudit(tx, workspaceId, actor, { action: 'recovery.flagged_again', entityType: 'ticket', entityId: ticketId, changes: { caseId: open.id, reason: input.reason } });
    return open.id;
  }
  const id = newId(at);
  await tx
    .insertInto('recovery_cases')
    .values({ id, workspace_id: workspaceId, ticket_id: ticketId, reason: input.reason, detail: JSON.stringify({ reasons: [entry] }), status: 'needed', flagged_at: at, updated_at: at })
    .execute();
  await tx
    .insertInto('recovery_actions')
    .values({ id: newId(at), workspace_id: workspaceId, case_id: id, ticket_id: ticketId, action: 'flagged', note: null, actor_type: actor.type, actor_id: actor.id, at })
    .execute();
  await recordHelpDeskTouchpoint(tx, workspaceId, {
    event: 'Recovery Flagged',
    key: `recovery:${id}:flagged`,
    customerId: ticket.customer_id,
    ticketId,
    ticketNumber: ticket.number,
    channel: ticket.channel,
    valence: 'negative',
    properties: { reason: input.reason },
    at,
  });
  await recordAudit(tx, workspaceId, actor, { action: 'recovery.flagged', entityType: 'ticket', entityId: ticketId, changes: { caseId: id, reason: input.reason, detail: entry.detail } });
  return id;
}

/**
 * Flags a ticket for service recovery (for other capabilities, e.g. a negative survey answer):
 * `flagForRecovery(ctx, ticketId, { reason: 'negative_survey', detail: { surveyResponseId } })`.
 */
export async function flagForRecovery(ctx: WorkspaceContext, ticketId: string, input: FlagInput | RecoveryReason): Promise<RecoveryCaseSummary> {
  const flag = typeof input === 'string' ? { reason: input } : input;
  await ctx.db.transaction().execute((tx) => flagForRecoveryInTx(tx, ctx.workspaceId, ctx.actor, ticketId, flag));
  return (await recoveryCases(ctx.db, ctx.workspaceId, [ticketId])).get(ticketId) as RecoveryCaseSummary;
}

type CaseRow = Awaited<ReturnType<typeof caseRows>>[number];
function caseRows(db: Kysely<DB>, workspaceId: string, ticketIds: string[]) {
  return db
    .selectFrom('recovery_cases')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('ticket_id', 'in', ticketIds)
    .orderBy('flagged_at')
    .orderBy('id')
    .execute();
}

function toSummary(row: CaseRow): RecoveryCaseSummary {
  const detail = row.detail as { reasons?: RecoveryCaseSummary['reasons'] };
  return {
    id: row.id,
    status: row.status as RecoveryCaseSummary['status'],
    reason: row.reason as RecoveryReason,
    reasons: detail.reasons ?? [],
    flaggedAt: row.flagged_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The latest recovery case of each ticket (open or finished). */
export async function recoveryCases(db: Kysely<DB>, workspaceId: string, ticketIds: string[]): Promise<Map<string, RecoveryCaseSummary>> {
  const out = new Map<string, RecoveryCaseSummary>();
  if (ticketIds.length === 0) return out;
  for (const row of await caseRows(db, workspaceId, ticketIds)) out.set(row.ticket_id, toSummary(row));
  return out;
}

// ---- compensation options ---------------------------------------------------------------------

export interface CompensationOption {
  id: string;
  kind: CompensationKind;
  label: string;
  amount: number;
  unit: string;
  active: boolean;
}

export interface CompensationInput {
  kind: CompensationKind;
  label: string;
  amount: number;
  unit: string;
  active?: boolean;
}

type OptionRow = Awaited<ReturnType<typeof optionRows>>[number];
function optionRows(db: Kysely<DB>, workspaceId: string) {
  return db.selectFrom('compensation_options').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
}
const toOption = (r: OptionRow): CompensationOption => ({ id: r.id, kind: r.kind as CompensationKind, label: r.label, amount: Number(r.amount), unit: r.unit, active: r.active });

export async function listCompensationOptions(ctx: WorkspaceContext, activeOnly = false): Promise<CompensationOption[]> {
  return (await optionRows(ctx.db, ctx.workspaceId)).map(toOption).filter((o) => !activeOnly || o.active);
}

function uniqueLabel(error: unknown, label: string): never {
  if ((error as { code?: string } | null)?.code === '23505') throw conflict(`A compensation option labelled "${label}" exists already`);
  throw error;
}

export async function createCompensationOption(ctx: WorkspaceContext, input: CompensationInput): Promise<CompensationOption> {
  const id = newId();
  await ctx.db
    .transaction()
    .execute(async (tx) => {
      await tx
        .insertInto('compensation_options')
        .values({ id, workspace_id: ctx.workspaceId, kind: input.kind, label: input.label, amount: input.amount, unit: input.unit, active: input.active ?? true })
        .execute();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'compensation_option.created', entityType: 'compensation_option', entityId: id, changes: { ...input } });
    })
    .catch((e: unknown) => uniqueLabel(e, input.label));
  return (await listCompensationOptions(ctx)).find((o) => o.id === id) as CompensationOption;
}

export async function updateCompensationOption(ctx: WorkspaceContext, id: string, input: Partial<CompensationInput>): Promise<CompensationOption> {
  await ctx.db
    .transaction()
    .execute(async (tx) => {
      const row = await tx.selectFrom('compensation_options').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('Compensation option');
      await tx
        .updateTable('compensation_options')
        .set({
          ...(input.kind !== undefined ? { kind: input.kind } : {}),
          ...(input.label !== undefined ? { label: input.label } : {}),
          ...(input.amount !== undefined ? { amount: input.amount } : {}),
          ...(input.unit !== undefined ? { unit: input.unit } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
          updated_at: new Date(),
        })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', id)
        .execute();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, {
        action: 'compensation_option.updated',
        entityType: 'compensation_option',
        entityId: id,
        changes: diff(toOption(row) as unknown as Record<string, unknown>, input as Record<string, unknown>),
      });
    })
    .catch((e: unknown) => uniqueLabel(e, input.label ?? ''));
  return (await listCompensationOptions(ctx)).find((o) => o.id === id) as CompensationOption;
}

// ---- the offer and the actions -------------------------------------------------------------------

export interface RecoveryActionRecord {
  id: string;
  action: 'flagged' | RecoveryAction;
  compensation: CompensationOption | null;
  cannedResponseId: string | null;
  locale: string | null;
  note: string | null;
  actor: { type: string; id: string | null };
  at: string;
}

export interface RecoveryView {
  case: RecoveryCaseSummary | null;
  /** Apology templates rendered for this ticket in the customer's language; the matching one first. */
  apologies: Array<RenderedResponse & { apologyFor: ApologyKind }>;
  compensationOptions: CompensationOption[];
  actions: RecoveryActionRecord[];
}

export async function getRecovery(ctx: WorkspaceContext, ticketId: string): Promise<RecoveryView> {
  const ticket = await ticketFacts(ctx.db, ctx.workspaceId, ticketId);
  if (!ticket) throw notFound('Ticket');
  const recoveryCase = (await recoveryCases(ctx.db, ctx.workspaceId, [ticketId])).get(ticketId) ?? null;
  const wanted: ApologyKind =
    (recoveryCase?.reasons.find((r) => typeof r.detail.apologyFor === 'string')?.detail.apologyFor as ApologyKind | undefined) ??
    APOLOGY_FOR_REASON[recoveryCase?.reason ?? 'manual'];
  const templates = await ctx.db
    .selectFrom('canned_responses')
    .select(['id', 'apology_for'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('apology_for', 'is not', null)
    .orderBy('name')
    .execute();
  templates.sort((a, b) => Number(b.apology_for === wanted) - Number(a.apology_for === wanted));
  const apologies = [];
  for (const t of templates) {
    const rendered = await renderForTicket(ctx.db, ctx.workspaceId, ctx.actor, t.id, ticketId);
    apologies.push({ ...rendered, apologyFor: t.apology_for as ApologyKind });
  }
  const actions = recoveryCase
    ? await ctx.db
        .selectFrom('recovery_actions')
        .selectAll()
        .where('workspace_id', '=', ctx.workspaceId)
        .where('case_id', '=', recoveryCase.id)
        .orderBy('at')
        .orderBy('id')
        .execute()
    : [];
  return {
    case: recoveryCase,
    apologies,
    compensationOptions: await listCompensationOptions(ctx, true),
    actions: actions.map((a) => ({
      id: a.id,
      action: a.action as RecoveryActionRecord['action'],
      compensation: (a.compensation as CompensationOption | null) ?? null,
      cannedResponseId: a.canned_response_id,
      locale: a.locale,
      note: a.note,
      actor: { type: a.actor_type, id: a.actor_id },
      at: a.at.toISOString(),
    })),
  };
}

export interface RecordActionInput {
  action: RecoveryAction;
  compensationOptionId?: string;
  cannedResponseId?: string;
  locale?: CannedLocale;
  note?: string;
  at?: Date;
}

const ACTION_EVENT: Record<RecoveryAction, { event: HelpDeskEvent; valence: 'positive' | 'neutral' | 'negative' }> = {
  offered: { event: 'Recovery Offered', valence: 'positive' },
  sent: { event: 'Apology Sent', valence: 'positive' },
  accepted: { event: 'Recovery Accepted', valence: 'positive' },
  declined: { event: 'Recovery Declined', valence: 'negative' },
};

/**
 * Records what was done: compensation offered (needs an active option), apology sent (names
 * the canned response used), the customer accepted or declined (needs an offer first).
 */
export async function recordRecoveryAction(ctx: WorkspaceContext, ticketId: string, input: RecordActionInput): Promise<RecoveryView> {
  const at = input.at ?? new Date();
  await ctx.db.transaction().execute(async (tx) => {
    const ticket = await ticketFacts(tx, ctx.workspaceId, ticketId);
    if (!ticket) throw notFound('Ticket');
    const open = await tx
      .selectFrom('recovery_cases')
      .selectAll()
      .where('workspace_id', '=', ctx.workspaceId)
      .where('ticket_id', '=', ticketId)
      .where('status', 'in', OPEN_STATUSES)
      .forUpdate()
      .executeTakeFirst();
    if (!open) throw new AppError(422, 'unprocessable', 'This ticket is not flagged for recovery; flag it first (POST /api/v1/tickets/{id}/recovery)');
    let compensation: CompensationOption | null = null;
    if (input.action === 'offered') {
      if (!input.compensationOptionId) throw new AppError(422, 'unprocessable', 'An offer names the compensationOptionId offered');
      const option = await tx
        .selectFrom('compensation_options')
        .selectAll()
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', input.compensationOptionId)
        .executeTakeFirst();
      if (!option || !option.active) throw new AppError(422, 'unprocessable', 'compensationOptionId is not an active compensation option of this workspace');
      compensation = toOption(option);
    }
    if (input.cannedResponseId) {
      const canned = await tx.selectFrom('canned_responses').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', input.cannedResponseId).executeTakeFirst();
      if (!canned) throw new AppError(422, 'unprocessable', 'cannedResponseId is not a canned response of this workspace');
    }
    if (input.action === 'accepted' || input.action === 'declined') {
      const offer = await tx
        .selectFrom('recovery_actions')
        .selectAll()
        .where('workspace_id', '=', ctx.workspaceId)
        .where('case_id', '=', open.id)
        .where('action', '=', 'offered')
        .orderBy('at', 'desc')
        .executeTakeFirst();
      if (!offer) throw new AppError(422, 'unprocessable', `Nothing was offered yet, so nothing can be ${input.action}`);
      compensation = (offer.compensation as CompensationOption | null) ?? null;
    }
    // Accepting or declining ends the case; offering and sending keep it open.
    await tx.updateTable('recovery_cases').set({ status: input.action, updated_at: at }).where('workspace_id', '=', ctx.workspaceId).where('id', '=', open.id).execute();
    const actionId = newId(at);
    await tx
      .insertInto('recovery_actions')
      .values({
        id: actionId,
        workspace_id: ctx.workspaceId,
        case_id: open.id,
        ticket_id: ticketId,
        action: input.action,
        compensation_option_id: input.action === 'offered' ? (input.compensationOptionId ?? null) : null,
        compensation: compensation ? JSON.stringify(compensation) : null,
        canned_response_id: input.cannedResponseId ?? null,
        locale: input.locale ?? null,
        note: input.note ?? null,
        actor_type: ctx.actor.type,
        actor_id: ctx.actor.id,
        at,
      })
      .execute();
    const { event, valence } = ACTION_EVENT[input.action];
    await recordHelpDeskTouchpoint(tx, ctx.workspaceId, {
      event,
      key: `recovery:${open.id}:${actionId}`,
      customerId: ticket.customer_id,
      ticketId,
      ticketNumber: ticket.number,
      channel: ticket.channel,
      valence,
      properties: { reason: open.reason, ...(compensation ? { compensation: { kind: compensation.kind, label: compensation.label, amount: compensation.amount, unit: compensation.unit } } : {}) },
      at,
    });
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: `recovery.${input.action}`,
      entityType: 'ticket',
      entityId: ticketId,
      changes: { caseId: open.id, status: [open.status, input.action], ...(compensation ? { compensation: compensation.label } : {}), ...(input.cannedResponseId ? { cannedResponseId: input.cannedResponseId } : {}) },
    });
  });
  return getRecovery(ctx, ticketId);
}

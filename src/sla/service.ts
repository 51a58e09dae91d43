// SLA use cases: business hours and policies (settings), applying a policy to a ticket, and
// re-evaluating a ticket's targets whenever it changes or a timer fires. The clock itself is
// the pure evaluator in src/domain/sla; this module stores what it says as facts: each target's
// state, warnings, the breach (once), and the final hit or miss with how late it was.
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { DB, SlaPoliciesTable } from '../db/schema.ts';
import { diff, recordAudit } from '../audit/store.ts';
import { calendarProblems } from '../domain/sla/calendar.ts';
import type { BusinessCalendar, TimeWindow, WeekdayName } from '../domain/sla/calendar.ts';
import { evaluateSla } from '../domain/sla/evaluate.ts';
import type { SlaMetric, SlaTargets, TargetEvaluation } from '../domain/sla/evaluate.ts';
import { TICKET_PRIORITIES } from '../domain/tickets.ts';
import type { TicketPriority } from '../domain/tickets.ts';
import { recordHelpDeskTouchpoint } from '../journeys/internal.ts';
import { flagForRecoveryInTx } from '../recovery/service.ts';
import type { Actor, WorkspaceContext } from '../shared/context.ts';
import { AppError, checkVersion, conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { enqueue } from '../jobs/enqueue.ts';
import type { Tx } from '../shared/context.ts';
import { calendarFor, loadBusinessCalendar, loadHistory, targetsOf } from './store.ts';

const SYSTEM: Actor = { type: 'system', id: null, role: 'owner' };

// ---- business hours ----------------------------------------------------------------------

export interface BusinessHours extends BusinessCalendar {
  updatedAt: string | null;
}

export async function getBusinessHours(ctx: WorkspaceContext): Promise<BusinessHours | null> {
  const row = await ctx.db.selectFrom('business_hours').select('updated_at').where('workspace_id', '=', ctx.workspaceId).executeTakeFirst();
  const cal = await loadBusinessCalendar(ctx.db, ctx.workspaceId);
  return cal ? { ...cal, updatedAt: row?.updated_at.toISOString() ?? null } : null;
}

export async function putBusinessHours(ctx: WorkspaceContext, input: BusinessCalendar, at = new Date()): Promise<BusinessHours> {
  const problems = calendarProblems(input);
  if (problems.length) throw new AppError(422, 'unprocessable', `Business hours are not usable: ${problems.join('; ')}`, { problems });
  const week: Record<string, TimeWindow[]> = {};
  for (const [day, windows] of Object.entries(input.week)) if (windows?.length) week[day] = windows;
  const holidays = [...new Set(input.holidays)].sort();
  await ctx.db.transaction().execute(async (tx) => {
    const before = await loadBusinessCalendar(tx, ctx.workspaceId);
    await tx
      .insertInto('business_hours')
      .values({ workspace_id: ctx.workspaceId, time_zone: input.timeZone, week: JSON.stringify(week), holidays: JSON.stringify(holidays), updated_at: at })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet({ time_zone: input.timeZone, week: JSON.stringify(week), holidays: JSON.stringify(holidays), updated_at: at }),
      )
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'business_hours.updated',
      entityType: 'workspace',
      entityId: ctx.workspaceId,
      changes: { before, after: { timeZone: input.timeZone, week, holidays } },
    });
  });
  return (await getBusinessHours(ctx)) as BusinessHours;
}

// ---- policies --------------------------------------------------------------------------------

export interface SlaPolicy {
  id: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  useBusinessHours: boolean;
  warnPercent: number;
  targets: Record<TicketPriority, SlaTargets>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SlaPolicyInput {
  name: string;
  description?: string | null;
  isDefault?: boolean;
  useBusinessHours?: boolean;
  warnPercent?: number;
  targets: Partial<Record<TicketPriority, Partial<SlaTargets>>>;
}

type PolicyRow = Awaited<ReturnType<typeof selectPolicies>>[number];
function selectPolicies(db: Kysely<DB>, workspaceId: string) {
  return db.selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
}

function normaliseTargets(input: SlaPolicyInput['targets']): Record<TicketPriority, SlaTargets> {
  const out = {} as Record<TicketPriority, SlaTargets>;
  for (const p of TICKET_PRIORITIES) out[p] = targetsOf(input[p]);
  return out;
}

function toPolicy(row: PolicyRow): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isDefault: row.is_default,
    useBusinessHours: row.use_business_hours,
    warnPercent: row.warn_percent,
    targets: normaliseTargets(row.targets as SlaPolicyInput['targets']),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function listPolicies(ctx: WorkspaceContext): Promise<SlaPolicy[]> {
  return (await selectPolicies(ctx.db, ctx.workspaceId)).map(toPolicy);
}

export async function getPolicy(ctx: WorkspaceContext, id: string): Promise<SlaPolicy> {
  const row = await ctx.db.selectFrom('sla_policies').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('SLA policy');
  return toPolicy(row);
}

function uniqueName(error: unknown, name: string): never {
  if ((error as { code?: string } | null)?.code === '23505') throw conflict(`An SLA policy named "${name}" exists already`);
  throw error;
}

async function clearDefault(tx: Kysely<DB>, workspaceId: string, except: string): Promise<void> {
  await tx.updateTable('sla_policies').set({ is_default: false }).where('workspace_id', '=', workspaceId).where('id', '!=', except).where('is_default', '=', true).execute();
}

export async function createPolicy(ctx: WorkspaceContext, input: SlaPolicyInput, at = new Date()): Promise<SlaPolicy> {
  const id = newId();
  const targets = normaliseTargets(input.targets);
  await ctx.db
    .transaction()
    .execute(async (tx) => {
      // The first policy of a workspace is its default unless told otherwise.
      const existing = await tx.selectFrom('sla_policies').select('id').where('workspace_id', '=', ctx.workspaceId).limit(1).executeTakeFirst();
      const isDefault = input.isDefault ?? !existing;
      if (isDefault) await clearDefault(tx, ctx.workspaceId, id);
      await tx
        .insertInto('sla_policies')
        .values({
          id,
          workspace_id: ctx.workspaceId,
          name: input.name,
          description: input.description ?? null,
          is_default: isDefault,
          use_business_hours: input.useBusinessHours ?? true,
          warn_percent: input.warnPercent ?? 80,
          targets: JSON.stringify(targets),
          created_at: at,
          updated_at: at,
        })
        .execute();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'sla_policy.created', entityType: 'sla_policy', entityId: id, changes: { ...input, targets } });
    })
    .catch((e: unknown) => uniqueName(e, input.name));
  return getPolicy(ctx, id);
}

export async function updatePolicy(ctx: WorkspaceContext, id: string, change: Partial<SlaPolicyInput> & { version?: number | undefined }, at = new Date()): Promise<SlaPolicy> {
  const { version, ...input } = change;
  await ctx.db
    .transaction()
    .execute(async (tx) => {
      const row = await tx.selectFrom('sla_policies').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw notFound('SLA policy');
      checkVersion('SLA policy', version, row.version);
      const before = toPolicy(row);
      const targets = input.targets ? normaliseTargets({ ...before.targets, ...input.targets }) : undefined;
      if (input.isDefault === false && row.is_default) throw new AppError(422, 'unprocessable', 'Make another policy the default instead');
      if (input.isDefault) await clearDefault(tx, ctx.workspaceId, id);
      await tx
        .updateTable('sla_policies')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.isDefault !== undefined ? { is_default: input.isDefault } : {}),
          ...(input.useBusinessHours !== undefined ? { use_business_hours: input.useBusinessHours } : {}),
          ...(input.warnPercent !== undefined ? { warn_percent: input.warnPercent } : {}),
          ...(targets ? { targets: JSON.stringify(targets) } : {}),
          version: row.version + 1,
          updated_at: at,
        })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', id)
        .execute();
      const changes = diff(
        { name: before.name, description: before.description, isDefault: before.isDefault, useBusinessHours: before.useBusinessHours, warnPercent: before.warnPercent, targets: before.targets },
        { ...input, ...(targets ? { targets } : {}) } as Record<string, unknown>,
      );
      await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'sla_policy.updated', entityType: 'sla_policy', entityId: id, changes });
    })
    .catch((e: unknown) => uniqueName(e, input.name ?? ''));
  return getPolicy(ctx, id);
}

export async function deletePolicy(ctx: WorkspaceContext, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('sla_policies').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('SLA policy');
    // Tickets keep the SLA as applied (a snapshot); new tickets get the default, if any.
    await tx.deleteFrom('sla_policies').where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'sla_policy.deleted', entityType: 'sla_policy', entityId: id, changes: { name: row.name } });
  });
}

// ---- applying and evaluating -------------------------------------------------------------

/** What applying an SLA reads of the workspace's default policy. */
export type DefaultSlaPolicy = Pick<Selectable<SlaPoliciesTable>, 'id' | 'name' | 'targets' | 'use_business_hours' | 'warn_percent'>;

/**
 * The workspace's default SLA policy (at most one: sla_policies_one_default): a query, to run or
 * to nest (newTicketSettings).
 */
export function defaultSlaPolicyQuery(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('sla_policies')
    .select(['id', 'name', 'targets', 'use_business_hours', 'warn_percent'])
    .where('workspace_id', '=', workspaceId)
    .where('is_default', '=', true);
}

/**
 * Applies the workspace's default policy to a ticket for its priority (on creation, and again
 * when the priority changes), then evaluates it; answers whether there was one (without, nothing
 * is applied). The caller may pass the ticket's priority and the default policy when it has them
 * (a create), saving reads.
 */
export async function applySla(
  tx: Kysely<DB>,
  workspaceId: string,
  ticketId: string,
  at: Date,
  actor: Actor = SYSTEM,
  known?: { priority: string; defaultPolicy?: DefaultSlaPolicy | null },
): Promise<boolean> {
  const ticket = known ?? (await tx.selectFrom('tickets').select(['priority']).where('workspace_id', '=', workspaceId).where('id', '=', ticketId).executeTakeFirst());
  if (!ticket) return false;
  const policy = known?.defaultPolicy !== undefined ? known.defaultPolicy : await defaultSlaPolicyQuery(tx, workspaceId).executeTakeFirst();
  if (!policy) return false;
  const targets = targetsOf((policy.targets as Record<string, unknown>)[ticket.priority]);
  const current = await tx.selectFrom('ticket_slas').selectAll().where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).executeTakeFirst();
  const values = {
    policy_id: policy.id,
    policy_name: policy.name,
    priority: ticket.priority,
    targets: JSON.stringify(targets),
    use_business_hours: policy.use_business_hours,
    warn_percent: policy.warn_percent,
    applied_at: at,
  };
  if (current) {
    await tx.updateTable('ticket_slas').set(values).where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).execute();
  } else {
    await tx.insertInto('ticket_slas').values({ ticket_id: ticketId, workspace_id: workspaceId, ...values }).execute();
  }
  await recordAudit(tx, workspaceId, actor, {
    action: current ? 'sla.reapplied' : 'sla.applied',
    entityType: 'ticket',
    entityId: ticketId,
    changes: { policy: policy.name, priority: ticket.priority, targets },
  });
  await refreshTicketSla(tx, workspaceId, ticketId, at);
  return true;
}

export interface RefreshResult {
  targets: TargetEvaluation[];
  /** Breaches recorded by this evaluation (each one once, ever). */
  breaches: TargetEvaluation[];
  /** The next instant something is due to happen (a warning or a breach), for a timer. */
  nextTimerAt: Date | null;
}

const metricLabel: Record<SlaMetric, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
};

/** Re-evaluates a ticket's applied SLA at `now` and records what has become a fact. */
export async function refreshTicketSla(tx: Kysely<DB>, workspaceId: string, ticketId: string, now: Date): Promise<RefreshResult> {
  const applied = await tx.selectFrom('ticket_slas').selectAll().where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).executeTakeFirst();
  const none: RefreshResult = { targets: [], breaches: [], nextTimerAt: null };
  if (!applied) return none;
  const history = await loadHistory(tx, workspaceId, ticketId);
  if (!history) return none;
  const calendar = await calendarFor(tx, workspaceId, applied.use_business_hours);
  const targets = evaluateSla({ history, targets: targetsOf(applied.targets), calendar, now, warnPercent: applied.warn_percent });

  await tx.deleteFrom('ticket_sla_targets').where('workspace_id', '=', workspaceId).where('ticket_id', '=', ticketId).execute();
  if (targets.length) {
    await tx
      .insertInto('ticket_sla_targets')
      .values(
        targets.map((t) => ({
          workspace_id: workspaceId,
          ticket_id: ticketId,
          metric: t.metric,
          cycle: t.cycle,
          target_minutes: t.targetMinutes,
          started_at: t.startedAt,
          due_at: t.dueAt,
          warn_at: t.warnAt,
          stopped_at: t.stoppedAt,
          clock: t.clock,
          outcome: t.outcome,
          elapsed_ms: t.elapsedMs,
          late_by_ms: t.lateByMs,
          evaluated_at: now,
        })),
      )
      .execute();
  }

  const ticket = await tx
    .selectFrom('tickets')
    .select(['id', 'number', 'customer_id', 'channel'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
  const breaches: TargetEvaluation[] = [];
  let nextTimerAt: number | null = null;
  const event = (t: TargetEvaluation, kind: string, occurredAt: Date) => ({
    id: newId(occurredAt),
    workspace_id: workspaceId,
    ticket_id: ticketId,
    policy_id: applied.policy_id,
    metric: t.metric,
    cycle: t.cycle,
    kind,
    target_minutes: t.targetMinutes,
    due_at: t.dueAt,
    late_by_ms: t.lateByMs,
    occurred_at: occurredAt,
  });
  for (const t of targets) {
    const warnedBeforeStop = t.warnAt && +t.warnAt <= +now && (t.stoppedAt === null || +t.stoppedAt >= +t.warnAt);
    if (warnedBeforeStop && t.warnAt) {
      await tx.insertInto('sla_events').values(event(t, 'warning', t.warnAt)).onConflict((oc) => oc.doNothing()).execute();
    }
    if (t.outcome === 'missed' && t.dueAt) {
      const inserted = await tx
        .insertInto('sla_events')
        .values(event(t, 'breach', t.dueAt))
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        breaches.push(t);
        await recordHelpDeskTouchpoint(tx, workspaceId, {
          event: 'SLA Breached',
          key: `sla:${ticketId}:${t.metric}:${t.cycle}:breach`,
          customerId: ticket.customer_id,
          ticketId,
          ticketNumber: ticket.number,
          channel: ticket.channel,
          valence: 'negative',
          properties: { metric: t.metric, targetMinutes: t.targetMinutes, dueAt: t.dueAt.toISOString() },
          at: t.dueAt,
        });
        await recordAudit(tx, workspaceId, SYSTEM, {
          action: 'sla.breached',
          entityType: 'ticket',
          entityId: ticketId,
          changes: { metric: t.metric, cycle: t.cycle, targetMinutes: t.targetMinutes, dueAt: t.dueAt.toISOString() },
        });
        await flagForRecoveryInTx(tx, workspaceId, SYSTEM, ticketId, {
          reason: 'sla_breach',
          detail: { metric: t.metric, cycle: t.cycle, dueAt: t.dueAt.toISOString(), label: `${metricLabel[t.metric]} target of ${t.targetMinutes} min missed` },
          at: t.dueAt,
        });
      }
    }
    if (t.clock === 'stopped' && t.stoppedAt) {
      const kind = t.outcome === 'missed' ? 'miss' : 'hit';
      await tx
        .insertInto('sla_events')
        .values(event(t, kind, t.stoppedAt))
        .onConflict((oc) => oc.columns(['workspace_id', 'ticket_id', 'metric', 'cycle', 'kind']).doUpdateSet({ late_by_ms: t.lateByMs, occurred_at: t.stoppedAt as Date }))
        .execute();
    } else {
      // A reopened ticket: a hit recorded at an earlier solve was provisional.
      await tx
        .deleteFrom('sla_events')
        .where('workspace_id', '=', workspaceId)
        .where('ticket_id', '=', ticketId)
        .where('metric', '=', t.metric)
        .where('cycle', '=', t.cycle)
        .where('kind', '=', 'hit')
        .execute();
      if (t.clock === 'running') {
        for (const at of [t.warnAt, t.dueAt]) {
          if (at && +at > +now && (nextTimerAt === null || +at < nextTimerAt)) nextTimerAt = +at;
        }
      }
    }
  }
  const next = nextTimerAt === null ? null : new Date(nextTimerAt);
  if (next) {
    // A durable timer (job 'sla.timer', src/sla/timers.ts) evaluates the ticket again then.
    await enqueue(tx as Tx, 'sla.timer', { workspaceId, ticketId, dueAt: next.toISOString() }, { startAfter: next, singletonKey: `${ticketId}@${next.toISOString()}` });
  }
  return { targets, breaches, nextTimerAt: next };
}

/**
 * Records warnings and breaches that have come due by `now` on every ticket of every workspace
 * (what the timers do; also a catch-up after downtime). Each ticket in its own transaction.
 */
export async function sweepSla(db: Kysely<DB>, now: Date = new Date(), limit = 500): Promise<{ tickets: number; breaches: number }> {
  const due = await db
    .selectFrom('ticket_sla_targets as t')
    .select(['t.workspace_id', 't.ticket_id'])
    .distinct()
    .where('t.clock', '=', 'running')
    .where('t.outcome', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb('t.due_at', '<=', now),
        eb.and([
          eb('t.warn_at', '<=', now),
          eb.not(
            eb.exists(
              eb
                .selectFrom('sla_events as e')
                .select(sql`1`.as('one'))
                .whereRef('e.workspace_id', '=', 't.workspace_id')
                .whereRef('e.ticket_id', '=', 't.ticket_id')
                .whereRef('e.metric', '=', 't.metric')
                .whereRef('e.cycle', '=', 't.cycle')
                .where('e.kind', '=', 'warning'),
            ),
          ),
        ]),
      ]),
    )
    .limit(limit)
    .execute();
  let breaches = 0;
  for (const row of due) {
    const result = await db.transaction().execute(async (tx) => {
      await tx.selectFrom('tickets').select('id').where('workspace_id', '=', row.workspace_id).where('id', '=', row.ticket_id).forUpdate().execute();
      return refreshTicketSla(tx, row.workspace_id, row.ticket_id, now);
    });
    breaches += result.breaches.length;
  }
  return { tickets: due.length, breaches };
}

// ---- what the ticket API shows ---------------------------------------------------------------

export interface TicketSlaTarget {
  metric: SlaMetric;
  cycle: number;
  targetMinutes: number;
  startedAt: string;
  dueAt: string | null;
  warnAt: string | null;
  stoppedAt: string | null;
  clock: 'running' | 'paused' | 'stopped';
  outcome: 'pending' | 'hit' | 'missed';
  breached: boolean;
  /** Open time beyond the target as last evaluated (grows while a breached clock runs). */
  lateByMs: number;
}

export interface TicketSla {
  policyId: string | null;
  policyName: string;
  priority: TicketPriority;
  useBusinessHours: boolean;
  breached: boolean;
  atRisk: boolean;
  /** The earliest due time of a running target not yet breached: the inbox countdown. */
  nextDueAt: string | null;
  targets: TicketSlaTarget[];
}

export async function slaStates(db: Kysely<DB>, workspaceId: string, ticketIds: string[], now = new Date()): Promise<Map<string, TicketSla>> {
  const out = new Map<string, TicketSla>();
  if (ticketIds.length === 0) return out;
  // One round trip for a page: each applied SLA with its targets (a row per target, or one row
  // with no target), targets in the order they are listed.
  const rows = await db
    .selectFrom('ticket_slas as s')
    .leftJoin('ticket_sla_targets as t', (j) => j.onRef('t.workspace_id', '=', 's.workspace_id').onRef('t.ticket_id', '=', 's.ticket_id'))
    .select(['s.ticket_id', 's.policy_id', 's.policy_name', 's.priority', 's.use_business_hours'])
    .select([
      't.ticket_id as target_ticket_id',
      't.metric',
      't.cycle',
      't.target_minutes',
      't.started_at',
      't.due_at',
      't.warn_at',
      't.stopped_at',
      't.clock',
      't.outcome',
      't.late_by_ms',
    ])
    .where('s.workspace_id', '=', workspaceId)
    .where('s.ticket_id', 'in', ticketIds)
    .orderBy('s.ticket_id')
    .orderBy('t.started_at')
    .orderBy('t.metric')
    .execute();
  const applied = rows.filter((r, i) => i === 0 || rows[i - 1]?.ticket_id !== r.ticket_id);
  const targets = rows.flatMap((r) =>
    r.target_ticket_id !== null && r.metric !== null && r.cycle !== null && r.target_minutes !== null && r.started_at !== null && r.clock !== null && r.outcome !== null
      ? [{ ...r, ticket_id: r.target_ticket_id, metric: r.metric, cycle: r.cycle, target_minutes: r.target_minutes, started_at: r.started_at, clock: r.clock, outcome: r.outcome }]
      : [],
  );
  for (const a of applied) {
    out.set(a.ticket_id, {
      policyId: a.policy_id,
      policyName: a.policy_name,
      priority: a.priority as TicketPriority,
      useBusinessHours: a.use_business_hours,
      breached: false,
      atRisk: false,
      nextDueAt: null,
      targets: [],
    });
  }
  for (const t of targets) {
    const sla = out.get(t.ticket_id);
    if (!sla) continue;
    const running = t.clock === 'running';
    const breached = t.outcome === 'missed' || (running && t.due_at !== null && +t.due_at < +now);
    const atRisk = !breached && running && t.warn_at !== null && +t.warn_at <= +now;
    sla.targets.push({
      metric: t.metric as SlaMetric,
      cycle: t.cycle,
      targetMinutes: t.target_minutes,
      startedAt: t.started_at.toISOString(),
      dueAt: t.due_at?.toISOString() ?? null,
      warnAt: t.warn_at?.toISOString() ?? null,
      stoppedAt: t.stopped_at?.toISOString() ?? null,
      clock: t.clock as TicketSlaTarget['clock'],
      outcome: breached ? 'missed' : (t.outcome as TicketSlaTarget['outcome']),
      breached,
      lateByMs: Number(t.late_by_ms),
    });
    sla.breached ||= breached;
    sla.atRisk ||= atRisk;
    if (running && !breached && t.due_at && (sla.nextDueAt === null || t.due_at.toISOString() < sla.nextDueAt)) sla.nextDueAt = t.due_at.toISOString();
  }
  return out;
}

export type WeekInput = Partial<Record<WeekdayName, TimeWindow[]>>;

// Surveys: definitions, invitations (what to send to whom, when), the single-use answer link,
// answers and what they set off (a touchpoint, service recovery, pain-point phrases).
//
// An invitation row is the durable record of a survey to send: a trigger writes it in the
// caller's transaction (status 'scheduled', due_at after the configured delay), the dispatcher
// gives it a random token (stored only as its SHA-256) and queues the e-mail, and the customer
// answers it at most once before it expires.
import { insertTouchpoints } from '../journeys/store.ts';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { DB, SurveyInvitationsTable, SurveysTable } from '../db/schema.ts';
import { hashSecret } from '../auth/secrets.ts';
import { recordAudit } from '../audit/store.ts';
import { classifyText } from '../domain/classifier.ts';
import { isStage, type Stage, type Valence } from '../domain/moments.ts';
import {
  DEFAULT_NEGATIVE, isNegativeAnswer, scoreValence, type NegativeThresholds, type SurveyMetric,
} from '../domain/survey-metrics.ts';
import {
  answerProblem, checkedAnswer, dueAt, mayBeSurveyed, type CustomQuestion, type Localised, type SurveyAnswer,
  type SurveyDefinition, type SurveyKind, type SurveyLocale, type SurveyTrigger,
} from '../domain/surveys.ts';
import { AppError, notFound, unprocessable } from '../shared/errors.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { emailForInvitation } from './texts.ts';
import { recordSurveyPhrases } from '../painpoints/service.ts';
import { flagForRecoveryInTx } from '../recovery/service.ts';
import { queueDispatch, queueSurveyEmail, queueSweep } from './queue.ts';

type SurveyRow = Selectable<SurveysTable>;
type InvitationRow = Selectable<SurveyInvitationsTable>;

const DAY_MS = 86_400_000;
/** What the survey machinery does on its own (sending, flagging after an answer) is audited as the system. */
const SURVEY_ACTOR = { type: 'system', id: null, role: 'owner' } as const;

export interface Survey {
  id: string;
  name: string;
  type: SurveyKind;
  question: Localised;
  commentPrompt: Localised;
  questions: CustomQuestion[];
  trigger: SurveyTrigger;
  delayMinutes: number;
  event: string | null;
  stage: Stage | null;
  throttleDays: number;
  linkTtlHours: number;
  negative: NegativeThresholds;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SurveyInput {
  name: string;
  type: SurveyKind;
  question?: Localised | undefined;
  commentPrompt?: Localised | undefined;
  questions?: CustomQuestion[] | undefined;
  trigger: SurveyTrigger;
  delayMinutes?: number | undefined;
  event?: string | undefined;
  stage?: Stage | undefined;
  throttleDays?: number | undefined;
  linkTtlHours?: number | undefined;
  negative?: Partial<NegativeThresholds> | undefined;
  active?: boolean | undefined;
}

function toSurvey(row: SurveyRow): Survey {
  const config = row.trigger_config;
  return {
    id: row.id,
    name: row.name,
    type: row.type as SurveyKind,
    question: row.question,
    commentPrompt: row.comment_prompt,
    questions: row.questions as CustomQuestion[],
    trigger: row.trigger as SurveyTrigger,
    delayMinutes: typeof config.delayMinutes === 'number' ? config.delayMinutes : 0,
    event: typeof config.event === 'string' ? config.event : null,
    stage: isStage(config.stage) ? config.stage : null,
    throttleDays: row.throttle_days,
    linkTtlHours: row.link_ttl_hours,
    negative: { ...DEFAULT_NEGATIVE, ...row.negative },
    active: row.active,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const definitionOf = (row: SurveyRow): SurveyDefinition => ({
  type: row.type as SurveyKind,
  question: row.question,
  commentPrompt: row.comment_prompt,
  questions: row.questions as CustomQuestion[],
});

function checkDefinition(input: Pick<SurveyInput, 'type' | 'questions' | 'trigger' | 'event' | 'stage'>): void {
  if (input.type === 'custom' && !input.questions?.length) throw unprocessable('A custom survey needs at least one question');
  if (input.type !== 'custom' && input.questions?.length) throw unprocessable(`A ${input.type.toUpperCase()} survey asks its own question; questions are for custom surveys`);
  const ids = (input.questions ?? []).map((q) => q.id);
  if (new Set(ids).size !== ids.length) throw unprocessable('Question ids must be unique');
  if (input.trigger === 'stage_reached' && !input.event && !input.stage) {
    throw unprocessable('A stage_reached survey needs the event (e.g. "Onboarding Completed") or the stage that triggers it');
  }
}

function triggerConfig(input: SurveyInput): Record<string, unknown> {
  if (input.trigger === 'ticket_solved') return { delayMinutes: input.delayMinutes ?? 60 };
  if (input.trigger === 'stage_reached') return { ...(input.event ? { event: input.event } : {}), ...(input.stage ? { stage: input.stage } : {}) };
  return {};
}

export async function createSurvey(ctx: WorkspaceContext, input: SurveyInput, at = new Date()): Promise<Survey> {
  checkDefinition(input);
  const id = newId();
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('surveys')
      .values({
        id,
        workspace_id: ctx.workspaceId,
        name: input.name,
        type: input.type,
        question: JSON.stringify(input.question ?? {}),
        comment_prompt: JSON.stringify(input.commentPrompt ?? {}),
        questions: JSON.stringify(input.questions ?? []),
        trigger: input.trigger,
        trigger_config: JSON.stringify(triggerConfig(input)),
        throttle_days: input.throttleDays ?? 30,
        link_ttl_hours: input.linkTtlHours ?? 168,
        negative: JSON.stringify({ ...DEFAULT_NEGATIVE, ...input.negative }),
        active: input.active ?? true,
        // A stage trigger looks at touchpoints from its creation on, not at all of history.
        scanned_until: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
    // The sweep finds stage triggers and catches up on pain points while any survey is active.
    await queueSweep(tx, at);
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'survey.created', entityType: 'survey', entityId: id, changes: { name: input.name, type: input.type, trigger: input.trigger },
    });
  });
  return getSurvey(ctx, id);
}

async function surveyRow(db: Kysely<DB>, workspaceId: string, id: string): Promise<SurveyRow | undefined> {
  return db.selectFrom('surveys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function getSurvey(ctx: WorkspaceContext, id: string): Promise<Survey> {
  const row = await surveyRow(ctx.db, ctx.workspaceId, id);
  if (!row) throw notFound('Survey');
  return toSurvey(row);
}

export async function listSurveys(ctx: WorkspaceContext): Promise<Survey[]> {
  const rows = await ctx.db.selectFrom('surveys').selectAll().where('workspace_id', '=', ctx.workspaceId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toSurvey);
}

export async function updateSurvey(ctx: WorkspaceContext, id: string, patch: Partial<SurveyInput>, at = new Date()): Promise<Survey> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('surveys').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('Survey');
    const current = toSurvey(row);
    if (patch.type !== undefined && patch.type !== current.type) throw unprocessable('The type of a survey cannot change; create a new survey');
    const merged: SurveyInput = {
      ...current,
      event: current.event ?? undefined,
      stage: current.stage ?? undefined,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    };
    checkDefinition(merged);
    await tx
      .updateTable('surveys')
      .set({
        name: merged.name,
        question: JSON.stringify(merged.question ?? {}),
        comment_prompt: JSON.stringify(merged.commentPrompt ?? {}),
        questions: JSON.stringify(merged.questions ?? []),
        trigger: merged.trigger,
        trigger_config: JSON.stringify(triggerConfig(merged)),
        throttle_days: merged.throttleDays ?? 30,
        link_ttl_hours: merged.linkTtlHours ?? 168,
        negative: JSON.stringify({ ...DEFAULT_NEGATIVE, ...merged.negative }),
        active: merged.active ?? true,
        updated_at: at,
      })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', id)
      .execute();
    if (merged.active ?? true) await queueSweep(tx, at);
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'survey.updated', entityType: 'survey', entityId: id, changes: Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    });
  });
  return getSurvey(ctx, id);
}

// ---- invitations ----------------------------------------------------------------------------

interface InvitationFacts {
  customerId: string;
  ticketId?: string | null;
  agentId?: string | null;
  teamId?: string | null;
  channel?: string | null;
  stage: Stage;
  trigger: SurveyTrigger;
  triggerKey: string;
  delivery?: 'email' | 'widget';
}

/** When the customer was last surveyed (or is about to be), other than by `exceptId`. */
async function lastSurveyedAt(db: Kysely<DB>, workspaceId: string, customerId: string, exceptId?: string): Promise<Date | null> {
  let q = db
    .selectFrom('survey_invitations')
    .select(sql<Date | null>`max(coalesce(sent_at, due_at))`.as('last'))
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .where('status', 'in', ['scheduled', 'sent', 'answered']);
  if (exceptId) q = q.where('id', '<>', exceptId);
  const row = await q.executeTakeFirst();
  return row?.last ? new Date(row.last) : null;
}

async function customerForSurvey(db: Kysely<DB>, workspaceId: string, customerId: string) {
  // Locks the customer, so two triggers at once cannot both pass the throttle.
  return db
    .selectFrom('customers')
    .innerJoin('workspaces', 'workspaces.id', 'customers.workspace_id')
    .select(['customers.id', 'customers.email', 'customers.name', 'customers.locale', 'workspaces.default_locale'])
    .where('customers.workspace_id', '=', workspaceId)
    .where('customers.id', '=', customerId)
    .forUpdate('customers')
    .executeTakeFirst();
}

export type InvitationOutcome = 'scheduled' | 'throttled' | 'duplicate';

/**
 * Writes one invitation in `tx` (the caller's transaction): 'scheduled' for `due`, or
 * 'throttled' when the customer was surveyed within the survey's throttle period. The same
 * trigger fact twice writes one row; a solved ticket solved again reschedules its survey if
 * it has not gone out yet.
 */
async function invite(tx: Kysely<DB>, workspaceId: string, survey: SurveyRow, facts: InvitationFacts, at: Date, due: Date): Promise<InvitationOutcome> {
  const customer = await customerForSurvey(tx, workspaceId, facts.customerId);
  if (!customer) return 'duplicate';
  const existing = await tx
    .selectFrom('survey_invitations')
    .select(['id', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('trigger_key', '=', facts.triggerKey)
    .executeTakeFirst();
  if (existing && existing.status !== 'cancelled') return 'duplicate';
  const last = await lastSurveyedAt(tx, workspaceId, facts.customerId, existing?.id);
  const status = mayBeSurveyed(last, due, survey.throttle_days) ? 'scheduled' : 'throttled';
  if (existing) {
    await tx.updateTable('survey_invitations').set({ status, due_at: due }).where('id', '=', existing.id).where('workspace_id', '=', workspaceId).execute();
    if (status === 'scheduled') await queueDispatch(tx, workspaceId, existing.id, due);
    return status;
  }
  const id = newId();
  await tx
    .insertInto('survey_invitations')
    .values({
      id,
      workspace_id: workspaceId,
      survey_id: survey.id,
      customer_id: facts.customerId,
      ticket_id: facts.ticketId ?? null,
      agent_id: facts.agentId ?? null,
      team_id: facts.teamId ?? null,
      channel: facts.channel ?? null,
      stage: facts.stage,
      locale: customer.locale ?? customer.default_locale,
      trigger: facts.trigger,
      trigger_key: facts.triggerKey,
      status,
      delivery: facts.delivery ?? (customer.email ? 'email' : 'widget'),
      due_at: due,
      created_at: at,
    })
    .execute();
  // Sent by a durable job at its due time; a manual send also goes out at once (see routes).
  if (status === 'scheduled') await queueDispatch(tx, workspaceId, id, due);
  return status;
}

/**
 * A ticket was solved: every active ticket_solved survey schedules one invitation for it, due
 * after the survey's delay. Called in the transaction that solves the ticket.
 */
export async function scheduleSurveysForSolvedTicket(
  tx: Kysely<DB>,
  workspaceId: string,
  ticket: { id: string; customer_id: string; channel: string; assignee_id: string | null; team_id: string | null },
  at: Date,
): Promise<void> {
  const surveys = await tx
    .selectFrom('surveys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('trigger', '=', 'ticket_solved')
    .where('active', '=', true)
    .execute();
  if (surveys.length === 0) return;
  // The answer is about the agent who handled the ticket: its assignee, else who replied last.
  const agentId = ticket.assignee_id ?? (await tx
    .selectFrom('messages')
    .select('author_agent_id')
    .where('workspace_id', '=', workspaceId)
    .where('ticket_id', '=', ticket.id)
    .where('kind', '=', 'reply')
    .where('author_agent_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst())?.author_agent_id ?? null;
  for (const survey of surveys) {
    const delay = toSurvey(survey).delayMinutes;
    await invite(tx, workspaceId, survey, {
      customerId: ticket.customer_id,
      ticketId: ticket.id,
      agentId,
      teamId: ticket.team_id,
      channel: ticket.channel,
      stage: 'smot',
      trigger: 'ticket_solved',
      triggerKey: `solved:${survey.id}:${ticket.id}`,
    }, at, dueAt(at, delay));
  }
}

/** How recent a touchpoint must be to trigger a stage_reached survey. */
export const STAGE_TRIGGER_RECENT_MS = 7 * 86_400_000;
const SCAN_BATCH = 5_000;

/**
 * Stage triggers: touchpoints received since the last scan that match a stage_reached survey
 * (by event name or stage) invite their customer. Runs off the ingestion path (a job or a
 * timer), so ingesting a touchpoint never waits for it. Scans overlap by a minute, to catch
 * transactions that committed late; the trigger key keeps one invitation per touchpoint.
 * Only touchpoints that happened lately count (within STAGE_TRIGGER_RECENT_MS of the scan):
 * an imported history of last year's onboardings must not survey everyone today, and the
 * bound lets the scan read the latest partitions by the primary key instead of every
 * touchpoint the workspace ever had.
 */
export async function scanStageTriggers(db: Kysely<DB>, at: Date, workspaceId?: string, pageSize = SCAN_BATCH): Promise<number> {
  let q = db.selectFrom('surveys').selectAll().where('trigger', '=', 'stage_reached').where('active', '=', true);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  const surveys = await q.execute();
  let invited = 0;
  for (const survey of surveys) {
    const s = toSurvey(survey);
    const since = new Date((survey.scanned_until ? new Date(survey.scanned_until) : at).getTime() - 60_000);
    const recent = new Date(at.getTime() - STAGE_TRIGGER_RECENT_MS);
    let t = db
      .selectFrom('touchpoints')
      .select(['id', 'customer_id', 'stage', 'channel', 'ticket_id', 'occurred_at'])
      .where('workspace_id', '=', survey.workspace_id)
      .where('customer_id', 'is not', null)
      .where('kind', '<>', 'identify')
      .where('decided_by', '<>', 'survey')
      .where('occurred_at', '>=', recent)
      .where('occurred_at', '<=', new Date(at.getTime() + STAGE_TRIGGER_RECENT_MS))
      .where('received_at', '>=', since)
      .where('received_at', '<=', at);
    if (s.event) {
      const e = s.event.toLowerCase().replace(/[\s_\-.:/]+/g, '');
      t = t.where(sql<string>`lower(regexp_replace(event, '[[:space:]_.:/-]+', '', 'g'))`, '=', e);
    }
    if (s.stage) t = t.where('stage', '=', s.stage);
    // Pages in (received_at, id) order, each invited in its own transaction, until one comes
    // back short: however many arrived since the last scan, all are read, none twice.
    // The cursor keeps PostgreSQL's own text of received_at: a JavaScript Date has milliseconds
    // only, and would compare before the microseconds of the row it came from.
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const from: { at: string; id: string } | null = after;
      const cursorAt = from ? sql<Date>`${from.at}::timestamptz` : null;
      const page: Array<{ id: string; customer_id: string | null; stage: string; channel: string | null; ticket_id: string | null; cursor: string }> = await (from && cursorAt
        ? t.where((eb) => eb.or([eb('received_at', '>', cursorAt), eb.and([eb('received_at', '=', cursorAt), eb('id', '>', from.id)])]))
        : t)
        .select(sql<string>`received_at::text`.as('cursor'))
        .orderBy('received_at')
        .orderBy('id')
        .limit(pageSize)
        .execute();
      const last = page.at(-1);
      const done = page.length < pageSize;
      await db.transaction().execute(async (tx) => {
        for (const tp of page) {
          const outcome = await invite(tx, survey.workspace_id, survey, {
            customerId: tp.customer_id as string,
            ticketId: tp.ticket_id,
            channel: tp.channel,
            stage: tp.stage as Stage,
            trigger: 'stage_reached',
            triggerKey: `stage:${survey.id}:${tp.id}`,
          }, at, at);
          if (outcome === 'scheduled') invited += 1;
        }
        if (done) await tx.updateTable('surveys').set({ scanned_until: at }).where('id', '=', survey.id).where('workspace_id', '=', survey.workspace_id).execute();
      });
      if (done || !last) break;
      after = { at: last.cursor, id: last.id };
    }
  }
  return invited;
}

export interface SegmentInput {
  customerIds?: string[] | undefined;
  filter?: { locale?: SurveyLocale | undefined; stage?: Stage | undefined; sinceDays?: number | undefined; hasEmail?: boolean | undefined } | undefined;
  delivery?: 'email' | 'widget' | undefined;
}

const MAX_SEGMENT = 5_000;

/** Sends a survey by hand to a list of customers or to those a filter picks (at most 5,000). */
export async function sendToSegment(
  ctx: WorkspaceContext,
  surveyId: string,
  input: SegmentInput,
  at = new Date(),
): Promise<{ scheduled: number; throttled: number; duplicate: number; customers: number }> {
  const survey = await surveyRow(ctx.db, ctx.workspaceId, surveyId);
  if (!survey) throw notFound('Survey');
  if (!survey.active) throw unprocessable('The survey is not active');
  if (!input.customerIds?.length && !input.filter) throw unprocessable('Give customerIds or a filter');
  let q = ctx.db.selectFrom('customers').select(['customers.id']).where('customers.workspace_id', '=', ctx.workspaceId);
  if (input.customerIds?.length) q = q.where('customers.id', 'in', input.customerIds);
  const f = input.filter;
  if (f?.locale) q = q.where('customers.locale', '=', f.locale);
  if (f?.hasEmail) q = q.where('customers.email', 'is not', null);
  if (f?.stage) {
    const since = new Date(at.getTime() - (f.sinceDays ?? 90) * DAY_MS);
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('touchpoints')
          .select(sql`1`.as('one'))
          .where('touchpoints.workspace_id', '=', ctx.workspaceId)
          .whereRef('touchpoints.customer_id', '=', 'customers.id')
          .where('touchpoints.stage', '=', f.stage as Stage)
          .where('touchpoints.occurred_at', '>=', since),
      ),
    );
  }
  const customers = await q.orderBy('customers.id').limit(MAX_SEGMENT + 1).execute();
  if (customers.length > MAX_SEGMENT) throw unprocessable(`The segment has more than ${MAX_SEGMENT} customers; narrow it`);
  if (input.customerIds?.length && customers.length !== new Set(input.customerIds).size) {
    throw unprocessable('Some customerIds are not customers of this workspace');
  }
  const counts = { scheduled: 0, throttled: 0, duplicate: 0, customers: customers.length };
  const batch = newId();
  await ctx.db.transaction().execute(async (tx) => {
    for (const c of customers) {
      const stage = await latestStage(tx, ctx.workspaceId, c.id);
      const outcome = await invite(tx, ctx.workspaceId, survey, {
        customerId: c.id,
        stage,
        trigger: 'manual',
        triggerKey: `manual:${batch}:${c.id}`,
        ...(input.delivery ? { delivery: input.delivery } : {}),
      }, at, at);
      counts[outcome] += 1;
    }
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'survey.sent', entityType: 'survey', entityId: surveyId, changes: { batch, ...counts },
    });
  });
  return counts;
}

/** The stage of the customer's latest interaction (SMOT when there is none: they are a customer). */
async function latestStage(db: Kysely<DB>, workspaceId: string, customerId: string): Promise<Stage> {
  const row = await db
    .selectFrom('touchpoints')
    .select('stage')
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .where('kind', '<>', 'identify')
    .where('decided_by', '<>', 'survey') // an earlier answer is not where the customer is
    .orderBy('occurred_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && isStage(row.stage) ? row.stage : 'smot';
}

// ---- dispatch -------------------------------------------------------------------------------

const TOKEN = /^sv_[A-Za-z0-9_-]{43}$/;
export const newSurveyToken = (): string => `sv_${randomBytes(32).toString('base64url')}`;

/** Where answer links point; TRUTHDESK_PUBLIC_URL in production (links leave the machine). */
export function publicBaseUrl(): string {
  return (process.env.TRUTHDESK_PUBLIC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
}

export interface Dispatched {
  invitationId: string;
  workspaceId: string;
  status: 'sent' | 'throttled' | 'cancelled';
  delivery: 'email' | 'widget';
  /** Only for 'sent': the raw token exists nowhere else but in the queued e-mail. */
  token?: string;
  link?: string;
}

/**
 * Sends the invitations that are due: each gets its single-use token and expiry, and an e-mail
 * invitation its queued e-mail with the link. A customer surveyed meanwhile is throttled; a
 * ticket reopened before its survey went out cancels it (solving it again reschedules it).
 */
export async function dispatchDueInvitations(
  db: Kysely<DB>,
  at: Date,
  options: {
    workspaceId?: string; invitationId?: string; limit?: number; evenIfNotDue?: boolean;
    /** false: give the links but queue no e-mail (demo data, whose addresses are not real). */
    mail?: boolean;
  } = {},
): Promise<Dispatched[]> {
  const out: Dispatched[] = [];
  await db.transaction().execute(async (tx) => {
    let q = tx
      .selectFrom('survey_invitations')
      .selectAll()
      .where('status', '=', 'scheduled');
    if (!(options.evenIfNotDue && options.invitationId)) q = q.where('due_at', '<=', at);
    if (options.workspaceId) q = q.where('workspace_id', '=', options.workspaceId);
    if (options.invitationId) q = q.where('id', '=', options.invitationId);
    const due = await q.orderBy('due_at').limit(options.limit ?? 200).forUpdate().skipLocked().execute();
    for (const inv of due) out.push(await dispatchOne(tx, inv, at, options.mail ?? true));
  });
  return out;
}

async function dispatchOne(tx: Kysely<DB>, inv: InvitationRow, at: Date, mail: boolean): Promise<Dispatched> {
  const base = { invitationId: inv.id, workspaceId: inv.workspace_id, delivery: inv.delivery as 'email' | 'widget' };
  const survey = await surveyRow(tx, inv.workspace_id, inv.survey_id);
  const setStatus = (status: string) =>
    tx.updateTable('survey_invitations').set({ status }).where('id', '=', inv.id).where('workspace_id', '=', inv.workspace_id).execute();
  if (!survey?.active) {
    await setStatus('cancelled');
    return { ...base, status: 'cancelled' };
  }
  if (inv.ticket_id && inv.trigger === 'ticket_solved') {
    const ticket = await tx.selectFrom('tickets').select('status').where('workspace_id', '=', inv.workspace_id).where('id', '=', inv.ticket_id).executeTakeFirst();
    if (!ticket || (ticket.status !== 'solved' && ticket.status !== 'closed')) {
      await setStatus('cancelled');
      return { ...base, status: 'cancelled' };
    }
  }
  const customer = await customerForSurvey(tx, inv.workspace_id, inv.customer_id);
  // Another invitation still only scheduled does not hold this one back: the first due goes.
  const lastSent = await tx
    .selectFrom('survey_invitations')
    .select(sql<Date | null>`max(sent_at)`.as('last'))
    .where('workspace_id', '=', inv.workspace_id)
    .where('customer_id', '=', inv.customer_id)
    .where('status', 'in', ['sent', 'answered'])
    .where('id', '<>', inv.id)
    .executeTakeFirst();
  if (!customer || !mayBeSurveyed(lastSent?.last ? new Date(lastSent.last) : null, at, survey.throttle_days)) {
    await setStatus('throttled');
    return { ...base, status: 'throttled' };
  }
  const token = newSurveyToken();
  const expires = new Date(at.getTime() + survey.link_ttl_hours * 3_600_000);
  await tx
    .updateTable('survey_invitations')
    .set({ status: 'sent', sent_at: at, expires_at: expires, token_hash: hashSecret(token) })
    .where('id', '=', inv.id)
    .where('workspace_id', '=', inv.workspace_id)
    .execute();
  const workspace = await tx.selectFrom('workspaces').select(['slug', 'name']).where('id', '=', inv.workspace_id).executeTakeFirstOrThrow();
  const link = `${publicBaseUrl()}/s/${workspace.slug}/${token}`;
  if (mail && inv.delivery === 'email' && customer.email) {
    const mail = emailForInvitation(inv.locale as SurveyLocale, { name: customer.name, workspace: workspace.name, link, expires, survey: definitionOf(survey) });
    await queueSurveyEmail(tx, inv.workspace_id, {
      invitationId: inv.id, to: customer.email, locale: inv.locale as SurveyLocale, subject: mail.subject, text: mail.text, html: mail.html,
    });
  }
  await recordAudit(tx, inv.workspace_id, SURVEY_ACTOR, {
    action: 'survey.invitation_sent', entityType: 'survey_invitation', entityId: inv.id, changes: { surveyId: inv.survey_id, delivery: inv.delivery, expiresAt: expires.toISOString() },
  });
  return { ...base, status: 'sent', token, link };
}

// ---- the public answer link -----------------------------------------------------------------

export interface OpenInvitation {
  invitation: InvitationRow;
  survey: SurveyRow;
  definition: SurveyDefinition;
}

/**
 * The invitation behind a link, checked: the token must be well-formed, belong to the named
 * workspace and to an invitation that was sent; used → 409, expired → 410, anything else → 404.
 */
export async function openInvitation(db: Kysely<DB>, workspaceSlug: string, token: string, at: Date): Promise<OpenInvitation> {
  // The slug comes from a URL path, where %00 decodes to NUL, which PostgreSQL refuses in a query.
  if (!TOKEN.test(token) || workspaceSlug.includes('\u0000')) throw notFound('Survey link');
  const row = await db
    .selectFrom('survey_invitations')
    .innerJoin('workspaces', 'workspaces.id', 'survey_invitations.workspace_id')
    .selectAll('survey_invitations')
    .where('survey_invitations.token_hash', '=', hashSecret(token))
    .where('workspaces.slug', '=', workspaceSlug)
    .executeTakeFirst();
  if (!row || row.status === 'scheduled' || row.status === 'cancelled' || row.status === 'throttled') throw notFound('Survey link');
  // The customer's language goes with the refusal, so a page can say it in their words.
  const locale = { locale: row.locale };
  if (row.status === 'answered') throw new AppError(409, 'conflict', 'This survey has already been answered', locale);
  if (!row.expires_at || new Date(row.expires_at) <= at) throw new AppError(410, 'gone', 'This survey link has expired', locale);
  const survey = await surveyRow(db, row.workspace_id, row.survey_id);
  if (!survey) throw notFound('Survey link');
  return { invitation: row, survey, definition: definitionOf(survey) };
}

export interface AnswerResult {
  responseId: string;
  score: number | null;
  negative: boolean;
  recovery: 'flagged' | 'needed' | null;
  touchpointId: string;
}

/** Stores an answer once: the invitation is claimed atomically, so a second answer is a 409. */
export async function answerInvitation(
  db: Kysely<DB>,
  workspaceSlug: string,
  token: string,
  answer: SurveyAnswer,
  at = new Date(),
): Promise<AnswerResult> {
  return answerOpen(db, await openInvitation(db, workspaceSlug, token, at), answer, at);
}

/** Where an invitation stands for an answer: sent and not expired, else 409 (answered), 410, 404. */
function checkOpen(row: InvitationRow | undefined, at: Date): InvitationRow {
  if (!row || row.status === 'scheduled' || row.status === 'cancelled' || row.status === 'throttled') throw notFound('Survey');
  if (row.status === 'answered') throw new AppError(409, 'conflict', 'This survey has already been answered', { locale: row.locale });
  if (!row.expires_at || new Date(row.expires_at) <= at) throw new AppError(410, 'gone', 'This survey has expired', { locale: row.locale });
  return row;
}

// ---- in the chat widget ---------------------------------------------------------------------

/** Kinds the widget shows inline (a custom survey keeps its answer page). */
const WIDGET_KINDS = ['csat', 'nps', 'ces'] as const;

export interface WidgetSurvey {
  invitationId: string;
  definition: SurveyDefinition;
  expiresAt: Date;
}

/** A chat visitor as the widget knows them: their customer and their own chat ticket. */
export interface WidgetVisitor {
  customerId: string;
  ticketId: string | null;
}

/**
 * Invitations a widget visitor may see and answer: their customer's, and either about the chat
 * they had themselves or for a customer with no e-mail (one only chat can reach). A visitor who
 * typed somebody else's e-mail into the offline form is joined to that customer, and must not
 * get to answer the surveys mailed to them.
 */
function visitorInvitations(db: Kysely<DB>, workspaceId: string, visitor: WidgetVisitor) {
  return db
    .selectFrom('survey_invitations as i')
    .innerJoin('customers as c', (j) => j.onRef('c.id', '=', 'i.customer_id').onRef('c.workspace_id', '=', 'i.workspace_id'))
    .where('i.workspace_id', '=', workspaceId)
    .where('i.customer_id', '=', visitor.customerId)
    .where((eb) => eb.or([
      eb('c.email', 'is', null),
      ...(visitor.ticketId ? [eb('i.ticket_id', '=', visitor.ticketId)] : []),
    ]));
}

/**
 * The survey a chat visitor may answer now (see visitorInvitations): the latest invitation sent
 * and not yet answered or expired. An invitation meant for the widget that is still waiting for
 * its delay (a chat just solved) goes out at once, since the visitor is there — through the same
 * dispatch, so throttling and a reopened ticket still hold it back.
 */
export async function pendingWidgetSurvey(db: Kysely<DB>, workspaceId: string, visitor: WidgetVisitor, at = new Date()): Promise<WidgetSurvey | null> {
  const waiting = await visitorInvitations(db, workspaceId, visitor)
    .select('i.id')
    .where('i.status', '=', 'scheduled')
    .where('i.delivery', '=', 'widget')
    .orderBy('i.due_at')
    .limit(5)
    .execute();
  for (const w of waiting) await dispatchDueInvitations(db, at, { workspaceId, invitationId: w.id, evenIfNotDue: true });
  const row = await visitorInvitations(db, workspaceId, visitor)
    .innerJoin('surveys as s', (j) => j.onRef('s.id', '=', 'i.survey_id').onRef('s.workspace_id', '=', 'i.workspace_id'))
    .selectAll('i')
    .where('i.status', '=', 'sent')
    .where('i.expires_at', '>', at)
    .where('s.type', 'in', [...WIDGET_KINDS])
    .orderBy('i.sent_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const survey = await surveyRow(db, workspaceId, row.survey_id);
  if (!survey) return null;
  return { invitationId: row.id, definition: definitionOf(survey), expiresAt: new Date(row.expires_at as Date) };
}

/** Answers, from the chat widget, an invitation the visitor may answer (see visitorInvitations). */
export async function answerWidgetSurvey(
  db: Kysely<DB>,
  workspaceId: string,
  visitor: WidgetVisitor,
  invitationId: string,
  answer: SurveyAnswer,
  at = new Date(),
): Promise<AnswerResult> {
  const row = await visitorInvitations(db, workspaceId, visitor).selectAll('i').where('i.id', '=', invitationId).executeTakeFirst();
  const inv = checkOpen(row, at);
  const survey = await surveyRow(db, workspaceId, inv.survey_id);
  if (!survey) throw notFound('Survey');
  return answerOpen(db, { invitation: inv, survey, definition: definitionOf(survey) }, answer, at);
}

/** Stores the answer to an invitation already checked as open (see openInvitation). */
async function answerOpen(db: Kysely<DB>, open: OpenInvitation, answer: SurveyAnswer, at: Date): Promise<AnswerResult> {
  const { invitation: inv, survey, definition } = open;
  const problem = answerProblem(definition, answer);
  if (problem) throw new AppError(400, 'validation_failed', problem);
  const checked = checkedAnswer(definition, answer);
  const type = survey.type as SurveyKind;
  const thresholds = { ...DEFAULT_NEGATIVE, ...survey.negative };
  const negative = type !== 'custom' && checked.score !== null && isNegativeAnswer(type as SurveyMetric, checked.score, thresholds);
  const valence: Valence = type !== 'custom' && checked.score !== null
    ? scoreValence(type as SurveyMetric, checked.score)
    : checked.comment ? classifyText(checked.comment).valence : 'neutral';
  const responseId = newId(at);
  const touchpointId = newId(at);
  // A negative answer about a ticket flags that ticket for service recovery, in the answer's own
  // transaction; one not tied to a ticket (a stage or manual survey) stays 'needed' on the
  // response, for a person to follow up.
  const recovery: AnswerResult['recovery'] = negative ? (inv.ticket_id ? 'flagged' : 'needed') : null;
  await db.transaction().execute(async (tx) => {
    const claimed = await tx
      .updateTable('survey_invitations')
      .set({ status: 'answered', answered_at: at })
      .where('id', '=', inv.id)
      .where('workspace_id', '=', inv.workspace_id)
      .where('status', '=', 'sent')
      .where('expires_at', '>', at)
      .returning('id')
      .executeTakeFirst();
    if (!claimed) throw new AppError(409, 'conflict', 'This survey has already been answered');
    await tx
      .insertInto('survey_responses')
      .values({
        id: responseId,
        workspace_id: inv.workspace_id,
        survey_id: inv.survey_id,
        invitation_id: inv.id,
        customer_id: inv.customer_id,
        ticket_id: inv.ticket_id,
        agent_id: inv.agent_id,
        team_id: inv.team_id,
        channel: inv.channel,
        stage: inv.stage,
        type,
        score: checked.score,
        comment: checked.comment,
        comment_public: checked.publishComment,
        answers: JSON.stringify(checked.answers),
        locale: inv.locale,
        negative,
        recovery_status: recovery,
        touchpoint_id: touchpointId,
        answered_at: at,
      })
      .execute();
    // A comment the customer agrees to publish is feedback others will read: the ultimate
    // moment of truth. Otherwise the answer is part of the experience after purchase.
    const properties: Record<string, unknown> = {
      surveyId: inv.survey_id, responseId, type, answeredStage: inv.stage,
      ...(checked.score !== null ? { score: checked.score } : {}),
      ...(checked.comment ? { text: checked.comment.slice(0, 2_000), public: checked.publishComment } : {}),
    };
    await insertTouchpoints(tx, inv.workspace_id, [
      {
        id: touchpointId,
        messageId: `td:survey:${responseId}`,
        customerId: inv.customer_id,
        anonymousId: null,
        kind: 'internal',
        event: checked.publishComment ? 'Survey Comment Published' : 'Survey Answered',
        stage: checked.publishComment ? 'umot' : 'smot',
        valence,
        channel: inv.channel ?? 'survey',
        properties,
        context: {},
        decidedBy: 'survey',
        ruleId: null,
        occurredAt: at,
        ticketId: inv.ticket_id,
      },
    ]);
    if (recovery === 'flagged' && inv.ticket_id) {
      await flagForRecoveryInTx(tx, inv.workspace_id, SURVEY_ACTOR, inv.ticket_id, {
        reason: 'negative_survey',
        detail: { surveyId: inv.survey_id, surveyResponseId: responseId, type, score: checked.score },
        at,
      });
    }
    if (checked.comment) {
      await recordSurveyPhrases(tx, inv.workspace_id, { responseId, ticketId: inv.ticket_id, stage: inv.stage as Stage, text: checked.comment, at, ...(valence !== 'neutral' ? { valence } : {}) });
    }
    await tx
      .insertInto('audit_log')
      .values({
        workspace_id: inv.workspace_id,
        actor_type: 'customer',
        actor_id: inv.customer_id,
        action: 'survey.answered',
        entity_type: 'survey_response',
        entity_id: responseId,
        changes: JSON.stringify({ invitationId: inv.id, score: checked.score, negative, ...(recovery ? { recovery } : {}) }),
      })
      .execute();
  });
  return { responseId, score: checked.score, negative, recovery, touchpointId };
}

// ---- reading answers ------------------------------------------------------------------------

export interface SurveyResponse {
  id: string;
  surveyId: string;
  customerId: string;
  ticketId: string | null;
  agentId: string | null;
  teamId: string | null;
  channel: string | null;
  stage: Stage;
  type: SurveyKind;
  score: number | null;
  comment: string | null;
  commentPublic: boolean;
  answers: Record<string, unknown>;
  locale: SurveyLocale;
  negative: boolean;
  recovery: string | null;
  touchpointId: string | null;
  answeredAt: string;
}

export async function listResponses(
  ctx: WorkspaceContext,
  surveyId: string,
  options: { negative?: boolean | undefined; limit: number },
): Promise<SurveyResponse[]> {
  if (!(await surveyRow(ctx.db, ctx.workspaceId, surveyId))) throw notFound('Survey');
  let q = ctx.db.selectFrom('survey_responses').selectAll().where('workspace_id', '=', ctx.workspaceId).where('survey_id', '=', surveyId);
  if (options.negative !== undefined) q = q.where('negative', '=', options.negative);
  const rows = await q.orderBy('answered_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    surveyId: r.survey_id,
    customerId: r.customer_id,
    ticketId: r.ticket_id,
    agentId: r.agent_id,
    teamId: r.team_id,
    channel: r.channel,
    stage: r.stage as Stage,
    type: r.type as SurveyKind,
    score: r.score,
    comment: r.comment,
    commentPublic: r.comment_public,
    answers: r.answers,
    locale: r.locale as SurveyLocale,
    negative: r.negative,
    recovery: r.recovery_status,
    touchpointId: r.touchpoint_id,
    answeredAt: new Date(r.answered_at).toISOString(),
  }));
}

export interface InvitationView {
  id: string;
  customerId: string;
  ticketId: string | null;
  status: string;
  delivery: string;
  trigger: string;
  stage: Stage;
  locale: SurveyLocale;
  dueAt: string;
  sentAt: string | null;
  expiresAt: string | null;
  answeredAt: string | null;
  /** The invitation e-mail: queued → sent, or failed after its retries (with the last error). */
  email: { status: 'queued' | 'sent' | 'failed' | 'skipped'; to: string; attempts: number; lastError: string | null; sentAt: string | null } | null;
}

export async function listInvitations(ctx: WorkspaceContext, surveyId: string, limit: number): Promise<InvitationView[]> {
  if (!(await surveyRow(ctx.db, ctx.workspaceId, surveyId))) throw notFound('Survey');
  const rows = await ctx.db
    .selectFrom('survey_invitations')
    .selectAll()
    .where('workspace_id', '=', ctx.workspaceId)
    .where('survey_id', '=', surveyId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const mails = rows.length
    ? await ctx.db
      .selectFrom('survey_deliveries')
      .select(['invitation_id', 'status', 'to_address', 'attempts', 'last_error', 'sent_at'])
      .where('workspace_id', '=', ctx.workspaceId)
      .where('invitation_id', 'in', rows.map((r) => r.id))
      .orderBy('created_at')
      .execute()
    : [];
  const mailOf = new Map(mails.map((m) => [m.invitation_id, m]));
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    ticketId: r.ticket_id,
    status: r.status,
    delivery: r.delivery,
    trigger: r.trigger,
    stage: r.stage as Stage,
    locale: r.locale as SurveyLocale,
    dueAt: new Date(r.due_at).toISOString(),
    sentAt: iso(r.sent_at),
    expiresAt: iso(r.expires_at),
    answeredAt: iso(r.answered_at),
    email: ((m) => (m
      ? { status: m.status as NonNullable<InvitationView['email']>['status'], to: m.to_address, attempts: m.attempts, lastError: m.last_error, sentAt: iso(m.sent_at) }
      : null))(mailOf.get(r.id)),
  }));
}

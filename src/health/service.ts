// Stage health: per moment of truth and period, the 0–100 score of src/domain/stage-health.ts
// beside its parts, from the survey answers tied to the stage (NPS, CSAT, CES), the sentiment of
// its texts (pain_sources: survey comments, customer messages, touchpoints with text), and the
// rollups (share of negative touchpoints, conversion to the next stage). And the alert: when a
// stage's score of the last complete period fell by the configured points from the period
// before, an alert is stored (in-app list + realtime event) and, with a webhook, delivered.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/store.ts';
import type { DB } from '../db/schema.ts';
import { STAGES } from '../domain/moments.ts';
import type { Stage } from '../domain/moments.ts';
import { HEALTH_WEIGHTS, healthDrop, stageHealth } from '../domain/stage-health.ts';
import type { HealthInputs, StageHealth } from '../domain/stage-health.ts';
import { cesFromCounts, csatFromCounts, npsFromCounts } from '../domain/survey-metrics.ts';
import { enqueue } from '../jobs/index.ts';
import { momentsReport, periodStart } from '../journeys/reports.ts';
import { catchUpPainPoints } from '../painpoints/service.ts';
import { publishOnCommit } from '../realtime/events.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { checkWebhookTarget, deliverWebhook } from '../shared/webhook.ts';

export type HealthInterval = 'week' | 'month';
export const MAX_HEALTH_PERIODS = 60;

export interface StageHealthLine extends StageHealth {
  stage: Stage;
  /** What the parts were computed from. */
  samples: { surveyAnswers: number; texts: number; touchpoints: number };
}

export interface HealthPeriod {
  period: string;
  from: string;
  to: string;
  stages: StageHealthLine[];
}

const DAY_MS = 86_400_000;
const nextStart = (d: Date, interval: HealthInterval) =>
  interval === 'month' ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)) : new Date(d.getTime() + 7 * DAY_MS);

/** The periods of [from, to): whole weeks (ISO, Monday) or months, the first and last clipped. */
export function healthPeriods(from: Date, to: Date, interval: HealthInterval): { start: Date; from: Date; to: Date }[] {
  const out: { start: Date; from: Date; to: Date }[] = [];
  for (let p = periodStart(from, interval); p < to; p = nextStart(p, interval)) {
    const end = nextStart(p, interval);
    out.push({ start: p, from: p < from ? from : p, to: end > to ? to : end });
    if (out.length > MAX_HEALTH_PERIODS) {
      throw new AppError(400, 'validation_failed', `At most ${MAX_HEALTH_PERIODS} periods: choose a longer interval or a shorter range`);
    }
  }
  return out;
}

type SurveyRow = { i: string; stage: string; csat_total: string; csat_sat: string; nps_total: string; promoters: string; detractors: string; ces_total: string; ces_sum: string | null };
type TextRow = { i: string; stage: string; positive: string; neutral: string; negative: string };

export async function stageHealthReport(ctx: WorkspaceContext, from: Date, to: Date, interval: HealthInterval): Promise<HealthPeriod[]> {
  const periods = healthPeriods(from, to, interval);
  if (periods.length === 0) return [];
  // Texts not analysed yet (a bounded catch-up, as the pain-points report does).
  await catchUpPainPoints(ctx.db, ctx.workspaceId);
  const starts = periods.map((p) => p.from.toISOString());
  const ends = periods.map((p) => p.to.toISOString());
  const surveys = await sql<SurveyRow>`
    WITH p AS (SELECT * FROM unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) WITH ORDINALITY AS p(start_at, end_at, i))
    SELECT p.i, r.stage,
           count(*) FILTER (WHERE r.type = 'csat') AS csat_total,
           count(*) FILTER (WHERE r.type = 'csat' AND r.score >= 4) AS csat_sat,
           count(*) FILTER (WHERE r.type = 'nps') AS nps_total,
           count(*) FILTER (WHERE r.type = 'nps' AND r.score >= 9) AS promoters,
           count(*) FILTER (WHERE r.type = 'nps' AND r.score <= 6) AS detractors,
           count(*) FILTER (WHERE r.type = 'ces') AS ces_total,
           sum(r.score) FILTER (WHERE r.type = 'ces') AS ces_sum
    FROM p JOIN survey_responses r ON r.workspace_id = ${ctx.workspaceId} AND r.answered_at >= p.start_at AND r.answered_at < p.end_at
    WHERE r.score IS NOT NULL
    GROUP BY p.i, r.stage`.execute(ctx.db);
  const texts = await sql<TextRow>`
    WITH p AS (SELECT * FROM unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) WITH ORDINALITY AS p(start_at, end_at, i))
    SELECT p.i, s.stage,
           count(*) FILTER (WHERE s.valence = 'positive') AS positive,
           count(*) FILTER (WHERE s.valence = 'neutral') AS neutral,
           count(*) FILTER (WHERE s.valence = 'negative') AS negative
    FROM p JOIN pain_sources s ON s.workspace_id = ${ctx.workspaceId} AND s.occurred_at >= p.start_at AND s.occurred_at < p.end_at
    GROUP BY p.i, s.stage`.execute(ctx.db);
  const key = (i: number, stage: string) => `${i}|${stage}`;
  const surveyBy = new Map(surveys.rows.map((r) => [key(Number(r.i), r.stage), r]));
  const textBy = new Map(texts.rows.map((r) => [key(Number(r.i), r.stage), r]));

  const out: HealthPeriod[] = [];
  for (const [index, p] of periods.entries()) {
    const moments = await momentsReport(ctx, p.from, p.to);
    const stages = STAGES.map((stage): StageHealthLine => {
      const s = surveyBy.get(key(index + 1, stage));
      const t = textBy.get(key(index + 1, stage));
      const m = moments.find((x) => x.stage === stage);
      const touched = (m?.touchpoints ?? 0) > 0;
      const sentiment = t ? { positive: Number(t.positive), neutral: Number(t.neutral), negative: Number(t.negative) } : null;
      const inputs: HealthInputs = {
        nps: s ? npsFromCounts({ total: Number(s.nps_total), promoters: Number(s.promoters), detractors: Number(s.detractors) }) : null,
        csat: s ? csatFromCounts({ total: Number(s.csat_total), satisfied: Number(s.csat_sat) }) : null,
        ces: s ? cesFromCounts({ total: Number(s.ces_total), sum: Number(s.ces_sum ?? 0) }) : null,
        sentiment,
        conversion: touched ? (m?.conversionToNext ?? null) : null,
        negativeShare: touched ? (m?.negativeShare ?? null) : null,
      };
      return {
        stage,
        ...stageHealth(inputs),
        samples: {
          surveyAnswers: s ? Number(s.csat_total) + Number(s.nps_total) + Number(s.ces_total) : 0,
          texts: sentiment ? sentiment.positive + sentiment.neutral + sentiment.negative : 0,
          touchpoints: m?.touchpoints ?? 0,
        },
      };
    });
    out.push({ period: p.start.toISOString().slice(0, 10), from: p.from.toISOString(), to: p.to.toISOString(), stages });
  }
  return out;
}

export const HEALTH_FORMULA = { weights: HEALTH_WEIGHTS };

// --- alert settings -------------------------------------------------------------------------

export interface HealthSettings {
  dropPoints: number;
  period: HealthInterval;
  webhookUrl: string | null;
  active: boolean;
}

export const DEFAULT_HEALTH_SETTINGS: HealthSettings = { dropPoints: 10, period: 'week', webhookUrl: null, active: false };

export async function getHealthSettings(db: Kysely<DB>, workspaceId: string): Promise<HealthSettings> {
  const row = await db.selectFrom('stage_health_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) return DEFAULT_HEALTH_SETTINGS;
  return { dropPoints: Number(row.drop_points), period: row.period as HealthInterval, webhookUrl: row.webhook_url, active: row.active };
}

const HOUR_MS = 3_600_000;

/** Queues the next check of a workspace: at the start of the next hour (one per hour and workspace). */
export async function queueHealthCheck(tx: Kysely<DB>, workspaceId: string, at: Date, now = false): Promise<void> {
  const next = now ? at.getTime() : Math.ceil((at.getTime() + 1) / HOUR_MS) * HOUR_MS;
  await enqueue(tx, 'loops.health.check', { workspaceId }, { startAfter: new Date(next), singletonKey: `health:${workspaceId}:${next}` });
}

async function allowsPrivateWebhooks(db: Kysely<DB>, workspaceId: string): Promise<boolean> {
  const row = await db.selectFrom('workspaces').select('allow_private_webhooks').where('id', '=', workspaceId).executeTakeFirst();
  return row?.allow_private_webhooks ?? false;
}

const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/**
 * Saves the alert's settings. A webhook URL must resolve to public addresses (or the workspace
 * allows private ones): 422 and nothing changed otherwise. A webhook gets its signing secret when
 * first set (or on `rotateWebhookSecret`); the secret is answered then, and never again.
 */
export async function saveHealthSettings(
  ctx: WorkspaceContext,
  settings: HealthSettings & { rotateWebhookSecret?: boolean | undefined },
  at = new Date(),
): Promise<HealthSettings & { webhookSecret?: string }> {
  const { rotateWebhookSecret, ...saved } = settings;
  if (saved.webhookUrl) await checkWebhookTarget(saved.webhookUrl, await allowsPrivateWebhooks(ctx.db, ctx.workspaceId));
  const before = await getHealthSettings(ctx.db, ctx.workspaceId);
  const made = await ctx.db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom('stage_health_settings').select('webhook_secret').where('workspace_id', '=', ctx.workspaceId).forUpdate().executeTakeFirst();
    const fresh = saved.webhookUrl && (rotateWebhookSecret || !current?.webhook_secret) ? newWebhookSecret() : undefined;
    const secret = saved.webhookUrl ? (fresh ?? current?.webhook_secret ?? null) : null;
    const row = { drop_points: saved.dropPoints, period: saved.period, webhook_url: saved.webhookUrl, webhook_secret: secret, active: saved.active, updated_at: at };
    await tx
      .insertInto('stage_health_settings')
      .values({ workspace_id: ctx.workspaceId, ...row })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet(row))
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'stage_health.settings_updated',
      entityType: 'workspace',
      entityId: ctx.workspaceId,
      changes: {
        before: { ...before, webhookUrl: before.webhookUrl ? 'set' : null },
        after: { ...saved, webhookUrl: saved.webhookUrl ? 'set' : null, ...(fresh ? { webhookSecret: 'new' } : {}) },
      },
    });
    if (saved.active) await queueHealthCheck(tx, ctx.workspaceId, at, true);
    return fresh;
  });
  return made ? { ...saved, webhookSecret: made } : saved;
}

/**
 * Sends a signed test delivery (`type: "stage_health.test"`) to the saved webhook now, so an
 * admin can see that the receiver answers and checks the signature before a real alert is due.
 * 422 when no webhook is set. Answers whether it was delivered, else why not.
 */
export async function sendTestWebhook(ctx: WorkspaceContext, at = new Date()): Promise<{ delivered: boolean; error: string | null }> {
  const row = await ctx.db
    .selectFrom('stage_health_settings')
    .select(['webhook_url', 'webhook_secret'])
    .where('workspace_id', '=', ctx.workspaceId)
    .executeTakeFirst();
  if (!row?.webhook_url || !row.webhook_secret) throw new AppError(422, 'unprocessable', 'Set a webhook address first');
  const body = JSON.stringify({ type: 'stage_health.test', workspaceId: ctx.workspaceId, sentAt: at.toISOString() });
  const error = await deliverWebhook(row.webhook_url, body, {
    secret: row.webhook_secret,
    allowPrivate: await allowsPrivateWebhooks(ctx.db, ctx.workspaceId),
    userAgent: 'TruthDesk stage-health',
    at,
  });
  await recordAudit(ctx.db, ctx.workspaceId, ctx.actor, {
    action: 'stage_health.webhook_tested',
    entityType: 'workspace',
    entityId: ctx.workspaceId,
    changes: { delivered: error === null, ...(error ? { error } : {}) },
  });
  return { delivered: error === null, error };
}

// --- alerts ---------------------------------------------------------------------------------

export interface HealthAlert {
  id: string;
  stage: Stage;
  period: HealthInterval;
  periodStart: string;
  previousScore: number;
  score: number;
  drop: number;
  threshold: number;
  webhook: { status: 'none' | 'pending' | 'sent' | 'failed'; attempts: number; error: string | null };
  createdAt: string;
}

type AlertRow = {
  id: string;
  stage: string;
  period: string;
  period_start: Date;
  previous_score: number;
  score: number;
  drop_points: number;
  threshold: number;
  webhook_status: string;
  webhook_attempts: number;
  webhook_error: string | null;
  created_at: Date;
};

const toAlert = (r: AlertRow): HealthAlert => ({
  id: r.id,
  stage: r.stage as Stage,
  period: r.period as HealthInterval,
  periodStart: new Date(r.period_start).toISOString(),
  previousScore: Number(r.previous_score),
  score: Number(r.score),
  drop: Number(r.drop_points),
  threshold: Number(r.threshold),
  webhook: { status: r.webhook_status as HealthAlert['webhook']['status'], attempts: r.webhook_attempts, error: r.webhook_error },
  createdAt: new Date(r.created_at).toISOString(),
});

export async function listHealthAlerts(ctx: WorkspaceContext, limit: number): Promise<HealthAlert[]> {
  const rows = await ctx.db.selectFrom('stage_health_alerts').selectAll().where('workspace_id', '=', ctx.workspaceId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toAlert);
}

export async function getHealthAlert(db: Kysely<DB>, workspaceId: string, id: string): Promise<HealthAlert | undefined> {
  const row = await db.selectFrom('stage_health_alerts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? toAlert(row) : undefined;
}

/**
 * The alert rule applied to the last two complete periods before `at`: each stage whose score
 * fell by at least the threshold gets one alert (never twice for the same period), with its
 * webhook delivery queued and a realtime event, in one transaction. Returns the new alerts.
 */
export async function checkStageHealth(db: Kysely<DB>, workspaceId: string, at: Date): Promise<HealthAlert[]> {
  const settings = await getHealthSettings(db, workspaceId);
  if (!settings.active) return [];
  const current = periodStart(at, settings.period);
  const last = periodStart(new Date(current.getTime() - DAY_MS), settings.period);
  const before = periodStart(new Date(last.getTime() - DAY_MS), settings.period);
  const ctx: WorkspaceContext = { db, workspaceId, actor: { type: 'system', id: null, role: 'owner' } };
  const [previous, latest] = await stageHealthReport(ctx, before, current, settings.period);
  if (!previous || !latest) return [];
  const drops = STAGES.flatMap((stage) => {
    const p = previous.stages.find((s) => s.stage === stage)?.score ?? null;
    const c = latest.stages.find((s) => s.stage === stage)?.score ?? null;
    const drop = healthDrop(p, c, settings.dropPoints);
    return drop ? [{ stage, ...drop }] : [];
  });
  if (drops.length === 0) return [];
  const raised = await db.transaction().execute(async (tx) => {
    const ids: string[] = [];
    for (const d of drops) {
      const id = newId(at);
      const inserted = await tx
        .insertInto('stage_health_alerts')
        .values({
          id,
          workspace_id: workspaceId,
          stage: d.stage,
          period: settings.period,
          period_start: last,
          previous_score: d.previous,
          score: d.current,
          drop_points: d.drop,
          threshold: settings.dropPoints,
          webhook_status: settings.webhookUrl ? 'pending' : 'none',
          created_at: at,
        })
        .onConflict((oc) => oc.columns(['workspace_id', 'stage', 'period', 'period_start']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue;
      ids.push(id);
      await recordAudit(tx, workspaceId, ctx.actor, { action: 'stage_health.alert_raised', entityType: 'stage_health_alert', entityId: id, changes: { stage: d.stage, previous: d.previous, score: d.current } });
      await publishOnCommit(tx, workspaceId, {
        type: 'stage_health.alert',
        data: { alertId: id, stage: d.stage, previousScore: d.previous, score: d.current, drop: d.drop },
        permission: 'reports:read',
      });
      if (settings.webhookUrl) await enqueue(tx, 'loops.health.webhook', { workspaceId, alertId: id });
    }
    return ids;
  });
  const alerts = await Promise.all(raised.map((id) => getHealthAlert(db, workspaceId, id)));
  return alerts.filter((a): a is HealthAlert => a !== undefined);
}

/** Delivers one alert to the workspace's webhook; throws (so the job retries) on failure. */
export async function deliverHealthWebhook(db: Kysely<DB>, workspaceId: string, alertId: string, final: boolean): Promise<void> {
  const alert = await getHealthAlert(db, workspaceId, alertId);
  const settings = await getHealthSettings(db, workspaceId);
  if (!alert || alert.webhook.status === 'sent') return;
  if (!settings.webhookUrl) {
    await db.updateTable('stage_health_alerts').set({ webhook_status: 'none' }).where('workspace_id', '=', workspaceId).where('id', '=', alertId).execute();
    return;
  }
  const body = JSON.stringify({ type: 'stage_health.dropped', workspaceId, alert: { ...alert, webhook: undefined }, sentAt: new Date().toISOString() });
  const secret = await db.selectFrom('stage_health_settings').select('webhook_secret').where('workspace_id', '=', workspaceId).executeTakeFirst();
  const error = secret?.webhook_secret
    ? await deliverWebhook(settings.webhookUrl, body, {
        secret: secret.webhook_secret,
        allowPrivate: await allowsPrivateWebhooks(db, workspaceId),
        userAgent: 'TruthDesk stage-health',
      })
    : 'no signing secret: save the webhook again';
  await db
    .updateTable('stage_health_alerts')
    .set((eb) => ({
      webhook_status: error === null ? 'sent' : final ? 'failed' : 'pending',
      webhook_attempts: eb('webhook_attempts', '+', 1),
      webhook_error: error,
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', alertId)
    .execute();
  if (error !== null && !final) throw new Error(`stage health webhook: ${error}`);
}

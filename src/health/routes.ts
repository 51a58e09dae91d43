// Reports that close the loops between moments: UMOT → ZMOT attribution, the FMOT window and
// stage health, and the stage health alert's settings and alerts.
import { z } from 'zod';
import { attributionReport } from '../attribution/report.ts';
import { ATTRIBUTION_MODELS } from '../domain/attribution.ts';
import { FMOT_DIMENSIONS } from '../domain/fmot.ts';
import { STAGES } from '../domain/moments.ts';
import { HEALTH_PARTS, HEALTH_WEIGHTS } from '../domain/stage-health.ts';
import { fmotReport } from '../fmot/report.ts';
import { defineRoute } from '../http/route.ts';
import { httpUrl } from '../http/schemas.ts';
import { AppError } from '../shared/errors.ts';
import { checkStageHealth, getHealthSettings, listHealthAlerts, saveHealthSettings, sendTestWebhook, stageHealthReport } from './service.ts';

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s));
const DAY_MS = 86_400_000;

function range(query: { from?: Date | undefined; to?: Date | undefined }, defaultDays: number): { from: Date; to: Date } {
  const to = query.to ?? new Date();
  const from = query.from ?? new Date(to.getTime() - defaultDays * DAY_MS);
  if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
  return { from, to };
}

const metrics = {
  visits: z.number(),
  measured: z.number(),
  bounced: z.number(),
  engaged: z.number(),
  converted: z.number(),
  dwellSumMs: z.number(),
  bounceRate: z.number().nullable(),
  engagementRate: z.number().nullable(),
  conversionRate: z.number().nullable(),
  meanDwellMs: z.number().nullable(),
};

const reviewLine = z.object({
  review: z.object({
    id: z.uuid(),
    source: z.string(),
    platform: z.string().nullable(),
    author: z.string().nullable(),
    rating: z.number().nullable(),
    valence: z.string(),
    lang: z.string(),
    publishedAt: z.string(),
    customerId: z.uuid().nullable(),
    hidden: z.boolean(),
    excerpt: z.string(),
  }),
  views: z.number(),
  prospectsReached: z.number(),
  conversionsInfluenced: z.number(),
  attributed: z.object({ first_touch: z.number(), last_touch: z.number(), linear: z.number() }),
  credit: z.number(),
  lostProspects: z.number(),
  followUp: z.enum(['thank_you', 'recovery']),
  followUpTicketId: z.uuid().nullable(),
});

const settingsSchema = z.strictObject({
  dropPoints: z.number().gt(0).max(100),
  period: z.enum(['week', 'month']),
  webhookUrl: httpUrl().nullable(),
  active: z.boolean(),
});

const settingsBody = settingsSchema.extend({
  rotateWebhookSecret: z.boolean().optional().describe('Make a new signing secret for the webhook (answered once)'),
});

const settingsAnswer = settingsSchema.extend({
  webhookSecret: z
    .string()
    .optional()
    .describe('The webhook signing secret, answered only when it is made (the URL first set, or rotateWebhookSecret): keep it'),
});

const alertSchema = z.object({
  id: z.uuid(),
  stage: z.enum(STAGES),
  period: z.enum(['week', 'month']),
  periodStart: z.string(),
  previousScore: z.number(),
  score: z.number(),
  drop: z.number(),
  threshold: z.number(),
  webhook: z.object({ status: z.enum(['none', 'pending', 'sent', 'failed']), attempts: z.number(), error: z.string().nullable() }),
  createdAt: z.string(),
});

export const loopRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/attribution',
    summary: 'UMOT → ZMOT: reviews ranked by conversions attributed (first_touch, last_touch or linear), prospects reached, negative reviews before lost prospects',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({
      from: isoDate.optional(),
      to: isoDate.optional(),
      model: z.enum(ATTRIBUTION_MODELS).default('linear'),
      lookbackDays: z.coerce.number().int().min(1).max(365).default(30),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        model: z.enum(ATTRIBUTION_MODELS),
        lookbackDays: z.number(),
        totals: z.object({ views: z.number(), prospectsReached: z.number(), conversions: z.number(), attributedConversions: z.number() }),
        reviews: z.array(reviewLine),
        negativeBeforeLost: z.array(reviewLine),
      }),
    },
    handler: async ({ ctx, query }) => attributionReport(ctx, { ...range(query, 90), model: query.model, lookbackDays: query.lookbackDays, limit: query.limit }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/fmot',
    summary: 'FMOT window: first-contact visits, first-seconds bounce (≤ 7 s), engagement and same-visit conversion per product, page, store or channel, with a trend',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({
      from: isoDate.optional(),
      to: isoDate.optional(),
      groupBy: z.enum(FMOT_DIMENSIONS).default('product'),
      interval: z.enum(['day', 'week', 'month']).default('week'),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        groupBy: z.enum(FMOT_DIMENSIONS),
        interval: z.string(),
        total: z.object(metrics),
        groups: z.array(z.object({ key: z.string().nullable(), ...metrics, trend: z.array(z.object({ period: z.string(), ...metrics })) })),
      }),
    },
    handler: async ({ ctx, query }) => {
      const { from, to } = range(query, 90);
      if (query.interval === 'day' && to.getTime() - from.getTime() > 400 * DAY_MS) {
        throw new AppError(400, 'validation_failed', 'At most 400 days by day: choose a longer interval or a shorter range');
      }
      return fmotReport(ctx, { from, to, groupBy: query.groupBy, interval: query.interval, limit: query.limit });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/stage-health',
    summary: 'Stage health 0–100 per stage and period, beside its parts (NPS, CSAT, CES, text sentiment, conversion to next stage, negative share)',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({ from: isoDate.optional(), to: isoDate.optional(), interval: z.enum(['week', 'month']).default('week') }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        interval: z.string(),
        weights: z.record(z.string(), z.number()),
        periods: z.array(
          z.object({
            period: z.string(),
            from: z.string(),
            to: z.string(),
            stages: z.array(
              z.object({
                stage: z.enum(STAGES),
                score: z.number().nullable(),
                parts: z.array(z.object({ part: z.enum(HEALTH_PARTS), value: z.number(), normalised: z.number(), weight: z.number() })),
                missing: z.array(z.enum(HEALTH_PARTS)),
                samples: z.object({ surveyAnswers: z.number(), texts: z.number(), touchpoints: z.number() }),
              }),
            ),
          }),
        ),
      }),
    },
    handler: async ({ ctx, query }) => {
      const { from, to } = range(query, 84);
      return { from: from.toISOString(), to: to.toISOString(), interval: query.interval, weights: HEALTH_WEIGHTS, periods: await stageHealthReport(ctx, from, to, query.interval) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/stage-health/settings',
    summary: 'The stage health alert: drop in points that raises it, period, webhook, on or off',
    tag: 'reports',
    access: 'settings:manage',
    responses: { 200: settingsAnswer },
    handler: async ({ ctx }) => getHealthSettings(ctx.db, ctx.workspaceId),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/stage-health/settings',
    summary: 'Set the stage health alert (checked at the start of every hour while active)',
    tag: 'reports',
    access: 'settings:manage',
    body: settingsBody,
    responses: { 200: settingsAnswer },
    handler: async ({ ctx, body }) => saveHealthSettings(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/stage-health/alerts',
    summary: 'Stage health alerts, newest first, with their webhook delivery state',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    responses: { 200: z.object({ data: z.array(alertSchema) }) },
    handler: async ({ ctx, query }) => ({ data: await listHealthAlerts(ctx, query.limit) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/stage-health/check',
    summary: 'Apply the stage health alert rule now (as the hourly job does); answers the alerts raised',
    tag: 'reports',
    access: 'settings:manage',
    responses: { 200: z.object({ data: z.array(alertSchema) }) },
    handler: async ({ ctx }) => ({ data: await checkStageHealth(ctx.db, ctx.workspaceId, new Date()) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/stage-health/test-webhook',
    summary: 'Send a signed test delivery ({"type": "stage_health.test"}) to the saved webhook now; answers whether it was delivered (2xx), else why not; 422 without a webhook',
    tag: 'reports',
    access: 'settings:manage',
    rateLimit: { max: 10, timeWindowMs: 60_000, by: 'credentials' },
    responses: { 200: z.object({ delivered: z.boolean(), error: z.string().nullable() }), 422: z.unknown() },
    handler: async ({ ctx }) => sendTestWebhook(ctx),
  }),
];

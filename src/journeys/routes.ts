import { z } from 'zod';
import { OUTCOME_KINDS } from '../domain/mattered.ts';
import { STAGES, VALENCES } from '../domain/moments.ts';
import { customerSchema } from '../customers/routes.ts';
import { AppError } from '../shared/errors.ts';
import { ingestBatch, ingestMessage, MAX_BATCH_MESSAGES } from './ingest.ts';
import { getCurrentRuleSet, listRuleVersions, MAX_TEST_EVENTS, rulesSchema, saveRules, testEventSchema, testRules } from './rules.ts';
import { customerMomentsThatMattered, momentsThatMattered } from './mattered.ts';
import { getJourney } from './service.ts';
import { momentsReport, momentsTrend } from './reports.ts';
import { matteredCsv, momentsCsv, trendCsv, wantsCsv } from './csv.ts';
import { retentionCsv, retentionReport } from './retention.ts';
import { defineRoute, Reply } from '../http/route.ts';

const result = z.object({
  index: z.number().int(),
  messageId: z.string().nullable(),
  status: z.enum(['stored', 'duplicate', 'invalid']),
  stage: z.enum(STAGES).nullable(),
  valence: z.enum(VALENCES).nullable(),
  decidedBy: z.string().optional(),
  ruleId: z.string().optional(),
  error: z.string().optional(),
});
const results = z.object({ results: z.array(result) });
// Each message is validated on its own, so one bad message is reported, not a 400 for all.
const anyMessage = z.record(z.string(), z.unknown());
const SEGMENT_MESSAGE_LIMIT = 32 * 1024;
const SEGMENT_BATCH_LIMIT = 500 * 1024;
/**
 * Ingestion requests per write key (or token) per minute, per server process: 6,000 by default
 * (100 a second, up to 50,000 messages a second in full batches) — enough for any honest
 * client, a ceiling for a leaked key or a runaway loop. TRUTHDESK_INGEST_RATE_LIMIT overrides.
 */
const INGEST_RATE_LIMIT = {
  max: Number.parseInt(process.env.TRUTHDESK_INGEST_RATE_LIMIT ?? '', 10) || 6000,
  timeWindowMs: 60_000,
  by: 'credentials' as const,
};

const touchpoint = z.object({
  id: z.uuid(),
  messageId: z.string(),
  event: z.string(),
  stage: z.enum(STAGES),
  valence: z.enum(VALENCES),
  channel: z.string().nullable(),
  occurredAt: z.string(),
  decidedBy: z.string(),
  ticketId: z.uuid().nullable(),
  properties: z.record(z.string(), z.unknown()),
});

const ruleSet = z.object({ version: z.number().int(), rules: z.array(z.unknown()), createdAt: z.string().nullable() });
const ruleSetVersion = ruleSet.extend({ createdAt: z.string(), createdBy: z.string() });
const testedClassification = z.object({
  index: z.number().int(),
  stage: z.enum(STAGES),
  valence: z.enum(VALENCES),
  decidedBy: z.string(),
  ruleId: z.string().optional(),
  confidence: z.number(),
});

const windowDays = z.coerce.number().int().min(1).max(365).default(30);
const precedingMoment = z.object({
  event: z.string(),
  stage: z.enum(STAGES),
  valence: z.enum(VALENCES),
  outcomes: z.number(),
  share: z.number(),
  lift: z.number(),
});
const outcomeRanking = z.object({ count: z.number(), precededBy: z.array(precedingMoment) });
const matteredMoment = z.object({
  id: z.uuid(),
  event: z.string(),
  stage: z.enum(STAGES),
  valence: z.enum(VALENCES),
  occurredAt: z.string(),
});

const csvFormat = z.enum(['json', 'csv']).optional();
const csvReply = (body: string) => new Reply(200, body, { 'content-type': 'text/csv; charset=utf-8' });

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s));

const retentionDays = z
  .string()
  .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean).map(Number))
  .pipe(z.array(z.number().int().min(1).max(730)).min(1).max(12))
  .transform((days) => [...new Set(days)].sort((a, b) => a - b))
  .default([30, 60, 90]);
const retentionPoint = z.object({ eligible: z.number(), retained: z.number(), rate: z.number().nullable() });

export const journeyRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/track',
    summary: "Segment track: one touchpoint (write key as Basic user name, or a Bearer token)",
    tag: 'journeys',
    access: 'events:write',
    body: anyMessage,
    bodyLimit: SEGMENT_MESSAGE_LIMIT,
    rateLimit: INGEST_RATE_LIMIT,
    responses: { 200: results },
    handler: async ({ ctx, body }) => ({ results: [await ingestMessage(ctx.db, ctx.workspaceId, 'track', body, 0)] }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/identify',
    summary: 'Segment identify: ties a userId (and its anonymousId history) to a customer, with traits',
    tag: 'journeys',
    access: 'events:write',
    body: anyMessage,
    bodyLimit: SEGMENT_MESSAGE_LIMIT,
    rateLimit: INGEST_RATE_LIMIT,
    responses: { 200: results },
    handler: async ({ ctx, body }) => ({ results: [await ingestMessage(ctx.db, ctx.workspaceId, 'identify', body, 0)] }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/batch',
    summary: 'Segment batch: up to 500 track/identify messages (500 KB); each is answered by index',
    tag: 'journeys',
    access: 'events:write',
    body: z.object({ batch: z.array(z.unknown()), context: z.unknown().optional(), sentAt: z.unknown().optional() }),
    bodyLimit: SEGMENT_BATCH_LIMIT,
    rateLimit: INGEST_RATE_LIMIT,
    responses: { 200: results },
    handler: async ({ ctx, body }) => {
      if (body.batch.length > MAX_BATCH_MESSAGES) {
        throw new AppError(413, 'payload_too_large', `A batch holds at most ${MAX_BATCH_MESSAGES} messages`);
      }
      return { results: await ingestBatch(ctx.db, ctx.workspaceId, body.batch) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/classification/rules',
    summary: "The workspace's current classification rules (version 0 and no rules until first saved)",
    tag: 'journeys',
    access: 'tickets:work',
    responses: { 200: ruleSet },
    handler: async ({ ctx }) => getCurrentRuleSet(ctx.db, ctx.workspaceId),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/classification/rules',
    summary: 'Saves the ordered classification rules as a new version; `version` (or If-Match) refuses a stale save with 409',
    tag: 'journeys',
    access: 'settings:manage',
    body: z.strictObject({ rules: rulesSchema, version: z.number().int().min(0).optional() }),
    responses: { 200: ruleSet },
    handler: async ({ ctx, body, request }) => {
      const ifMatch = request.headers['if-match'];
      let expectedVersion = body.version;
      if (expectedVersion === undefined && typeof ifMatch === 'string' && ifMatch.trim() !== '*') {
        const parsed = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
        if (!parsed) throw new AppError(400, 'validation_failed', 'If-Match must be a rules version number');
        expectedVersion = Number(parsed[1]);
      }
      return saveRules(ctx, { rules: body.rules, expectedVersion });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/classification/rules/versions',
    summary: 'Every saved version of the classification rules, newest first',
    tag: 'journeys',
    access: 'settings:manage',
    responses: { 200: z.object({ data: z.array(ruleSetVersion) }) },
    handler: async ({ ctx }) => ({ data: await listRuleVersions(ctx) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/classification/test',
    summary: 'Classifies sample events with draft rules (or the saved ones when none are given); stores nothing',
    tag: 'journeys',
    access: 'settings:manage',
    body: z.strictObject({ rules: rulesSchema.optional(), events: z.array(testEventSchema).min(1).max(MAX_TEST_EVENTS) }),
    responses: { 200: z.object({ version: z.number().int().nullable(), results: z.array(testedClassification) }) },
    handler: async ({ ctx, body }) => testRules(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/customers/:id/journey',
    summary: "A customer's touchpoints in time order; {id} is TruthDesk's id or the ingested userId",
    tag: 'journeys',
    access: 'tickets:work',
    params: z.strictObject({ id: z.string().min(1).max(200) }),
    responses: { 200: z.object({ customer: customerSchema, touchpoints: z.array(touchpoint) }) },
    handler: async ({ ctx, params }) => getJourney(ctx, params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/moments',
    summary: 'Per stage: touchpoints, customers, positive/negative share, conversion to the next stage (from the rollups); CSV with format=csv or Accept: text/csv',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({ from: isoDate.optional(), to: isoDate.optional(), format: csvFormat }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        stages: z.array(
          z.object({
            stage: z.enum(STAGES),
            touchpoints: z.number(),
            customers: z.number(),
            positiveShare: z.number(),
            negativeShare: z.number(),
            conversionToNext: z.number().nullable(),
          }),
        ),
      }),
    },
    handler: async ({ ctx, query, request }) => {
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
      const report = { from: from.toISOString(), to: to.toISOString(), stages: await momentsReport(ctx, from, to) };
      return wantsCsv(query.format, request.headers.accept) ? csvReply(momentsCsv(report)) : report;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/moments/trend',
    summary: 'Stage health trend: per period (day, ISO week or month, UTC) and stage: touchpoints, customers, positive/negative share; CSV with format=csv or Accept: text/csv',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({
      from: isoDate.optional(),
      to: isoDate.optional(),
      interval: z.enum(['day', 'week', 'month']).default('week'),
      format: csvFormat,
    }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        interval: z.enum(['day', 'week', 'month']),
        periods: z.array(
          z.object({
            period: z.string().describe("the period's first day: the day, the Monday of the week, or the 1st of the month"),
            from: z.string(),
            to: z.string(),
            stages: z.array(
              z.object({
                stage: z.enum(STAGES),
                touchpoints: z.number(),
                customers: z.number(),
                positiveShare: z.number(),
                negativeShare: z.number(),
              }),
            ),
          }),
        ),
      }),
    },
    handler: async ({ ctx, query, request }) => {
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - 90 * 86_400_000);
      if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
      const report = {
        from: from.toISOString(),
        to: to.toISOString(),
        interval: query.interval,
        periods: await momentsTrend(ctx, from, to, query.interval),
      };
      return wantsCsv(query.format, request.headers.accept) ? csvReply(trendCsv(report)) : report;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/moments-that-mattered',
    summary: 'Per outcome kind (conversion, renewal/upgrade, churn, complaint, public review): the touchpoints that most often preceded it within windowDays, with share and lift; CSV with format=csv or Accept: text/csv',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({ from: isoDate.optional(), to: isoDate.optional(), windowDays, format: csvFormat }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        windowDays: z.number(),
        truncated: z.boolean().describe('the period held more touchpoints than one report reads'),
        outcomes: z.object({
          conversion: outcomeRanking,
          renewal_upgrade: outcomeRanking,
          churn: outcomeRanking,
          complaint: outcomeRanking,
          public_review: outcomeRanking,
        }),
      }),
    },
    handler: async ({ ctx, query, request }) => {
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
      const report = await momentsThatMattered(ctx, from, to, query.windowDays);
      return wantsCsv(query.format, request.headers.accept) ? csvReply(matteredCsv(report)) : report;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/customers/:id/moments-that-mattered',
    summary: "Each outcome of a customer with the touchpoints that preceded it within windowDays; {id} is TruthDesk's id or the ingested userId",
    tag: 'journeys',
    access: 'tickets:work',
    params: z.strictObject({ id: z.string().min(1).max(200) }),
    query: z.strictObject({ windowDays }),
    responses: {
      200: z.object({
        customerId: z.uuid(),
        windowDays: z.number(),
        outcomes: z.array(z.object({ kind: z.enum(OUTCOME_KINDS), touchpoint: matteredMoment, precededBy: z.array(matteredMoment) })),
      }),
    },
    handler: async ({ ctx, params, query }) => customerMomentsThatMattered(ctx, params.id, query.windowDays),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/retention',
    summary: 'Retention cohorts by month of first purchase, split by onboarding outcome: share still active N days after the purchase (days=30,60,90, windowDays); CSV with format=csv or Accept: text/csv',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({
      from: isoDate.optional(),
      to: isoDate.optional(),
      asOf: isoDate.optional().describe('when the report is taken (default now); later N are not yet measurable'),
      days: retentionDays,
      windowDays,
      format: z.enum(['json', 'csv']).optional(),
    }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        asOf: z.string(),
        days: z.array(z.number()),
        windowDays: z.number(),
        truncated: z.boolean().describe('the period held more touchpoints than one report reads'),
        cohorts: z.array(
          z.object({
            cohort: z.string(),
            onboarding: z.enum(['all', 'completed', 'struggled', 'none']),
            size: z.number(),
            retained: z.record(z.string(), retentionPoint),
          }),
        ),
      }),
    },
    handler: async ({ ctx, query, request }) => {
      const asOf = query.asOf ?? new Date();
      const to = query.to ?? asOf;
      const from = query.from ?? new Date(to.getTime() - 365 * 86_400_000);
      if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
      const report = await retentionReport(ctx, { from, to, asOf, days: query.days, windowDays: query.windowDays });
      const accept = request.headers.accept ?? '';
      const csv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/i.test(accept));
      return csv ? new Reply(200, retentionCsv(report), { 'content-type': 'text/csv; charset=utf-8' }) : report;
    },
  }),
];

// Survey routes: definitions and sends for admins, responses and the report for team leaders,
// and the public answer link (JSON here; the HTML page is in pages.ts) that carries its own
// single-use token instead of a sign-in.
import { z } from 'zod';
import { STAGES } from '../domain/moments.ts';
import { SURVEY_KINDS, SURVEY_LOCALES, SURVEY_TRIGGERS } from '../domain/surveys.ts';
import type { SurveyLocale } from '../domain/surveys.ts';
import { SCALES, type SurveyMetric } from '../domain/survey-metrics.ts';
import { SCALE_ENDS, commentPromptText, localise, questionText } from '../domain/surveys.ts';
import { defineRoute, Reply } from '../http/route.ts';
import { idParams, text, uuid } from '../http/schemas.ts';
import { AppError } from '../shared/errors.ts';
import {
  answerInvitation, createSurvey, dispatchDueInvitations, getSurvey, listInvitations, listResponses, listSurveys,
  openInvitation, scanStageTriggers, sendToSegment, updateSurvey,
} from './service.ts';
import { SURVEY_GROUPS, surveyCsv, surveyReport } from './reports.ts';

const localised = z.strictObject({
  en: text({ min: 1, max: 500 }).optional(),
  el: text({ min: 1, max: 500 }).optional(),
  ar: text({ min: 1, max: 500 }).optional(),
});
/** What a customer is asked must be worded in at least one language. */
const wording = localised.refine((t) => Object.values(t).some(Boolean), 'give the text in at least one language (en, el or ar)');
const questionId = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, _ and -, at most 40');
const customQuestion = z.discriminatedUnion('kind', [
  z.strictObject({
    id: questionId, kind: z.literal('choice'), text: wording, required: z.boolean().optional(),
    options: z.array(z.strictObject({ value: z.string().min(1).max(80), text: wording })).min(2).max(20),
  }),
  z.strictObject({
    id: questionId, kind: z.literal('scale'), text: wording, required: z.boolean().optional(),
    min: z.number().int().min(0).max(10), max: z.number().int().min(1).max(10),
  }).refine((q) => q.min < q.max, 'min must be below max'),
  z.strictObject({ id: questionId, kind: z.literal('text'), text: wording, required: z.boolean().optional() }),
]);
const negative = z.strictObject({
  csatMax: z.number().int().min(1).max(5).optional(),
  npsMax: z.number().int().min(0).max(10).optional(),
  cesMin: z.number().int().min(1).max(7).optional(),
});
const surveyFields = {
  name: text({ min: 1, max: 200 }),
  type: z.enum(SURVEY_KINDS),
  question: localised.optional(),
  commentPrompt: localised.optional(),
  questions: z.array(customQuestion).max(20).optional(),
  trigger: z.enum(SURVEY_TRIGGERS),
  delayMinutes: z.number().int().min(0).max(60 * 24 * 30).optional().describe('ticket_solved: minutes after the solve (default 60)'),
  event: text({ min: 1, max: 200 }).optional().describe('stage_reached: the event name, e.g. "Onboarding Completed"'),
  stage: z.enum(STAGES).optional().describe('stage_reached: any touchpoint at this stage'),
  throttleDays: z.number().int().min(0).max(365).optional().describe('nobody is surveyed more than once in this many days (default 30; 0: no limit)'),
  linkTtlHours: z.number().int().min(1).max(24 * 90).optional().describe('how long an answer link works (default 168)'),
  negative: negative.optional().describe('answers at or beyond these ask for service recovery (default CSAT ≤ 2, NPS ≤ 6, CES ≥ 5)'),
  active: z.boolean().optional(),
};
const surveySchema = z.object({
  id: z.uuid(), name: z.string(), type: z.enum(SURVEY_KINDS), question: z.record(z.string(), z.string()),
  commentPrompt: z.record(z.string(), z.string()), questions: z.array(z.unknown()), trigger: z.enum(SURVEY_TRIGGERS),
  delayMinutes: z.number(), event: z.string().nullable(), stage: z.enum(STAGES).nullable(), throttleDays: z.number(),
  linkTtlHours: z.number(), negative: z.object({ csatMax: z.number(), npsMax: z.number(), cesMin: z.number() }),
  active: z.boolean(), createdAt: z.string(), updatedAt: z.string(),
});
const responseSchema = z.object({
  id: z.uuid(), surveyId: z.uuid(), customerId: z.uuid(), ticketId: z.uuid().nullable(), agentId: z.uuid().nullable(),
  teamId: z.uuid().nullable(), channel: z.string().nullable(), stage: z.enum(STAGES), type: z.enum(SURVEY_KINDS),
  score: z.number().nullable(), comment: z.string().nullable(), commentPublic: z.boolean(), answers: z.record(z.string(), z.unknown()),
  locale: z.enum(SURVEY_LOCALES), negative: z.boolean(), recovery: z.string().nullable(), touchpointId: z.uuid().nullable(), answeredAt: z.string(),
});
const invitationSchema = z.object({
  id: z.uuid(), customerId: z.uuid(), ticketId: z.uuid().nullable(), status: z.string(), delivery: z.string(), trigger: z.string(),
  stage: z.enum(STAGES), locale: z.enum(SURVEY_LOCALES), dueAt: z.string(), sentAt: z.string().nullable(),
  expiresAt: z.string().nullable(), answeredAt: z.string().nullable(),
  email: z.object({
    status: z.enum(['queued', 'sent', 'failed', 'skipped']), to: z.string(), attempts: z.number(), lastError: z.string().nullable(), sentAt: z.string().nullable(),
  }).nullable(),
});
const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s));
const figures = z.object({
  responses: z.number(), csat: z.number().nullable(), csatAnswers: z.number(), nps: z.number().nullable(),
  npsAnswers: z.number(), ces: z.number().nullable(), cesAnswers: z.number(),
});

/** Per address, on the public survey routes and pages. */
export const PUBLIC_RATE_LIMIT = { max: 120, timeWindowMs: 60_000 };

export const publicLinkParams = z.strictObject({
  workspace: z.string().min(1).max(100),
  token: z.string().min(1).max(200),
});
export const answerBody = z.strictObject({
  score: z.number().int().optional(),
  comment: text({ max: 5_000 }).optional(),
  publishComment: z.boolean().optional(),
  answers: z.record(questionId, z.union([text({ max: 5_000 }), z.number().int()])).optional(),
});

/** What the answer page, the chat widget or any client needs to show a survey. */
export function publicSurvey(locale: SurveyLocale, def: Parameters<typeof questionText>[0], expiresAt: Date) {
  const scale = def.type === 'custom' ? null : {
    min: SCALES[def.type as SurveyMetric].min,
    max: SCALES[def.type as SurveyMetric].max,
    minLabel: SCALE_ENDS[def.type as SurveyMetric][locale][0],
    maxLabel: SCALE_ENDS[def.type as SurveyMetric][locale][1],
  };
  return {
    type: def.type,
    locale,
    dir: locale === 'ar' ? 'rtl' : 'ltr',
    question: def.type === 'custom' ? null : questionText(def, locale),
    scale,
    questions: def.questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      text: localise(q.text, locale),
      ...(q.kind === 'choice' ? { options: q.options.map((o) => ({ value: o.value, text: localise(o.text, locale) })) } : {}),
      ...(q.kind === 'scale' ? { min: q.min, max: q.max } : {}),
      required: Boolean(q.required),
    })),
    commentPrompt: commentPromptText(def, locale),
    expiresAt: expiresAt.toISOString(),
  };
}

export const surveyRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/surveys',
    summary: 'Creates a survey: CSAT (1–5), NPS (0–10), CES (1–7) or custom questions, with its trigger, throttle and link lifetime',
    tag: 'surveys',
    access: 'settings:manage',
    body: z.strictObject(surveyFields),
    responses: { 201: surveySchema },
    handler: async ({ ctx, body }) => new Reply(201, await createSurvey(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/surveys',
    summary: "The workspace's surveys",
    tag: 'surveys',
    access: 'reports:read',
    responses: { 200: z.object({ data: z.array(surveySchema) }) },
    handler: async ({ ctx }) => ({ data: await listSurveys(ctx) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/surveys/:id',
    summary: 'One survey',
    tag: 'surveys',
    access: 'reports:read',
    params: idParams,
    responses: { 200: surveySchema },
    handler: async ({ ctx, params }) => getSurvey(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/surveys/:id',
    summary: 'Changes a survey (not its type); active: false stops its triggers and unsent invitations',
    tag: 'surveys',
    access: 'settings:manage',
    params: idParams,
    body: z.strictObject({ ...surveyFields, name: surveyFields.name.optional(), type: surveyFields.type.optional(), trigger: surveyFields.trigger.optional() }),
    responses: { 200: surveySchema },
    handler: async ({ ctx, params, body }) => updateSurvey(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/surveys/:id/send',
    summary: 'Sends the survey by hand to a segment: a list of customer ids, or a filter (locale, stage seen within sinceDays, hasEmail); throttled customers are skipped',
    tag: 'surveys',
    access: 'settings:manage',
    params: idParams,
    body: z.strictObject({
      customerIds: z.array(uuid).min(1).max(5_000).optional(),
      filter: z.strictObject({
        locale: z.enum(SURVEY_LOCALES).optional(),
        stage: z.enum(STAGES).optional(),
        sinceDays: z.number().int().min(1).max(730).optional(),
        hasEmail: z.boolean().optional(),
      }).optional(),
      delivery: z.enum(['email', 'widget']).optional(),
    }),
    responses: { 200: z.object({ scheduled: z.number(), throttled: z.number(), duplicate: z.number(), customers: z.number() }) },
    handler: async ({ ctx, params, body }) => {
      const counts = await sendToSegment(ctx, params.id, body);
      // Manual sends go out now rather than waiting for the next dispatch round.
      await dispatchDueInvitations(ctx.db, new Date(), { workspaceId: ctx.workspaceId, limit: 5_000 });
      return counts;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/surveys/:id/invitations',
    summary: 'Who was (or will be) asked, with status scheduled / sent / answered / throttled / cancelled; never the link',
    tag: 'surveys',
    access: 'reports:read',
    params: idParams,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    responses: { 200: z.object({ data: z.array(invitationSchema) }) },
    handler: async ({ ctx, params, query }) => ({ data: await listInvitations(ctx, params.id, query.limit) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/surveys/:id/responses',
    summary: "The survey's answers, newest first, each tied to customer, ticket, agent, team, channel and stage; negative=true lists those that asked for recovery",
    tag: 'surveys',
    access: 'reports:read',
    params: idParams,
    query: z.strictObject({
      negative: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    responses: { 200: z.object({ data: z.array(responseSchema) }) },
    handler: async ({ ctx, params, query }) => ({ data: await listResponses(ctx, params.id, query) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/surveys/dispatch',
    summary: 'Runs a dispatch round now for this workspace: stage triggers are scanned and due invitations sent (the background dispatcher does this on its own)',
    tag: 'surveys',
    access: 'settings:manage',
    responses: { 200: z.object({ invited: z.number(), sent: z.number(), throttled: z.number(), cancelled: z.number() }) },
    handler: async ({ ctx }) => {
      const at = new Date();
      const invited = await scanStageTriggers(ctx.db, at, ctx.workspaceId);
      const done = await dispatchDueInvitations(ctx.db, at, { workspaceId: ctx.workspaceId, limit: 5_000 });
      const count = (s: string) => done.filter((d) => d.status === s).length;
      return { invited, sent: count('sent'), throttled: count('throttled'), cancelled: count('cancelled') };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/surveys',
    summary: 'CSAT (% of 1–5 answers that are 4–5), NPS (%9–10 − %0–6) and CES (mean of 1–7) with answer counts, overall and per agent, team, channel, stage or week, for every survey or one (surveyId); null where nobody answered; CSV with format=csv or Accept: text/csv',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({
      from: isoDate.optional(),
      to: isoDate.optional(),
      groupBy: z.enum(SURVEY_GROUPS).optional(),
      surveyId: uuid.optional().describe("only this survey's answers"),
      format: z.enum(['json', 'csv']).optional(),
    }),
    responses: {
      200: z.object({
        from: z.string(), to: z.string(), groupBy: z.enum(SURVEY_GROUPS).nullable(), overall: figures,
        groups: z.array(figures.extend({ key: z.string().nullable(), label: z.string().nullable() })),
      }),
    },
    handler: async ({ ctx, query, request }) => {
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
      const report = await surveyReport(ctx, from, to, query.groupBy ?? null, { surveyId: query.surveyId });
      const csv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/i.test(request.headers.accept ?? ''));
      return csv ? new Reply(200, surveyCsv(report), { 'content-type': 'text/csv; charset=utf-8' }) : report;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/public/surveys/:workspace/:token',
    summary: 'Public (the token is the key): the survey behind an answer link, in the customer’s language, for the chat widget or any client; 404 unknown or tampered, 409 answered, 410 expired. Reading does not use the link up',
    tag: 'surveys',
    access: 'public',
    // The token is the key; bound how fast one address can try them.
    rateLimit: PUBLIC_RATE_LIMIT,
    params: publicLinkParams,
    query: z.strictObject({ lang: z.enum(SURVEY_LOCALES).optional() }),
    handler: async ({ params, query, reply }) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const open = await openInvitation(reply.server.database.db, params.workspace, params.token, new Date());
      const locale = query.lang ?? (open.invitation.locale as SurveyLocale);
      return publicSurvey(locale, open.definition, new Date(open.invitation.expires_at as Date));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/public/surveys/:workspace/:token',
    summary: 'Public (the token is the key): answers the survey once — score, comment, publishComment (consent to publish), answers to custom questions; 400 for an answer that does not fit, 404/409/410 as for GET',
    tag: 'surveys',
    access: 'public',
    // The token is the key; bound how fast one address can try them.
    rateLimit: PUBLIC_RATE_LIMIT,
    params: publicLinkParams,
    body: answerBody,
    responses: { 201: z.object({ responseId: z.uuid(), score: z.number().nullable(), negative: z.boolean(), recovery: z.string().nullable(), touchpointId: z.uuid() }) },
    handler: async ({ params, body, reply }) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      return new Reply(201, await answerInvitation(reply.server.database.db, params.workspace, params.token, body));
    },
  }),
];

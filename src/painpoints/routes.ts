// The pain-point report: top phrases per moment of truth, with counts, trend against the
// previous period, negative share and example quotes that link back to their source.
import { z } from 'zod';
import { PHRASE_LANGS } from '../domain/keyphrases.ts';
import { STAGES } from '../domain/moments.ts';
import { defineRoute } from '../http/route.ts';
import { AppError } from '../shared/errors.ts';
import { painPointReport } from './service.ts';

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s));
const example = z.object({
  sourceType: z.enum(['survey', 'message', 'touchpoint']).describe('survey: a survey response id; message: a ticket message id (with ticketId); touchpoint: a touchpoint id'),
  sourceId: z.uuid(),
  ticketId: z.uuid().nullable(),
  quote: z.string(),
  valence: z.string(),
  occurredAt: z.string(),
});
const painPoint = z.object({
  phrase: z.string(),
  key: z.string(),
  count: z.number().describe('texts in the period that contain the phrase'),
  previousCount: z.number().describe('the same in the previous period of equal length'),
  trend: z.enum(['new', 'up', 'down', 'same']),
  change: z.number().nullable(),
  negativeShare: z.number().describe('share of those texts whose sentence with the phrase is negative'),
  examples: z.array(example),
});

export const painPointRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/pain-points',
    summary: 'Top key phrases per moment of truth from survey comments, customer ticket messages and reviews/mentions (en, el, ar), with counts, trend against the previous period, negative share and example quotes linked to their source',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({
      from: isoDate.optional(),
      to: isoDate.optional(),
      stage: z.enum(STAGES).optional(),
      lang: z.enum(PHRASE_LANGS as ['en', 'el', 'ar']).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(10),
      examples: z.coerce.number().int().min(0).max(10).default(3),
    }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        previousFrom: z.string(),
        lang: z.enum(['en', 'el', 'ar']).nullable(),
        stages: z.array(z.object({ stage: z.enum(STAGES), sources: z.number(), negativeShare: z.number().nullable(), phrases: z.array(painPoint) })),
      }),
    },
    handler: async ({ ctx, query }) => {
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
      return painPointReport(ctx, { from, to, stage: query.stage, lang: query.lang, limit: query.limit, examples: query.examples });
    },
  }),
];

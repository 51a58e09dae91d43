// Social and review mentions: import one or a batch, list them, turn one into a ticket.
import { z } from 'zod';
import { defineRoute, Reply } from '../http/route.ts';
import { afterId, idParams, pageQuery, pageSchema, toPage } from '../http/schemas.ts';
import { getTicket } from '../tickets/service.ts';
import { AppError } from '../shared/errors.ts';
import { getMention, importMentions, listMentions, MAX_MENTION_BATCH, mentionInput, mentionToTicket, storeMention } from './service.ts';

const mentionSchema = z.object({
  id: z.uuid(),
  platform: z.string(),
  kind: z.enum(['review', 'social']),
  externalId: z.string().nullable(),
  url: z.string().nullable(),
  author: z.string().nullable(),
  rating: z.number().nullable(),
  text: z.string(),
  publishedAt: z.string(),
  valence: z.string(),
  customerId: z.uuid().nullable(),
  ticketId: z.uuid().nullable(),
  createdAt: z.string(),
});
const resultSchema = z.object({
  index: z.number(),
  status: z.enum(['stored', 'duplicate', 'invalid']),
  id: z.uuid().nullable(),
  valence: z.string().nullable(),
  error: z.string().optional(),
});

export const mentionRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/mentions',
    summary: 'Import one mention (201, or 200 with the existing one for the same platform + url or id)',
    tag: 'mentions',
    access: 'tickets:work',
    body: mentionInput,
    responses: { 201: mentionSchema, 200: mentionSchema },
    handler: async ({ ctx, body }) => {
      const result = await storeMention(ctx, body);
      if (result.status === 'invalid' || !result.id) throw new AppError(422, 'unprocessable', result.error ?? 'invalid mention');
      return new Reply(result.status === 'stored' ? 201 : 200, await getMention(ctx, result.id));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/mentions/batch',
    summary: `Import up to ${MAX_MENTION_BATCH} mentions; each is answered by index (stored, duplicate or invalid)`,
    tag: 'mentions',
    access: 'tickets:work',
    body: z.strictObject({ mentions: z.array(z.unknown()).min(1).max(MAX_MENTION_BATCH) }),
    responses: { 200: z.object({ results: z.array(resultSchema) }) },
    handler: async ({ ctx, body }) => ({ results: await importMentions(ctx, body.mentions) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/mentions',
    summary: 'Mentions, newest first; filter by platform or valence',
    tag: 'mentions',
    access: 'tickets:work',
    query: z.strictObject({ ...pageQuery, platform: z.string().max(50).optional(), valence: z.enum(['positive', 'neutral', 'negative']).optional() }),
    responses: { 200: pageSchema(mentionSchema) },
    handler: async ({ ctx, query }) =>
      toPage(
        await listMentions(ctx, { limit: query.limit, afterId: afterId(query.cursor), ...(query.platform ? { platform: query.platform.toLowerCase() } : {}), ...(query.valence ? { valence: query.valence } : {}) }),
        query.limit,
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/mentions/:id',
    summary: 'One mention',
    tag: 'mentions',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: mentionSchema },
    handler: async ({ ctx, params }) => getMention(ctx, params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/mentions/:id/ticket',
    summary: 'Open a ticket (channel social) for a mention; 200 with the existing ticket if it has one',
    tag: 'mentions',
    access: 'tickets:work',
    params: idParams,
    responses: { 201: z.unknown(), 200: z.unknown() },
    handler: async ({ ctx, params }) => {
      const result = await mentionToTicket(ctx, params.id);
      return new Reply(result.created ? 201 : 200, await getTicket(ctx, result.ticketId));
    },
  }),
];

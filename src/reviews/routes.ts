// Published reviews (list, read, submit, hide from the widget) and review widgets.
import { z } from 'zod';
import { defineRoute, Reply } from '../http/route.ts';
import { embedWidgetSchema, idParams, locale, text, webOrigin } from '../http/schemas.ts';
import { followUpReview } from './followup.ts';
import {
  createReviewWidget,
  getReview,
  getReviewWidget,
  listReviews,
  listReviewWidgets,
  setReviewHidden,
  submitReview,
  updateReviewWidget,
} from './service.ts';

const reviewSchema = z.object({
  id: z.uuid(),
  source: z.enum(['mention', 'survey', 'truthdesk']),
  platform: z.string().nullable(),
  kind: z.enum(['review', 'social']),
  url: z.string().nullable(),
  author: z.string().nullable(),
  rating: z.number().nullable(),
  text: z.string(),
  lang: locale,
  valence: z.enum(['positive', 'neutral', 'negative']),
  publishedAt: z.string(),
  hidden: z.boolean(),
  customerId: z.uuid().nullable(),
});

export const reviewRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/reviews',
    summary: 'Published reviews (imported mentions, public survey comments, submitted reviews), newest first',
    tag: 'reviews',
    access: 'tickets:work',
    query: z.strictObject({
      source: z.enum(['mention', 'survey', 'truthdesk']).optional(),
      valence: z.enum(['positive', 'neutral', 'negative']).optional(),
      hidden: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: { 200: z.object({ data: z.array(reviewSchema) }) },
    handler: async ({ ctx, query }) => ({ data: await listReviews(ctx, query) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/reviews',
    summary: 'Submit a review through TruthDesk (an ultimate-moment touchpoint; valence from the rating, else the words)',
    tag: 'reviews',
    access: 'tickets:work',
    body: z.strictObject({
      customerId: z.uuid().optional(),
      author: text({ min: 1, max: 200 }).optional(),
      rating: z.number().int().min(1).max(5).optional(),
      text: text({ min: 1, max: 5000 }),
      lang: locale.optional(),
      publishedAt: z.iso.datetime({ offset: true }).optional(),
    }),
    responses: { 201: reviewSchema },
    handler: async ({ ctx, body }) => new Reply(201, await submitReview(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reviews/:id',
    summary: 'One published review',
    tag: 'reviews',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: reviewSchema },
    handler: async ({ ctx, params }) => getReview(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/reviews/:id',
    summary: 'Hide a published review from the review widget, or show it again (reports keep it)',
    tag: 'reviews',
    access: 'settings:manage',
    params: idParams,
    body: z.strictObject({ hidden: z.boolean() }),
    responses: { 200: reviewSchema },
    handler: async ({ ctx, params, body }) => setReviewHidden(ctx, params.id, body.hidden),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/reviews/:id/follow-up',
    summary: 'Follow up the reviewer: a ticket to thank them, or to recover them after a negative review (kind by valence unless given); one per review',
    tag: 'reviews',
    access: 'tickets:work',
    params: idParams,
    body: z.strictObject({ kind: z.enum(['thank_you', 'recovery']).optional() }).optional(),
    responses: {
      201: z.object({ reviewId: z.uuid(), kind: z.enum(['thank_you', 'recovery']), ticketId: z.uuid().nullable(), created: z.boolean() }),
      200: z.object({ reviewId: z.uuid(), kind: z.enum(['thank_you', 'recovery']), ticketId: z.uuid().nullable(), created: z.boolean() }),
    },
    handler: async ({ ctx, params, body }) => {
      const result = await followUpReview(ctx, params.id, body?.kind);
      return new Reply(result.created ? 201 : 200, result);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/review-widgets',
    summary: 'Review widgets of the workspace, with their public keys',
    tag: 'reviews',
    access: 'settings:manage',
    responses: { 200: z.object({ data: z.array(embedWidgetSchema) }) },
    handler: async ({ ctx }) => ({ data: await listReviewWidgets(ctx) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/review-widgets',
    summary: 'Create a review widget (its public key goes in the embed snippet)',
    tag: 'reviews',
    access: 'settings:manage',
    body: z.strictObject({ name: text({ min: 1, max: 100 }), allowedOrigins: z.array(webOrigin).max(20).optional() }),
    responses: { 201: embedWidgetSchema },
    handler: async ({ ctx, body }) => new Reply(201, await createReviewWidget(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/review-widgets/:id',
    summary: 'One review widget',
    tag: 'reviews',
    access: 'settings:manage',
    params: idParams,
    responses: { 200: embedWidgetSchema },
    handler: async ({ ctx, params }) => getReviewWidget(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/review-widgets/:id',
    summary: 'Rename a review widget, set its allowed origins, switch it off, or give it a new public key (rotateKey); give the version you read to be told (409) if someone changed it since',
    tag: 'reviews',
    access: 'settings:manage',
    params: idParams,
    body: z
      .strictObject({
        name: text({ min: 1, max: 100 }).optional(),
        allowedOrigins: z.array(webOrigin).max(20).optional(),
        active: z.boolean().optional(),
        rotateKey: z.literal(true).optional(),
        version: z.number().int().positive().optional().describe('The version you read: 409 if someone changed the widget since'),
      })
      .refine((b) => Object.keys(b).some((k) => k !== 'version'), 'nothing to change'),
    responses: { 200: embedWidgetSchema },
    handler: async ({ ctx, params, body }) => updateReviewWidget(ctx, params.id, body),
  }),
];

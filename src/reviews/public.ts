// The public side of the review widget: GET /reviews.js (the embeddable script),
// GET /api/v1/public/reviews/{key} (the published reviews it shows) and
// POST /api/v1/public/reviews/{key}/views (the reviews a visitor saw, each stored as a
// zero-moment "Review Viewed" touchpoint through the ordinary ingestion; JSON or, for the
// widget's beacon on page leave, text/plain) and POST /api/v1/public/reviews/{key} (a review a
// visitor writes, held for moderation). Authenticated by the widget's public key only: it can
// read published reviews, record views and propose a review, nothing else.
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { REVIEW_VIEWED } from '../domain/attribution.ts';
import { parseJsonStrict } from '../http/errors.ts';
import { defineRoute, registerRoutes, Reply } from '../http/route.ts';
import { locale, text } from '../http/schemas.ts';
import { ingestBatch } from '../journeys/ingest.ts';
import { AppError } from '../shared/errors.ts';
import { REVIEW_KEY, reviewWidgetByKey, submitWidgetReview, visibleReviews, widgetReviews } from './service.ts';

// Served minified (the source keeps its comments for readers): it loads on customers' pages.
let widgetScript: string | undefined;
const script = () => (widgetScript ??= transformSync(readFileSync(new URL('./reviews.js', import.meta.url), 'utf8'), { minify: true, target: 'es2017' }).code);

const keyParams = z.strictObject({ key: z.string().regex(REVIEW_KEY, "the widget's public key (data-key)") });

/** The widget behind a key, checked against the page's origin; CORS headers for the answer. */
async function widgetFor(request: FastifyRequest, key: string) {
  const widget = await reviewWidgetByKey(request.server.database.db, key);
  if (!widget) throw new AppError(404, 'not_found', 'No active review widget has this key');
  const origin = request.headers.origin;
  if (widget.allowed_origins.length > 0 && (!origin || !widget.allowed_origins.includes(origin))) {
    throw new AppError(403, 'forbidden', 'This widget may not be embedded on this site (origin not allowed)');
  }
  const cors = { 'access-control-allow-origin': widget.allowed_origins.length > 0 && origin ? origin : '*', vary: 'Origin' };
  return { widget, cors };
}

const publicReview = z.object({
  id: z.uuid(),
  author: z.string().nullable(),
  rating: z.number().nullable(),
  text: z.string(),
  lang: locale,
  publishedAt: z.string(),
  platform: z.string().nullable(),
  url: z.string().nullable(),
});

export const reviewPublicRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/public/reviews/:key',
    summary: "The review widget's reviews: published, not hidden, newest first, the page's language first",
    tag: 'reviews',
    access: 'public',
    params: keyParams,
    query: z.strictObject({ lang: locale.default('en'), limit: z.coerce.number().int().min(1).max(20).default(6) }),
    rateLimit: { max: 300, timeWindowMs: 60_000 },
    responses: { 200: z.object({ lang: locale, dir: z.enum(['ltr', 'rtl']), reviews: z.array(publicReview) }) },
    handler: async ({ params, query, request }) => {
      const { widget, cors } = await widgetFor(request, params.key);
      const reviews = await widgetReviews(request.server.database.db, widget.workspace_id, query.lang, query.limit);
      return new Reply(
        200,
        {
          lang: query.lang,
          dir: query.lang === 'ar' ? 'rtl' : 'ltr',
          reviews: reviews.map((r) => ({ id: r.id, author: r.author, rating: r.rating, text: r.text, lang: r.lang, publishedAt: r.publishedAt, platform: r.platform, url: r.url })),
        },
        { ...cors, 'cache-control': 'public, max-age=60' },
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/public/reviews/:key',
    summary: "A visitor's review written in the widget: held for moderation (hidden until an admin shows it), an ultimate-moment touchpoint of the visitor",
    tag: 'reviews',
    access: 'public',
    params: keyParams,
    body: z.strictObject({
      anonymousId: z.string().regex(/^[A-Za-z0-9_.:-]{6,100}$/, 'letters, digits and _ . : - (6–100)'),
      rating: z.number().int().min(1).max(5),
      text: text({ min: 3, max: 2000 }),
      author: text({ min: 1, max: 80 }).optional(),
      lang: locale.optional(),
    }),
    bodyLimit: 16 * 1024,
    // A person writes a review or two, not dozens: the rest is spam.
    rateLimit: { max: 5, timeWindowMs: 60_000 },
    responses: { 202: z.object({ id: z.uuid(), status: z.literal('pending_moderation') }) },
    handler: async ({ params, body, request }) => {
      const { widget, cors } = await widgetFor(request, params.key);
      const id = await submitWidgetReview(request.server.database.db, widget, body);
      return new Reply(202, { id, status: 'pending_moderation' as const }, cors);
    },
  }),
];

/**
 * The views route accepts text/plain as JSON (on this route only, as the FMOT beacon does): the
 * widget sends the last views with navigator.sendBeacon when the page is left, and a text/plain
 * beacon is a simple request — no CORS preflight, which a page going away cannot wait for.
 */
export const reviewViewsRoute = defineRoute({
  method: 'POST',
  url: '/api/v1/public/reviews/:key/views',
  summary: 'Records the reviews a visitor saw: one zero-moment "Review Viewed" touchpoint per review and page view',
  tag: 'reviews',
  access: 'public',
  params: keyParams,
  body: z.strictObject({
    anonymousId: z.string().regex(/^[A-Za-z0-9_.:-]{6,100}$/, 'letters, digits and _ . : - (6–100)'),
    reviewIds: z.array(z.uuid()).min(1).max(20),
    pageViewId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'letters, digits, _ and - (6–64)'),
    page: z.string().max(500).optional(),
    lang: locale.optional(),
  }),
  bodyLimit: 16 * 1024,
  rateLimit: { max: 120, timeWindowMs: 60_000 },
  responses: { 200: z.object({ recorded: z.number().int(), duplicates: z.number().int() }) },
  handler: async ({ params, body, request }) => {
    const { widget, cors } = await widgetFor(request, params.key);
    const db = request.server.database.db;
    const ids = [...new Set(body.reviewIds.map((id) => id.toLowerCase()))];
    const visible = await visibleReviews(db, widget.workspace_id, ids);
    const unknown = ids.filter((id) => !visible.has(id));
    if (unknown.length > 0) throw new AppError(422, 'unprocessable', `Not a published review of this widget: ${unknown.join(', ')}`);
    const results = await ingestBatch(
      db,
      widget.workspace_id,
      ids.map((reviewId) => ({
        type: 'track',
        event: REVIEW_VIEWED,
        anonymousId: body.anonymousId,
        messageId: `rv:${body.pageViewId}:${reviewId}`,
        channel: 'review_widget',
        properties: {
          stage: 'zmot',
          valence: visible.get(reviewId),
          reviewId,
          widgetId: widget.id,
          ...(body.page ? { page: body.page } : {}),
          ...(body.lang ? { lang: body.lang } : {}),
        },
      })),
    );
    const recorded = results.filter((r) => r.status === 'stored').length;
    if (results.some((r) => r.status === 'invalid')) throw new AppError(500, 'internal_error', 'A review view could not be stored');
    return new Reply(200, { recorded, duplicates: results.length - recorded }, cors);
  },
});

export async function reviewWidgetAssets(app: FastifyInstance): Promise<void> {
  app.get('/reviews.js', async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .send(script()),
  );
  // The widget posts JSON from the customer's site (views, a visitor's review): answer the CORS preflight.
  for (const url of ['/api/v1/public/reviews/:key/views', '/api/v1/public/reviews/:key']) {
    app.options(url, async (_request, reply) =>
      reply
        .status(204)
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', url.endsWith('/views') ? 'POST' : 'GET, POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .send(),
    );
  }
  await app.register(async (child) => {
    child.addContentTypeParser('text/plain', { parseAs: 'buffer' }, parseJsonStrict);
    registerRoutes(child, [reviewViewsRoute]);
  });
}

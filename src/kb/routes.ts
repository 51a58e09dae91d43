import { z } from 'zod';
import { KB_LANGS, KB_STATUSES, SLUG_MAX } from '../domain/kb.ts';
import { defineRoute, Reply } from '../http/route.ts';
import { afterId, idParams, pageQuery, pageSchema, text, toPage, uuid } from '../http/schemas.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { kbReport } from './deflection.ts';
import { recordSearch } from './deflection.ts';
import {
  createArticle,
  createCategory,
  deleteCategory,
  getArticle,
  getRevision,
  listArticles,
  listCategories,
  listRevisions,
  restoreRevision,
  searchArticles,
  suggestArticles,
  updateArticle,
  updateCategory,
} from './service.ts';
import { origin, workspaceBySlug } from './public.ts';

const lang = z.enum(KB_LANGS);
const status = z.enum(KB_STATUSES);
const slug = text({ min: 1, max: SLUG_MAX });
const articleBody = z
  .string()
  .max(500_000)
  .refine((s) => !s.includes('\u0000') && s.isWellFormed(), 'must be well-formed text')
  .refine((s) => s.trim().length > 0, 'must not be empty');
const names = z
  .strictObject({ en: text({ min: 1, max: 200 }).optional(), el: text({ min: 1, max: 200 }).optional(), ar: text({ min: 1, max: 200 }).optional() })
  .refine((n) => Object.values(n).some(Boolean), 'give the name in at least one language');

const translationRef = z.object({ id: z.uuid(), lang, slug: z.string(), title: z.string(), status });
export const articleSchema = z.object({
  id: z.uuid(),
  articleId: z.uuid(),
  lang,
  title: z.string(),
  slug: z.string(),
  body: z.string(),
  bodyText: z.string(),
  status,
  categoryId: z.uuid().nullable(),
  version: z.number().int(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  translations: z.array(translationRef),
});
const revisionSchema = z.object({
  revision: z.number().int(),
  title: z.string(),
  slug: z.string(),
  body: z.string(),
  status,
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  note: z.string().nullable(),
  createdAt: z.string(),
});
const categorySchema = z.object({
  id: z.uuid(),
  key: z.string(),
  names: z.object({ en: z.string().optional(), el: z.string().optional(), ar: z.string().optional() }),
  position: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const searchSchema = z.object({
  query: z.string(),
  lang: lang.nullable(),
  didYouMean: z.string().nullable(),
  results: z.array(
    z.object({
      id: z.uuid(),
      articleId: z.uuid(),
      lang,
      title: z.string(),
      slug: z.string(),
      status,
      score: z.number(),
      match: z.enum(['all_words', 'corrected', 'some_words']),
      titleHighlighted: z.string(),
      snippet: z.string(),
      url: z.string().optional(),
    }),
  ),
});

const createBody = z.strictObject({
  title: text({ min: 1, max: 300 }),
  body: articleBody,
  lang,
  status: status.default('draft'),
  categoryId: uuid.nullable().optional(),
  slug: slug.optional(),
  translationOf: uuid.optional(),
});

const updateBody = z
  .strictObject({
    title: text({ min: 1, max: 300 }).optional(),
    body: articleBody.optional(),
    status: status.optional(),
    slug: slug.optional(),
    categoryId: uuid.nullable().optional(),
    version: z.number().int().positive().optional(),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'version'), 'nothing to change');

const searchQuery = z.strictObject({
  q: text({ max: 200 }).optional(),
  lang: lang.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
/** Agents and editors may also search drafts (the editor's own search); customers never can. */
const agentSearchQuery = searchQuery.extend({
  drafts: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

const revisionParams = z.strictObject({ id: uuid, revision: z.coerce.number().int().min(1).max(1_000_000) });

/** If-Match carries the version the client saw, as the ETag we sent: "3" (W/ tolerated). */
function versionFromIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value ?? '');
  if (!match?.[1]) throw new AppError(400, 'bad_request', 'If-Match must be the article\'s ETag, e.g. "3"');
  return Number(match[1]);
}
const etag = (version: number) => `"${version}"`;

/** Public searches (JSON API and portal page) per client address per minute. */
export const PUBLIC_SEARCH_RATE_LIMIT = { max: 60, timeWindowMs: 60_000 };

export const kbRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/kb/articles',
    summary: 'List articles (each language version separately), newest first; filter by lang, status, category or article',
    tag: 'kb',
    access: 'tickets:work',
    query: z.strictObject({ lang: lang.optional(), status: status.optional(), categoryId: uuid.optional(), articleId: uuid.optional(), ...pageQuery }),
    responses: { 200: pageSchema(articleSchema) },
    handler: async ({ ctx, query }) => {
      const { cursor, limit, ...filters } = query;
      return toPage(await listArticles(ctx, { ...filters, limit, afterId: afterId(cursor) }), limit);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/kb/articles',
    summary: 'Write an article in en, el or ar (HTML body, sanitised); translationOf adds a language version to an existing article',
    tag: 'kb',
    access: 'kb:manage',
    body: createBody,
    responses: { 201: articleSchema, 409: z.unknown(), 422: z.unknown() },
    handler: async ({ ctx, body }) => {
      const article = await createArticle(ctx, body);
      return new Reply(201, article, { etag: etag(article.version), location: `/api/v1/kb/articles/${article.id}` });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/kb/articles/:id',
    summary: 'Get one language version of an article; its ETag is the version to send back in If-Match',
    tag: 'kb',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: articleSchema },
    handler: async ({ ctx, params }) => {
      const article = await getArticle(ctx, params.id);
      return new Reply(200, article, { etag: etag(article.version) });
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/kb/articles/:id',
    summary: 'Change an article (title, body, status, slug, category); every save is kept as a revision; a stale If-Match gets 409',
    tag: 'kb',
    access: 'kb:manage',
    params: idParams,
    body: updateBody,
    responses: { 200: articleSchema, 409: z.unknown(), 422: z.unknown() },
    handler: async ({ ctx, params, body, request }) => {
      const { version, ...changes } = body;
      const expected = versionFromIfMatch(request.headers['if-match']) ?? version;
      const article = await updateArticle(ctx, params.id, changes, expected);
      return new Reply(200, article, { etag: etag(article.version) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/kb/articles/:id/revisions',
    summary: 'Every saved revision of an article, newest first',
    tag: 'kb',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: z.object({ data: z.array(revisionSchema) }) },
    handler: async ({ ctx, params }) => ({ data: await listRevisions(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/kb/articles/:id/revisions/:revision',
    summary: 'One revision of an article',
    tag: 'kb',
    access: 'tickets:work',
    params: revisionParams,
    responses: { 200: revisionSchema },
    handler: async ({ ctx, params }) => getRevision(ctx, params.id, params.revision),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/kb/articles/:id/revisions/:revision/restore',
    summary: "Bring back a revision's title and body as a new version (itself a revision); honours If-Match",
    tag: 'kb',
    access: 'kb:manage',
    params: revisionParams,
    responses: { 200: articleSchema, 409: z.unknown() },
    handler: async ({ ctx, params, request }) => {
      const article = await restoreRevision(ctx, params.id, params.revision, versionFromIfMatch(request.headers['if-match']));
      return new Reply(200, article, { etag: etag(article.version) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/kb/categories',
    summary: 'Knowledge-base categories with their localised names',
    tag: 'kb',
    access: 'tickets:work',
    responses: { 200: z.object({ data: z.array(categorySchema) }) },
    handler: async ({ ctx }) => ({ data: await listCategories(ctx.db, ctx.workspaceId) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/kb/categories',
    summary: 'Add a category: names in en/el/ar, a key (slug; made from the name when absent), a position',
    tag: 'kb',
    access: 'kb:manage',
    body: z.strictObject({ key: slug.optional(), names, position: z.number().int().min(0).max(10_000).optional() }),
    responses: { 201: categorySchema, 409: z.unknown() },
    handler: async ({ ctx, body }) => new Reply(201, await createCategory(ctx, body)),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/kb/categories/:id',
    summary: 'Rename, re-key or move a category',
    tag: 'kb',
    access: 'kb:manage',
    params: idParams,
    body: z
      .strictObject({
        key: slug.optional(),
        names: z.strictObject({ en: text({ min: 1, max: 200 }).optional(), el: text({ min: 1, max: 200 }).optional(), ar: text({ min: 1, max: 200 }).optional() }).optional(),
        position: z.number().int().min(0).max(10_000).optional(),
      })
      .refine((b) => Object.keys(b).length > 0, 'nothing to change'),
    responses: { 200: categorySchema },
    handler: async ({ ctx, params, body }) => updateCategory(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/kb/categories/:id',
    summary: 'Delete a category; its articles stay, uncategorised',
    tag: 'kb',
    access: 'kb:manage',
    params: idParams,
    handler: async ({ ctx, params }) => {
      await deleteCategory(ctx, params.id);
      return new Reply(204, null);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/kb/search',
    summary: 'Published articles (drafts too with drafts=true) ranked by relevance (title first), accent/case-insensitive for Greek, normalised Arabic, typo-tolerant, with highlighted snippets',
    tag: 'kb',
    access: 'tickets:work',
    query: agentSearchQuery,
    responses: { 200: searchSchema },
    handler: async ({ ctx, query }) =>
      searchArticles(ctx.db, ctx.workspaceId, { q: query.q ?? '', lang: query.lang, limit: query.limit, publishedOnly: !query.drafts }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tickets/:id/suggested-articles',
    summary: "Published articles related to a ticket's subject and latest customer message, in the customer's language, each with its public portal url",
    tag: 'kb',
    access: 'tickets:work',
    params: idParams,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(20).default(5) }),
    responses: { 200: searchSchema },
    handler: async ({ ctx, params, query, request }) => {
      const outcome = await suggestArticles(ctx, params.id, query.limit);
      // Each with its public portal link, to paste into the reply.
      const ws = await ctx.db.selectFrom('workspaces').select('slug').where('id', '=', ctx.workspaceId).executeTakeFirstOrThrow();
      const base = `${origin(request)}/kb/${encodeURIComponent(ws.slug)}`;
      return { ...outcome, results: outcome.results.map((r) => ({ ...r, url: `${base}/${r.lang}/${encodeURIComponent(r.slug)}` })) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/kb/public/:workspace/search',
    summary: "Public search of a workspace's published articles by its slug (no sign-in; rate-limited per address)",
    tag: 'kb',
    access: 'public',
    params: z.strictObject({ workspace: z.string().min(1).max(100) }),
    query: searchQuery,
    responses: { 200: searchSchema, 429: z.unknown() },
    rateLimit: PUBLIC_SEARCH_RATE_LIMIT,
    handler: async ({ params, query, request }) => {
      const ws = await workspaceBySlug(request.server.database.db, params.workspace);
      if (!ws) throw notFound('Knowledge base');
      const q = query.q ?? '';
      const outcome = await searchArticles(request.server.database.db, ws.id, { q, lang: query.lang, limit: query.limit, publishedOnly: true });
      if (q.trim()) {
        await recordSearch(request.server.database.db, ws.id, { query: q, lang: query.lang ?? null, results: outcome.results.length, source: 'public_api' });
      }
      return {
        ...outcome,
        results: outcome.results.map((r) => ({ ...r, url: `/kb/${encodeURIComponent(ws.slug)}/${r.lang}/${encodeURIComponent(r.slug)}` })),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/kb',
    summary: 'Knowledge-base self-service: article views, views followed by a ticket within windowDays, deflected views, searches without results',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({
      from: z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s)).optional(),
      to: z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s)).optional(),
      windowDays: z.coerce.number().int().min(1).max(90).default(7),
    }),
    handler: async ({ ctx, query }) => {
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
      return kbReport(ctx, from, to, query.windowDays);
    },
  }),
];
